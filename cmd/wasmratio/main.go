// Command wasmratio measures what compiling the engine to WebAssembly
// costs, apart from any module glue or host binding: it runs the engine's
// own benchmarks (package engine, the same Go code, the same inputs)
// natively, then as a GOOS=wasip1 test binary under wazero and under
// wasmtime, and as a GOOS=js test binary under Node's V8, and prints one
// table of medians with each runtime's slowdown against native.
//
// Beside the engine's Request benchmark under each runtime it sets the
// module's own round trip under the same runtime (the same request: the
// container scenario, the default models, the full answer), and prints
// their ratio against the budget of issue 17: the module's glue (the
// exports, the host's copies and calls) within 10% of the engine's own
// work. Under wazero and wasmtime the round trip is hosttests/wasmhost's
// BenchmarkSortWazero and BenchmarkSortWasmtime (a Go host: alloc, write,
// gaisort_sort, read, free); under V8 it is the JavaScript binding's
// sortJSON (encode into the module's memory, gaisort_sort, decode, free;
// no JSON.parse), timed by a small Node script. The two are measured in
// adjacent pairs, and the ratio is the median of the pairs' ratios.
//
// It then builds, with the module's own flags, the smallest Go reactor
// (testdata/empty) and the same with net/netip and strconv
// (testdata/netip), beside the module, and prints the three sizes: how
// much of the module is the Go runtime, and how much the engine.
//
//	go run ./cmd/wasmratio [-count 3] [-bench "REGEXP ..."] [-runtimes native,wazero,wasmtime,v8] [-sizes=true]
//
// (make wasm-ratio). It builds two helpers into build/: wazero's own
// command at the version go.mod pins, and cmd/wasiexec (wasmtime-go,
// cgo). The V8 row needs node on PATH and uses Go's lib/wasm/go_js_wasm_exec.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gaisort/gaisort/internal/wasmbuild"
)

// The default benchmarks: every model on the container scenario (host
// model included, no allocation), the scenario reader and writer, the
// answer writer, and the whole request (testdata/bench/container8.json:
// parse, three models, the answer with explanations). Two patterns: go
// test skips a benchmark without sub-benchmarks when the pattern has a
// second level.
const defaultBench = `^Benchmark(RFC6724Container8|Musl|ParseScenario|AppendJSON|AppendAnswer|Request)$ ^BenchmarkGlibc$/^default$`

type runtime struct {
	name, label string
	env         []string
	exec        string // go test -exec, or ""
}

