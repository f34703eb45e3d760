package wasmhost

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// copyTree copies the files the module is built from (go.mod, go.sum,
// engine/, wasm/; no tests) into dir.
func copyTree(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join(repoRoot, f), filepath.Join(dir, f))
	}
	for _, pkg := range []string{"engine", "wasm"} {
		entries, err := os.ReadDir(filepath.Join(repoRoot, pkg))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
				continue
			}
			copyFile(t, filepath.Join(repoRoot, pkg, name), filepath.Join(dir, pkg, name))
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Two builds, from the repository and from a copy of it elsewhere, give
// the same bytes: the build is deterministic and independent of the
// checkout's path. With GAISORT_WASM_COLD=1 the second build starts from
// an empty build cache (slow: the standard library is compiled again), so
// that the cache cannot hide a difference.
func TestDeterministicBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module twice")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out1 := filepath.Join(t.TempDir(), "a", "gaisort.wasm")
	out2 := filepath.Join(t.TempDir(), "b", "gaisort.wasm")
	if err := Build(repoRoot, out1); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	copyTree(t, elsewhere)
	var env []string
	if os.Getenv("GAISORT_WASM_COLD") != "" {
		env = append(env, "GOCACHE="+t.TempDir())
	}
	if err := Build(elsewhere, out2, env...); err != nil {
		t.Fatal(err)
	}
	a, err := os.ReadFile(out1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out2)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(a)
	t.Logf("%d bytes, sha256 %s", len(a), hex.EncodeToString(sum[:]))
	if !bytes.Equal(a, b) {
		t.Fatalf("two builds differ: %d and %d bytes", len(a), len(b))
	}
	if os.Getenv("GAISORT_WASM") == "" && !bytes.Equal(a, moduleBin) {
		t.Errorf("the module under test differs from a fresh build")
	}
}
