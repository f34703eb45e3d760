// Package wasmbuild holds the facts of the WebAssembly module's build in
// one place: its environment and flags (a deterministic build: the same
// tree gives the same bytes wherever it is checked out) and its version,
// read from wasm/main.go. `make wasm` builds through it (cmd/wasmbuild),
// and so do the host tests, cmd/wasmratio and anything else that builds
// the module; nothing else writes the flags down.
//
// Choices made here:
//   - The version lives in wasm/main.go (const Version), because the module
//     must report it and Go code can read nothing else at compile time;
//     everything else reads it from there (ReadVersion; the JavaScript and
//     Python packages' tests compare their own version with the module's).
//   - ReadVersion parses the file with go/parser rather than a pattern, so
//     a reformatted or grouped const block still reads.
package wasmbuild

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Package is the module's Go package, relative to the repository root.
const Package = "./wasm"

// fixedEnv is the build's environment, over the caller's. GOFLAGS is
// emptied so that a user's -race, -tags or -mod does not change the bytes.
var fixedEnv = []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS="}

// LDFlags strips the symbol table and DWARF (-s -w) and the build ID,
// which would otherwise differ between two checkouts.
const LDFlags = "-ldflags=-s -w -buildid="

// Env is the build's environment: the process's, with GOOS, GOARCH,
// CGO_ENABLED and GOFLAGS fixed.
func Env() []string { return append(os.Environ(), fixedEnv...) }

// FixedEnv is the part of Env that the build sets, as NAME=value.
func FixedEnv() []string { return append([]string(nil), fixedEnv...) }

// Flags are go build's flags for the module, -o and the package aside:
// no paths of the build machine (-trimpath), no VCS stamp, a reactor
// (c-shared: exports, _initialize, no main loop), stripped.
func Flags() []string {
	return []string{"-trimpath", "-buildvcs=false", "-buildmode=c-shared", LDFlags}
}

// Args are the arguments after `go` that build pkg into out.
func Args(out, pkg string) []string {
	return append(append([]string{"build"}, Flags()...), "-o", out, pkg)
}

// Command is the build of pkg into out as one shell command line, for
// printing: the fixed environment, then goCmd and Args, each word quoted
// when the shell needs it.
func Command(goCmd, out, pkg string) string {
	words := FixedEnv()
	words = append(words, goCmd)
	words = append(words, Args(out, pkg)...)
	for i, w := range words {
		words[i] = shellQuote(w)
	}
	return strings.Join(words, " ")
}

// shellQuote leaves a word of only safe characters as it is and single
// quotes any other.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./,:+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Build builds the module from the repository at root into out with the
// go command goCmd ("go" if empty); env adds to (or overrides) the
// build's environment.
func Build(goCmd, root, out string, env ...string) error {
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, Args(out, Package)...)
	cmd.Dir = root
	cmd.Env = append(Env(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the module: %v\n%s", err, b)
	}
	return nil
}

// MainFile is the file holding the module's Version and ABIVersion
// constants, relative to the repository root.
const MainFile = "wasm/main.go"

// ReadVersion reads the constants Version (a string) and ABIVersion (an
// integer) from wasm/main.go under root.
func ReadVersion(root string) (version string, abi int, err error) {
	path := filepath.Join(root, MainFile)
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return "", 0, err
	}
	consts := map[string]constant.Value{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						consts[n.Name] = constant.MakeFromLiteral(lit.Value, lit.Kind, 0)
					}
				}
			}
		}
	}
	v, ok := consts["Version"]
	if !ok || v.Kind() != constant.String {
		return "", 0, errors.New(path + ": no string literal const Version")
	}
	version = constant.StringVal(v)
	if version == "" {
		return "", 0, errors.New(path + ": const Version is empty")
	}
	a, ok := consts["ABIVersion"]
	if !ok || a.Kind() != constant.Int {
		return "", 0, errors.New(path + ": no integer literal const ABIVersion")
	}
	n, exact := constant.Int64Val(a)
	if !exact || n < 1 || n > 1<<31 {
		return "", 0, fmt.Errorf("%s: const ABIVersion = %s is out of range", path, a)
	}
	return version, int(n), nil
}

// Sidecar is build/gaisort.wasm.json: the module's version, ABI version,
// SHA-256 (hex) and size, as ABI.md describes it.
func Sidecar(version string, abi int, sha256Hex string, size int) string {
	return `{"gaisort":` + strconv.Quote(version) + `,"abi":` + strconv.Itoa(abi) +
		`,"sha256":"` + sha256Hex + `","size":` + strconv.Itoa(size) + "}\n"
}
