#!/bin/sh
# Builds the pinned kube-apiserver and etcd of go.mod into $1 (make e2e passes
# .tools/e2e). The module cache and build cache make the second run a no-op
# for Go; make's stamp file makes it a no-op for make.
set -eu
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# The version comes from go.mod, so the pin lives in one place.
k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' go.mod)
minor=$(echo "$k8s_version" | cut -d. -f2)
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

mkdir -p "$out"
# GOTOOLCHAIN=local: build with the installed Go, never fetch another one.
# -mod=readonly: go.sum is the pin; a missing hash is an error, not a fetch.
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
go build -trimpath -ldflags "$ldflags" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
