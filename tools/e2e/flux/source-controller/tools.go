//go:build tools

// Package tools records the command this module exists to build, so
// `go mod tidy` keeps its dependencies. The build tag keeps it out of any real
// build: main packages cannot be imported.
package tools

import (
	_ "github.com/fluxcd/source-controller"
)
