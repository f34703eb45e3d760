//go:build wasmtime

// Command wasiexec runs a WASI preview 1 command module (a Go test binary
// built with GOOS=wasip1) under wasmtime-go, as `go test -exec` wants:
//
//	wasiexec module.wasm [args...]
//
// The host's environment, standard streams and file system ("/" as "/")
// are the module's, as Go's own lib/wasm/go_wasip1_wasm_exec gives them
// under the wasmtime CLI, which this machine does not have. The exit code
// is the module's. Build with -tags wasmtime (cgo).
//
// make wasm-ratio uses it to run the engine's benchmarks under wasmtime.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: wasiexec module.wasm [args...]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[1:]))
}

func run(path string, argv []string) int {
	cfg := wasmtime.NewConfig()
	// Go's wasm code keeps its own stack in linear memory, but the
	// runtime's deep calls still need more than wasmtime's default native
	// stack (the same 8 MiB go_wasip1_wasm_exec gives the wasmtime CLI).
	cfg.SetMaxWasmStack(8 << 20)
	engine := wasmtime.NewEngineWithConfig(cfg)
	module, err := wasmtime.NewModuleFromFile(engine, path)
	if err != nil {
		return fail(err)
	}
	linker := wasmtime.NewLinker(engine)
	if err := linker.DefineWasi(); err != nil {
		return fail(err)
	}
	wasi := wasmtime.NewWasiConfig()
	wasi.SetArgv(argv)
	wasi.InheritEnv()
	wasi.InheritStdin()
	wasi.InheritStdout()
	wasi.InheritStderr()
	if err := wasi.PreopenDir("/", "/", wasmtime.DIR_READ|wasmtime.DIR_WRITE, wasmtime.FILE_READ|wasmtime.FILE_WRITE); err != nil {
		return fail(err)
	}
	store := wasmtime.NewStore(engine)
	store.SetWasi(wasi)
	inst, err := linker.Instantiate(store, module)
	if err != nil {
		return fail(err)
	}
	start := inst.GetFunc(store, "_start")
	if start == nil {
		return fail(errors.New("the module exports no _start: not a WASI command"))
	}
	if _, err := start.Call(store); err != nil {
		var trap *wasmtime.Error
		if errors.As(err, &trap) {
			if code, ok := trap.ExitStatus(); ok {
				return int(code)
			}
		}
		return fail(err)
	}
	return 0
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "wasiexec:", err)
	return 1
}
