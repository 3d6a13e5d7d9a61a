#!/bin/sh
# Builds the e2e tier's binaries into $1 (make e2e passes .tools/e2e):
# kube-apiserver, kube-controller-manager, kube-scheduler and etcd from the
# pins of go.mod, keygen (the service-account key, ./keygen) from the standard
# library, kwok from the pin of kwok/go.mod, and Flux's source-controller and
# kustomize-controller from flux/*/go.mod with their CRDs (into OUTDIR/crds,
# from the same module versions), and Argo CD (argocd/pin) with its CRDs (into
# OUTDIR/crds/argocd) and the git-verify-wrapper.sh its image puts on PATH (into
# OUTDIR/argocd-path). The module cache and
# build cache make the second run a no-op for Go; make's stamp file makes it a
# no-op for make.
set -eu
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# The versions come from the go.mod files, so each pin lives in one place.
k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' go.mod)
kwok_version=$(awk 'NF >= 2 && $(NF-1) == "sigs.k8s.io/kwok" { print $NF }' kwok/go.mod)
minor=$(echo "$k8s_version" | cut -d. -f2)
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

mkdir -p "$out"
# GOTOOLCHAIN=local: build with the installed Go, never fetch another one.
# -mod=readonly: go.sum is the pin; a missing hash is an error, not a fetch.
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
for command in kube-apiserver kube-controller-manager kube-scheduler; do
	go build -trimpath -ldflags "$ldflags" -o "$out/$command" "k8s.io/kubernetes/cmd/$command"
done
go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
go build -trimpath -ldflags "-s -w" -o "$out/keygen" ./keygen
# kwok has a module of its own (kwok/go.mod): its dependencies' versions differ
# from the Kubernetes pin's, and one module would make one side build with the other's.
cd kwok
go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$kwok_version" -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok

# Flux: each controller from a module of its own (flux/NAME/go.mod says why),
# and the CRDs from the same downloaded module, so binary and schema agree.
mkdir -p "$out/crds"
for controller in source-controller kustomize-controller; do
	cd "$here/flux/$controller"
	go build -trimpath -ldflags "-s -w" -o "$out/$controller" "github.com/fluxcd/$controller"
	module_dir=$(go list -m -f '{{.Dir}}' "github.com/fluxcd/$controller")
	cp "$module_dir"/config/crd/bases/*.yaml "$out/crds/"
done
chmod u+w "$out"/crds/*.yaml

# Argo CD: its go.mod replaces gitops-engine/v3 with ./gitops-engine, a nested
# module the published zip leaves out, so neither `go install` nor a build in
# the downloaded module works as it is. The build copies the module, drops that
# one replace (the published gitops-engine/v3 of the same version takes its
# place, checked against argocd/go.sum.extra) and builds ./cmd, the one binary
# that is every component (ARGOCD_BINARY_NAME picks one). It needs Go 1.27.
. "$here/argocd/pin"
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
module_dir=$(cd "$src" && GOTOOLCHAIN=$toolchain GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -R "$module_dir/." "$src/argo-cd" && chmod -R u+w "$src/argo-cd"
cd "$src/argo-cd"
GOTOOLCHAIN=$toolchain go mod edit -dropreplace=github.com/argoproj/argo-cd/gitops-engine/v3
cat "$here/argocd/go.sum.extra" >> go.sum
GOTOOLCHAIN=$toolchain go build -trimpath -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${version#v}" -o "$out/argocd" ./cmd
mkdir -p "$out/crds/argocd" "$out/argocd-path"
cp manifests/crds/application-crd.yaml manifests/crds/applicationset-crd.yaml manifests/crds/appproject-crd.yaml "$out/crds/argocd/"
cp hack/git-verify-wrapper.sh "$out/argocd-path/" && chmod 755 "$out/argocd-path/git-verify-wrapper.sh"
