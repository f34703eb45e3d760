package wasmhost

import (
	"os"
	"path/filepath"
)

// Container8 is the container scenario of docs/scenario.md with 8
// destinations, read from testdata/bench/container8.json: the one scenario
// every budget figure of the project is measured on (the engine's
// BenchmarkRequest, the module's, the JavaScript and Python packages').
// Found from the working directory upwards, as tests and `make firstcall`
// run inside the repository.
var Container8 = mustReadContainer8()

// Container8File is the benchmark scenario's path in the repository.
const Container8File = "testdata/bench/container8.json"

func mustReadContainer8() string {
	dir, err := os.Getwd()
	for err == nil {
		if b, rerr := os.ReadFile(filepath.Join(dir, Container8File)); rerr == nil {
			return string(b)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	panic("wasmhost: " + Container8File + " not found above the working directory: run inside the gaisort repository")
}

// CacheDir is where wazero keeps compiled code between processes:
// $GAISORT_WAZERO_CACHE, or gaisort/wazero under the user's cache
// directory (empty, no cache, if there is none).
func CacheDir() string {
	if d := os.Getenv("GAISORT_WAZERO_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gaisort", "wazero")
}
