// Command firstcall is a fresh process answering its first sort call
// through wazero: read the module, compile it (with wazero's on-disk
// cache: warm, this is a file read), instantiate, sort the container
// scenario with every model, print the answer. Time it as a whole
// process; the budget with a warm cache is 150 ms:
//
//	go build -o build/firstcall ./cmd/firstcall
//	build/firstcall -cache /tmp/gaisort-wazero build/gaisort.wasm   # warms the cache
//	time build/firstcall -cache /tmp/gaisort-wazero build/gaisort.wasm
//
// -v prints each phase's duration on standard error.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gaisort/gaisort/internal/wasmhost"
)

func main() {
	cache := flag.String("cache", wasmhost.CacheDir(), "wazero compilation cache directory (empty: none)")
	verbose := flag.Bool("v", false, "print each phase's duration on standard error")
	flag.Parse()
	path := "build/gaisort.wasm"
	if flag.NArg() > 0 {
		path = flag.Arg(0)
	}
	start := time.Now()
	phase := func(name string) {
		if *verbose {
			fmt.Fprintf(os.Stderr, "%-12s %v\n", name, time.Since(start))
		}
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	phase("read")
	w, err := wasmhost.NewWazero(context.Background(), bin, *cache)
	if err != nil {
		fail(err)
	}
	phase("compile")
	in, err := w.Instantiate()
	if err != nil {
		fail(err)
	}
	phase("instantiate")
	ans, err := in.Sort([]byte(wasmhost.Container8), "")
	if err != nil {
		fail(err)
	}
	phase("first call")
	os.Stdout.Write(append(ans, '\n'))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "firstcall:", err)
	os.Exit(1)
}
