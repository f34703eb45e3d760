// Command wasmbuild builds the WebAssembly module with its fixed flags
// (internal/wasmbuild, their one place) and writes the version file beside
// it (ABI.md: {"gaisort","abi","sha256","size"}). It is `make wasm`:
//
//	go run ./cmd/wasmbuild [-go go] [-o build/gaisort.wasm]
//
// Run in the repository root. It prints the build command, then the
// version file.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gaisort/gaisort/internal/wasmbuild"
)

func main() {
	goCmd := flag.String("go", "go", "the go command")
	out := flag.String("o", "build/gaisort.wasm", "the module to write; its version file is the same path plus .json")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "wasmbuild: unexpected argument %q (it takes only flags)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*goCmd, *out); err != nil {
		fmt.Fprintln(os.Stderr, "wasmbuild:", err)
		os.Exit(1)
	}
}

func run(goCmd, out string) error {
	version, abi, err := wasmbuild.ReadVersion(".")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	fmt.Println(wasmbuild.Command(goCmd, out, wasmbuild.Package))
	if err := wasmbuild.Build(goCmd, ".", out); err != nil {
		return err
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(bin)
	side := wasmbuild.Sidecar(version, abi, hex.EncodeToString(sum[:]), len(bin))
	if err := os.WriteFile(out+".json", []byte(side), 0o644); err != nil {
		return err
	}
	fmt.Print(side)
	return nil
}
