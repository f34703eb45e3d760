package main

import (
	"os/exec"
	"strings"
	"testing"
)

// A Go user imports engine (or installs this command) and gets no
// WebAssembly runtime: the hosts of the module (internal/wasmhost: wazero,
// wasmtime-go) and the oracle are for the project's tests and tools only.
func TestNoHostDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, pkg := range []string{"github.com/gaisort/gaisort/engine", "github.com/gaisort/gaisort/cmd/gaisort"} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s: only %d packages: %q", pkg, len(deps), deps)
		}
		for _, d := range deps {
			for _, bad := range []string{"github.com/tetratelabs/wazero", "github.com/bytecodealliance/", "/internal/wasmhost", "/internal/oracle", "/hosttests/"} {
				if strings.Contains(d, bad) {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
}
