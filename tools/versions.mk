# Pinned versions of the Go tools that `make` installs into .tools/bin with
# `go install`. The CI workflows key their cache of .tools/bin on this file.
KUBECONFORM_VERSION := v0.7.0
KUSTOMIZE_VERSION := v5.7.1
ACTIONLINT_VERSION := v1.7.12
KUBE_SCORE_VERSION := v1.20.0
# Only `make bench` builds helm (its peer, bench/chart; never part of render or test):
# the newest v3 whose go.mod this machine's Go (1.26) builds without a toolchain download.
HELM_VERSION := v3.22.0
