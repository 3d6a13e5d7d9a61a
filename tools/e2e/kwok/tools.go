//go:build tools

// Package tools records the command this module exists to build (cmd/kwok,
// the controller; not kwokctl, which would run clusters in containers), so
// `go mod tidy` keeps its dependencies. The build tag keeps it out of any real
// build: main packages cannot be imported.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