func main() {
	count := flag.Int("count", 3, "runs of each benchmark (the table gives medians)")
	bench := flag.String("bench", defaultBench, "benchmarks of package engine to run: go test -bench patterns, separated by spaces")
	which := flag.String("runtimes", "native,wazero,wasmtime,v8", "runtimes to run, comma separated")
	sizes := flag.Bool("sizes", true, "also print the module's size beside the Go runtime's floor")
	roundTrip := flag.Bool("roundtrip", true, "also time the module's round trip under each runtime and set it beside Request")
	flag.Parse()

	root, err := os.Getwd()
	check(err)
	if _, err := os.Stat(filepath.Join(root, "engine")); err != nil {
		check(fmt.Errorf("run from the repository's root (no engine/ here)"))
	}
	build := filepath.Join(root, "build")
	check(os.MkdirAll(build, 0o755))
	goroot := strings.TrimSpace(output(exec.Command("go", "env", "GOROOT")))

	all := map[string]runtime{
		"native": {name: "native", label: "native (linux/amd64)"},
		"wazero": {name: "wazero", label: "wazero (wasip1)", env: []string{"GOOS=wasip1", "GOARCH=wasm"},
			exec: filepath.Join(build, "wazero") + " run -mount /:/ -env-inherit -cachedir " + filepath.Join(build, "wazero-cli-cache")},
		"wasmtime": {name: "wasmtime", label: "wasmtime (wasip1)", env: []string{"GOOS=wasip1", "GOARCH=wasm"},
			exec: filepath.Join(build, "wasiexec")},
		"v8": {name: "v8", label: "Node's V8 (js/wasm)", env: []string{"GOOS=js", "GOARCH=wasm"},
			exec: filepath.Join(goroot, "lib", "wasm", "go_js_wasm_exec")},
	}
	var rts []runtime
	for _, n := range strings.Split(*which, ",") {
		rt, ok := all[strings.TrimSpace(n)]
		if !ok {
			check(fmt.Errorf("unknown runtime %q (known: native, wazero, wasmtime, v8)", n))
		}
		rts = append(rts, rt)
	}
	for _, rt := range rts {
		switch rt.name {
		case "wazero":
			// wazero's own command, at the version go.mod pins.
			run(exec.Command("go", "build", "-o", filepath.Join(build, "wazero"), "github.com/tetratelabs/wazero/cmd/wazero"))
		case "wasmtime":
			c := exec.Command("go", "build", "-tags", "wasmtime", "-o", filepath.Join(build, "wasiexec"), "./cmd/wasiexec")
			c.Env = append(os.Environ(), "CGO_ENABLED=1")
			run(c)
		}
	}

	// results[benchmark][runtime] = ns/op of each run
	results := map[string]map[string][]float64{}
	var order []string
	for _, rt := range rts {
		fmt.Fprintf(os.Stderr, "wasmratio: %s ...\n", rt.label)
		for _, pattern := range strings.Fields(*bench) {
			args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-cpu", "1", "-count", strconv.Itoa(*count)}
			if rt.exec != "" {
				args = append(args, "-exec", rt.exec)
			}
			c := exec.Command("go", append(args, "./engine/")...)
			c.Env = append(os.Environ(), rt.env...)
			sc := bufio.NewScanner(bytes.NewReader([]byte(output(c))))
			for sc.Scan() {
				name, ns, ok := parseLine(sc.Text())
				if !ok {
					continue
				}
				if results[name] == nil {
					results[name] = map[string][]float64{}
					order = append(order, name)
				}
				results[name][rt.name] = append(results[name][rt.name], ns)
			}
		}
	}

	fmt.Printf("Medians of %d runs, -cpu 1; in brackets, each runtime's time over native's.\n\n", *count)
	fmt.Print("| benchmark (package engine) |")
	for _, rt := range rts {
		fmt.Printf(" %s |", rt.label)
	}
	fmt.Print("\n|---|")
	for range rts {
		fmt.Print("---|")
	}
	fmt.Println()
	for _, name := range order {
		fmt.Printf("| %s |", name)
		base := median(results[name]["native"])
		for _, rt := range rts {
			m := median(results[name][rt.name])
			switch {
			case m == 0:
				fmt.Print(" — |")
			case rt.name == "native" || base == 0:
				fmt.Printf(" %s |", duration(m))
			default:
				fmt.Printf(" %s (%.1f×) |", duration(m), m/base)
			}
		}
		fmt.Println()
	}
	if *roundTrip {
		printRoundTrip(root, build, rts, *count)
	}
	if *sizes {
		printSizes(root, build)
	}
}

// RoundTripBudget is issue 17's guard: the module's round trip takes at
// most this many times the engine's own Request benchmark under the same
// runtime.
const RoundTripBudget = 1.10

