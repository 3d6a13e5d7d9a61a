//go:build tools

// Package tools records the two commands this module exists to build, so
// `go mod tidy` keeps their dependencies. The build tag keeps it out of any
// real build: main packages cannot be imported.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
