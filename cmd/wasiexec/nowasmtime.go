//go:build !wasmtime

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wasiexec: built without -tags wasmtime; build it with: CGO_ENABLED=1 go build -tags wasmtime ./cmd/wasiexec")
	os.Exit(2)
}