// printRoundTrip times the module's round trip under each WebAssembly
// runtime and prints it beside the engine's Request benchmark there. The
// two are measured in adjacent pairs (Request once, the round trip once,
// count times over): on a shared machine whose speed drifts by half
// between minutes, only figures taken together can be compared, so the
// ratio printed is the median of the pairs' ratios.
func printRoundTrip(root, build string, rts []runtime, count int) {
	hows := map[string]string{}
	var hostBench []string
	var wrts []runtime
	for _, rt := range rts {
		switch rt.name {
		case "wazero":
			hostBench = append(hostBench, "Wazero")
			hows[rt.name] = "hosttests/wasmhost BenchmarkSortWazero, a Go host"
		case "wasmtime":
			hostBench = append(hostBench, "Wasmtime")
			hows[rt.name] = "hosttests/wasmhost BenchmarkSortWasmtime, a Go host"
		case "v8":
			hows[rt.name] = "bindings/js sortJSON"
		default:
			continue
		}
		wrts = append(wrts, rt)
	}
	if len(wrts) == 0 {
		return
	}
	wasm := filepath.Join(build, "gaisort-ratio.wasm")
	c := exec.Command("go", wasmbuild.Args(wasm, "./wasm")...)
	c.Dir = root
	c.Env = wasmbuild.Env()
	run(c)
	reqs := map[string][]float64{}  // runtime -> Request, one per pair
	trips := map[string][]float64{} // runtime (or "call:"+runtime) -> one per pair
	for i := 0; i < count; i++ {
		fmt.Fprintf(os.Stderr, "wasmratio: Request and the module's round trip, pair %d of %d ...\n", i+1, count)
		for _, rt := range wrts {
			args := []string{"test", "-run", "^$", "-bench", "^BenchmarkRequest$", "-cpu", "1", "-count", "1", "-exec", rt.exec, "./engine/"}
			c := exec.Command("go", args...)
			c.Dir = root
			c.Env = append(os.Environ(), rt.env...)
			for _, l := range strings.Split(output(c), "\n") {
				if _, ns, ok := parseLine(l); ok {
					reqs[rt.name] = append(reqs[rt.name], ns)
				}
			}
			if rt.name == "v8" {
				c := exec.Command("node", "--input-type=module", "-e", v8RoundTrip,
					pathURL(filepath.Join(root, "bindings", "js", "index.js")), wasm,
					filepath.Join(root, "testdata", "bench", "container8.json"), "1")
				c.Dir = root
				for _, l := range strings.Split(output(c), "\n") {
					if _, ns, ok := parseLine(l); ok {
						trips["v8"] = append(trips["v8"], ns)
					}
				}
				continue
			}
			b := map[string]string{"wazero": "Wazero", "wasmtime": "Wasmtime"}[rt.name]
			c = exec.Command("go", "test", "-tags", "wasmtime", "-run", "^$", "-bench", "^BenchmarkSort(Call)?"+b+"$",
				"-cpu", "1", "-count", "1", "./hosttests/wasmhost/")
			c.Dir = root
			c.Env = append(os.Environ(), "CGO_ENABLED=1", "GAISORT_WASM="+wasm)
			for _, l := range strings.Split(output(c), "\n") {
				name, ns, ok := parseLine(l)
				if !ok {
					continue
				}
				// BenchmarkSortWazero (the round trip), BenchmarkSortCallWazero
				// (its module call alone).
				key := rt.name
				if strings.HasPrefix(name, "BenchmarkSortCall") {
					key = "call:" + rt.name
				}
				trips[key] = append(trips[key], ns)
			}
		}
	}
	ratios := func(num, den []float64) []float64 {
		var out []float64
		for i := range min(len(num), len(den)) {
			if den[i] > 0 {
				out = append(out, num[i]/den[i])
			}
		}
		return out
	}
	fmt.Printf("\nThe module's round trip (container scenario, default models, the full answer) beside the engine's own Request benchmark under the same runtime, measured in %d adjacent pairs (-cpu 1); budget: the round trip at most %.2f× Request. Medians; the ratios are the medians of the pairs' ratios.\n\n", count, RoundTripBudget)
	fmt.Println("| runtime | `Request` (package engine, under the runtime) | the module's round trip | of which the module's call (request written once) | round trip / Request | budget |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, rt := range wrts {
		req, trip := median(reqs[rt.name]), median(trips[rt.name])
		call := "—"
		if cr := median(ratios(trips["call:"+rt.name], reqs[rt.name])); cr > 0 {
			call = duration(median(trips["call:"+rt.name])) + " (" + strconv.FormatFloat(cr, 'f', 2, 64) + "×)"
		}
		r := median(ratios(trips[rt.name], reqs[rt.name]))
		if r == 0 {
			fmt.Printf("| %s | %s | %s | %s | — | not measured |\n", rt.label, duration(req), duration(trip), call)
			continue
		}
		verdict := "within"
		if r > RoundTripBudget {
			verdict = "OVER by " + strconv.FormatFloat((r/RoundTripBudget-1)*100, 'f', 0, 64) + "%"
		}
		fmt.Printf("| %s | %s | %s (%s) | %s | %.2f× | ≤ %.2f×: %s |\n", rt.label, duration(req), duration(trip), hows[rt.name], call, r, RoundTripBudget, verdict)
	}
}

