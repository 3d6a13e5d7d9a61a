# Two commands a newcomer needs: `make render` and `make test`. Each one
# bootstraps what it uses (a .venv with pinned dependencies, the Go tools in
# .tools/bin) and is a quick no-op the second time.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HDGEN := $(VENV)/bin/hdgen
TOOLS := $(CURDIR)/.tools/bin

# The Go tools' pins, in a file of their own so CI caches key on them alone.
include tools/versions.mk

# Stamp files carry the pinned version in their name, so changing a pin
# reinstalls the tool and nothing else. The venv's stamp carries a checksum of
# what pip installs from, not an mtime: a CI cache restores .venv under a fresh
# checkout whose files are all newer than it, and must still count as current.
VENV_KEY := $(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
VENV_STAMP := $(VENV)/.installed-$(VENV_KEY)
KUBECONFORM := $(TOOLS)/kubeconform
KUBECONFORM_STAMP := $(TOOLS)/.kubeconform-$(KUBECONFORM_VERSION)
KUSTOMIZE_STAMP := $(TOOLS)/.kustomize-$(KUSTOMIZE_VERSION)
ACTIONLINT_STAMP := $(TOOLS)/.actionlint-$(ACTIONLINT_VERSION)
KUBE_SCORE_STAMP := $(TOOLS)/.kube-score-$(KUBE_SCORE_VERSION)
HELM_STAMP := $(TOOLS)/.helm-$(HELM_VERSION)

export HDGEN_KUBECONFORM ?= $(KUBECONFORM)
export HDGEN_KUSTOMIZE ?= $(TOOLS)/kustomize
export HDGEN_ACTIONLINT ?= $(TOOLS)/actionlint
export HDGEN_KUBE_SCORE ?= $(TOOLS)/kube-score

.PHONY: render test test-fast test-hermetic golden docs api-lifecycle bench bootstrap tools test-tools clean help e2e e2e-tools
.DEFAULT_GOAL := help

help:
	@echo "make render         render values/prod.yaml into rendered/prod and validate it"
	@echo "make test           run the whole test suite"
	@echo "make test-fast      the in-process tests and a few CLI smoke tests, under a minute"
	@echo "make test-hermetic  the whole suite with an empty HOME: fails if it leaves any file behind"
	@echo "make golden         refresh every golden: rendered/ from values/, and the outputs under tests/golden"
	@echo "make docs           rewrite the generated tables in docs/ (rules, bad inputs, values reference)"
	@echo "make api-lifecycle  regenerate HD015's API lifecycle table from the Go modules of the pinned versions"
	@echo "make e2e            build a cluster from source (slow the first time), apply the tree to it, run rollouts"
	@echo "make bench          time hdgen beside helm, kustomize and kubeconform -> bench/results.md, bench/results.png"
	@echo "make clean          remove .venv and .tools"

bootstrap: $(VENV_STAMP) tools

tools: $(KUBECONFORM_STAMP) $(KUSTOMIZE_STAMP)

# Only the tests use actionlint (they lint the CI workflows) and kube-score (it scores the rendered tree).
test-tools: tools $(ACTIONLINT_STAMP) $(KUBE_SCORE_STAMP)

$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

$(KUBECONFORM_STAMP):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
	@rm -f $(TOOLS)/.kubeconform-* && touch $@

$(KUSTOMIZE_STAMP):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
	@rm -f $(TOOLS)/.kustomize-* && touch $@

$(ACTIONLINT_STAMP):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@rm -f $(TOOLS)/.actionlint-* && touch $@

$(KUBE_SCORE_STAMP):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install github.com/zegl/kube-score/cmd/kube-score@$(KUBE_SCORE_VERSION)
	@rm -f $(TOOLS)/.kube-score-* && touch $@

render: bootstrap
	$(HDGEN) render prod
	$(HDGEN) render prod --check
	$(HDGEN) validate prod

test: bootstrap test-tools
	$(PY) -m pytest

# Every in-process test plus the CLI smoke tests in tests/tiers.py: what runs a program is marked slow.
test-fast: bootstrap test-tools
	$(PY) -m pytest -m "not slow"

test-hermetic: bootstrap test-tools
	$(PY) -m tests.leaves_nothing

# The end-to-end tier: a real kube-apiserver, etcd, controller manager, scheduler
# (tools/e2e/go.mod), KWOK (tools/e2e/kwok/go.mod), Flux's source- and
# kustomize-controller (tools/e2e/flux/*/go.mod) and Argo CD (tools/e2e/argocd/pin;
# Go 1.27, fetched as a toolchain by the go command), built once into .tools/e2e
# (see docs/e2e.md). Not part of `make test`. The stamp names the pins.
E2E_BIN := $(CURDIR)/.tools/e2e
E2E_KUBERNETES_VERSION := $(shell awk '$$1 == "k8s.io/kubernetes" { print $$2 }' tools/e2e/go.mod)
E2E_KWOK_VERSION := $(shell awk 'NF >= 2 && $$(NF-1) == "sigs.k8s.io/kwok" { print $$NF }' tools/e2e/kwok/go.mod)
E2E_FLUX_VERSION := $(shell awk '$$1 == "require" && $$2 == "github.com/fluxcd/kustomize-controller" { print $$3 }' tools/e2e/flux/kustomize-controller/go.mod)
E2E_ARGOCD_VERSION := $(shell sed -n 's/^version=//p' tools/e2e/argocd/pin)
E2E_STAMP := $(E2E_BIN)/.kubernetes-$(E2E_KUBERNETES_VERSION)-kwok-$(E2E_KWOK_VERSION)-flux-$(E2E_FLUX_VERSION)-argocd-$(E2E_ARGOCD_VERSION)
E2E_FLUX_PINS := $(foreach c,source-controller kustomize-controller,tools/e2e/flux/$(c)/go.mod tools/e2e/flux/$(c)/go.sum)
E2E_PINS := tools/e2e/go.mod tools/e2e/go.sum tools/e2e/kwok/go.mod tools/e2e/kwok/go.sum $(E2E_FLUX_PINS) tools/e2e/argocd/pin tools/e2e/argocd/go.sum.extra tools/e2e/keygen/main.go tools/e2e/build.sh

$(E2E_STAMP): $(E2E_PINS)
	tools/e2e/build.sh $(E2E_BIN)
	@rm -f $(E2E_BIN)/.built $(E2E_BIN)/.kubernetes-* && touch $@

e2e-tools: $(E2E_STAMP)

e2e: bootstrap $(E2E_STAMP)
	HDGEN_E2E=1 HDGEN_E2E_BIN=$(E2E_BIN) $(PY) -m pytest tests/e2e

BENCH_STAMP := $(VENV)/.bench-installed

# The bench's peer only: helm template of bench/chart (docs/performance.md).
$(HELM_STAMP):
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@rm -f $(TOOLS)/.helm-* && touch $@

$(BENCH_STAMP): $(VENV_STAMP) bench/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $@

# Not a test: timings on a shared machine vary; see bench/results.md.
bench: bootstrap $(BENCH_STAMP) $(HELM_STAMP)
	$(PY) -m bench.run --helm $(TOOLS)/helm

golden: bootstrap
	$(PY) -m tests.refresh_golden

# HD015's table of API lifecycles, from the Go modules of every pinned Kubernetes version
# (tests/test_api_lifecycle.py fails when it is stale).
api-lifecycle: bootstrap
	$(PY) -m hdgen.rules._shared.api_lifecycle_source

# The tables in docs/ that are generated from code; tests fail when they are stale.
docs: bootstrap
	$(PY) -m tests.refresh_docs

clean:
	rm -rf $(VENV) .tools
