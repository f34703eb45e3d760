package wasmhost_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/internal/wasmbuild"
	"github.com/gaisort/gaisort/internal/wasmhost"
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
	if err := wasmbuild.Build("", repoRoot, out1); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	copyTree(t, elsewhere)
	var env []string
	if os.Getenv("GAISORT_WASM_COLD") != "" {
		env = append(env, "GOCACHE="+t.TempDir())
	}
	if err := wasmbuild.Build("", elsewhere, out2, env...); err != nil {
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

// The module links no fmt, encoding/json or reflect (they would blow the
// size budget): the import graph of ./wasm must not name them, and the
// function names of an unstripped build say what is linked.
func TestNoHeavyDependencies(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./wasm")
	cmd.Dir = repoRoot
	cmd.Env = wasmbuild.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	for _, bad := range []string{"fmt", "encoding/json", "reflect"} {
		if slices.Contains(deps, bad) {
			t.Errorf("the module imports %s", bad)
		}
	}
	if testing.Short() {
		return
	}
	unstripped := filepath.Join(t.TempDir(), "names.wasm")
	// The module's own build, but for -ldflags=-s -w (which strip the names).
	var args []string
	for _, a := range wasmbuild.Args(unstripped, wasmbuild.Package) {
		if a != wasmbuild.LDFlags {
			args = append(args, a)
		}
	}
	if len(args) != len(wasmbuild.Args(unstripped, wasmbuild.Package))-1 {
		t.Fatalf("no %s among the build's arguments %q", wasmbuild.LDFlags, args)
	}
	cmd = exec.Command("go", args...)
	cmd.Dir = repoRoot
	cmd.Env = wasmbuild.Env()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	bin, err := os.ReadFile(unstripped)
	if err != nil {
		t.Fatal(err)
	}
	names, err := wasmhost.FunctionNames(bin)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 1000 {
		t.Fatalf("only %d function names: no name section?", len(names))
	}
	for _, n := range names {
		if strings.HasPrefix(n, "fmt.") || strings.HasPrefix(n, "encoding_json.") ||
			strings.HasPrefix(n, "reflect.") {
			t.Errorf("the module links %s", n)
		}
	}
	t.Logf("%d functions linked", len(names))
}