func pathURL(p string) string { return "file://" + filepath.ToSlash(p) }

// v8RoundTrip times the JavaScript binding's sortJSON on the benchmark
// scenario (as JSON text: no stringify, no JSON.parse) and prints one
// line per run in go test's format. Arguments: index.js URL, module path,
// scenario path, runs.
const v8RoundTrip = `
import { readFileSync } from 'node:fs';
const [indexURL, wasm, scenario, runs] = process.argv.slice(1);
const { load } = await import(indexURL);
const engine = await load(wasm);
const text = readFileSync(scenario, 'utf8');
for (let i = 0; i < 20000; i++) engine.sortJSON(text);
for (let r = 0; r < Number(runs); r++) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < 1000) {
    for (let i = 0; i < 1000; i++) engine.sortJSON(text);
    n += 1000;
    t = performance.now();
  }
  console.log('BenchmarkSortV8 ' + n + ' ' + (((t - t0) * 1e6) / n).toFixed(0) + ' ns/op');
}
`

// printSizes builds the two floors and the module with the module's flags
// (internal/wasmbuild) and prints their sizes, raw and gzipped (compress/gzip at level 9, a few KB
// off the gzip command's -9 that make size uses).
func printSizes(root, build string) {
	fmt.Printf("\nSizes, built with the module's flags (%s):\n\n", strings.Join(wasmbuild.Flags(), " "))
	fmt.Println("| module | raw bytes | gzipped bytes (compress/gzip, level 9) |")
	fmt.Println("|---|---|---|")
	for _, m := range []struct{ label, pkg string }{
		{"the smallest Go reactor (testdata/empty)", "./cmd/wasmratio/testdata/empty"},
		{"the same with net/netip and strconv (testdata/netip)", "./cmd/wasmratio/testdata/netip"},
		{"gaisort (./wasm)", "./wasm"},
	} {
		out := filepath.Join(build, "size-"+filepath.Base(m.pkg)+".wasm")
		c := exec.Command("go", wasmbuild.Args(out, m.pkg)...)
		c.Dir = root
		c.Env = wasmbuild.Env()
		run(c)
		bin, err := os.ReadFile(out)
		check(err)
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(bin)
		w.Close()
		fmt.Printf("| %s | %d | %d |\n", m.label, len(bin), gz.Len())
	}
}

// parseLine reads "BenchmarkX-N? <iters> <ns> ns/op ..." (with -cpu 1 the
// name has no -N suffix).
func parseLine(line string) (name string, ns float64, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", 0, false
	}
	for i := 2; i+1 < len(f); i++ {
		if f[i+1] == "ns/op" {
			v, err := strconv.ParseFloat(f[i], 64)
			return f[0], v, err == nil
		}
	}
	return "", 0, false
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func duration(ns float64) string {
	if ns >= 1000 {
		return strconv.FormatFloat(ns/1000, 'f', 1, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'f', 0, 64) + " ns"
}

func output(c *exec.Cmd) string {
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		os.Stderr.Write(out)
		check(fmt.Errorf("%s: %w", strings.Join(c.Args, " "), err))
	}
	return string(out)
}

func run(c *exec.Cmd) {
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	check(c.Run())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmratio:", err)
		os.Exit(1)
	}
}
