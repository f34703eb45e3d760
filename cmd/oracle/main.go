// Command oracle runs random scenarios through the real glibc and musl
// (internal/oracle) and through the engine's models of them, prints the
// agreement per model, and writes each disagreement, minimized, as a
// regression vector.
//
//	go run ./cmd/oracle -n 2000 -seed 1 [-models glibc,musl] [-write testdata/vectors/regress]
//	go run ./cmd/oracle -record testdata/vectors/curated
//	go run ./cmd/oracle -scenario FILE -dump
//	go run ./cmd/oracle -n 500 -models rfc6724=glibc
//
// Scenarios run in a pool of -workers (default 2; the runs mostly wait for
// processes). A model that panics is reported as answering PANIC(...), and
// its scenario is shrunk while it still panics, the oracle asked only for
// the final vector. -dump prints each scenario, its set-up script and the
// raw outputs of ip and of both probes.
//
// Without root or unshare it prints "oracle unavailable: <reason>" and
// exits 0 without any claim.
package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/oracle"
	"github.com/gaisort/gaisort/internal/scengen"
	"github.com/gaisort/gaisort/internal/vectors"
)

func main() {
	var (
		n        = flag.Int("n", 200, "number of random scenarios")
		seed     = flag.Uint64("seed", 1, "generator seed")
		models   = flag.String("models", "glibc,musl", "libraries whose engine models to judge (model=lib judges another model against lib)")
		write    = flag.String("write", "", "write minimized disagreements as vectors into this directory")
		record   = flag.String("record", "", "re-run the oracle on every vector of this directory and rewrite its recorded answers")
		scenario = flag.String("scenario", "", "run one scenario (or vector) file")
		dump     = flag.Bool("dump", false, "print each scenario, its set-up script and the raw outputs")
		workers  = flag.Int("workers", 2, "scenarios run at once")
		cache    = flag.String("cache", "", "directory for the built probes (default: under os.TempDir)")
		budget   = flag.Int("budget", 300, "oracle runs allowed per minimization")
		maxMin   = flag.Int("maxmin", 25, "most disagreements minimized per model")
		strict   = flag.Bool("strict", false, "exit 1 when a model disagrees with a stable real answer (for CI)")
	)
	flag.Parse()

	if ok, why := oracle.Available(); !ok {
		fmt.Println("oracle unavailable: " + why)
		return
	}
	r, err := oracle.NewRunner(*cache)
	if err != nil {
		fatal(err)
	}
	fmt.Println("environment:", r.Environment())

	switch {
	case *record != "":
		doRecord(r, *record, *dump)
	case *scenario != "":
		doScenario(r, *scenario, *dump, libs(*models))
	default:
		doRandom(r, *n, *seed, libs(*models), *write, *workers, *dump, *budget, *maxMin)
	}
	if *strict && *record == "" && *scenario == "" {
		// One judgement per scenario and model, in the plain form CI
		// reads: a disagreement the kernel made unstable is not counted.
		fmt.Printf("oracle: %d passed, %d failed\n", judgedAgree, stableDisagreements)
	}
	if *strict && stableDisagreements > 0 {
		fmt.Fprintf(os.Stderr, "oracle: %d stable disagreements between the models and the real libraries\n", stableDisagreements)
		os.Exit(1)
	}
}

// judgedAgree counts the scenarios on which a model agreed with its real
// library, over every model judged.
var judgedAgree int

// stableDisagreements counts the disagreements whose real answer did not
// change when run again: -strict fails on them.
var stableDisagreements int

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "oracle:", err)
	os.Exit(1)
}

type judged struct {
	lib   string
	model engine.Model
}

func libs(list string) []judged {
	var out []judged
	for _, l := range strings.Split(list, ",") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		// "model=lib" judges any model against a library (e.g.
		// rfc6724=glibc); "lib" judges the model of that name.
		name, lib, ok := strings.Cut(l, "=")
		if !ok {
			lib = name
		}
		if lib != "glibc" && lib != "musl" {
			fmt.Printf("%s: no real library of that name recorded (glibc, musl): skipped\n", lib)
			continue
		}
		m, ok := engine.LookupModel(name)
		if !ok {
			fmt.Printf("%s: model not registered in engine yet: skipped (oracle answers still checked)\n", name)
			continue
		}
		out = append(out, judged{lib, m})
	}
	return out
}

func printTrace(label string, sc *engine.Scenario, t *oracle.Trace) {
	fmt.Printf("=== %s\nscenario: %s\n--- script\n%s--- output\n%s--- glibc %v\n--- musl  %v\n--- took %v\n",
		label, sc.AppendJSON(nil), t.Script, t.Output, t.Glibc, t.Musl, t.Took.Round(time.Millisecond))
}

func doScenario(r *oracle.Runner, file string, dump bool, js []judged) {
	data, err := os.ReadFile(file)
	if err != nil {
		fatal(err)
	}
	sc, err := engine.ParseScenario(data)
	if err != nil {
		v, verr := vectors.ReadFile(file)
		if verr != nil {
			fatal(fmt.Errorf("%s: neither a scenario (%v) nor a vector (%v)", file, err, verr))
		}
		sc = v.Scenario
	}
	t, err := r.Trace(sc)
	if dump && t != nil {
		printTrace(file, sc, t)
	}
	if err != nil {
		fatal(err)
	}
	fmt.Printf("glibc: %v\nmusl:  %v\n", t.Glibc, t.Musl)
	h := engine.NewHost(sc)
	for k, d := range sc.Destinations {
		c := h.Connect(d)
		fmt.Printf("connect %s: kernel %s, host model %s\n", d, connString(t.Conns[k].Source, t.Conns[k].Err), connString(c.Source, c.Err))
	}
	for _, j := range js {
		fmt.Printf("%s model: %v\n", j.lib, oracle.ModelAnswer(j.model, sc))
	}
}

func toVec(a oracle.Answer) vectors.Answer {
	return vectors.Answer{Order: a.Order, Error: a.Err}
}

func doRecord(r *oracle.Runner, dir string, dump bool) {
	vs, err := vectors.Load(dir)
	if err != nil {
		fatal(err)
	}
	changed := 0
	for i := range vs {
		v := &vs[i]
		t, err := r.Trace(v.Scenario)
		if dump && t != nil {
			printTrace(v.File, v.Scenario, t)
		}
		if err != nil {
			fatal(fmt.Errorf("%s: %v", v.File, err))
		}
		old := v.Recorded
		v.Recorded = map[string]vectors.Answer{"glibc": toVec(t.Glibc), "musl": toVec(t.Musl)}
		v.Environment = r.Environment()
		note := ""
		if old != nil && (!old["glibc"].Equal(t.Glibc.Err, t.Glibc.Order) || !old["musl"].Equal(t.Musl.Err, t.Musl.Order)) {
			note = " (CHANGED)"
			changed++
		}
		if err := vectors.WriteFile(v.File, v); err != nil {
			fatal(err)
		}
		fmt.Printf("%s: glibc %v, musl %v%s\n", filepath.Base(v.File), t.Glibc, t.Musl, note)
	}
	fmt.Printf("recorded %d vectors (%d changed answers)\n", len(vs), changed)
}

type outcome struct {
	sc          *engine.Scenario
	trace       *oracle.Trace
	err         error
	glibc, musl oracle.Answer
}

func doRandom(r *oracle.Runner, n int, seed uint64, js []judged, write string, workers int, dump bool, budget, maxMin int) {
	gen := scengen.New(seed)
	scs := make([]*engine.Scenario, n)
	for i := range scs {
		scs[i] = gen.Next()
	}
	res := make([]outcome, n)
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t, err := r.Trace(scs[i])
				o := outcome{sc: scs[i], trace: t, err: err}
				if err == nil {
					o.glibc, o.musl = t.Glibc, t.Musl
				}
				res[i] = o
				mu.Lock()
				done++
				if done%200 == 0 {
					fmt.Fprintf(os.Stderr, "... %d/%d scenarios, %.1f/s\n", done, n, float64(done)/time.Since(start).Seconds())
				}
				mu.Unlock()
			}
		}()
	}
	for i := range scs {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)

	var setupErrs []int
	var lat []time.Duration
	slow := 0
	for i, o := range res {
		if dump && o.trace != nil {
			printTrace(fmt.Sprintf("scenario %d", i), o.sc, o.trace)
		}
		if o.err != nil {
			setupErrs = append(setupErrs, i)
			continue
		}
		lat = append(lat, o.trace.Took)
		if o.trace.Took > time.Second {
			slow++
		}
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	ok := len(lat)
	fmt.Printf("oracle: %d scenarios in %v (%.1f scenarios/s with %d workers); %d set-up failures\n",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), workers, len(setupErrs))
	if ok > 0 {
		fmt.Printf("per scenario: median %v, p90 %v, max %v; %d took over 1 s\n",
			lat[ok/2].Round(time.Millisecond), lat[ok*9/10].Round(time.Millisecond), lat[ok-1].Round(time.Millisecond), slow)
	}
	for k, i := range setupErrs {
		if k == 5 {
			fmt.Printf("... and %d more set-up failures\n", len(setupErrs)-5)
			break
		}
		fmt.Printf("set-up failure, scenario %d: %s\n  %v\n", i, scs[i].AppendJSON(nil), firstLines(res[i].err.Error(), 3))
	}
	// Library agreement with each other, for the record.
	same := 0
	for _, o := range res {
		if o.err == nil && o.glibc.Equal(o.musl) {
			same++
		}
	}
	fmt.Printf("real glibc and musl agree on %d/%d\n", same, ok)

	hostModel(res)

	for _, j := range js {
		var bad []int
		for i, o := range res {
			if o.err != nil {
				continue
			}
			if !oracle.ModelAnswer(j.model, o.sc).Equal(oracle.Pick(j.lib, o.glibc, o.musl)) {
				bad = append(bad, i)
			}
		}
		fmt.Printf("%s: %d/%d agree (%.2f%%)\n", label(j), ok-len(bad), ok, 100*float64(ok-len(bad))/float64(max(ok, 1)))
		judgedAgree += ok - len(bad)
		seen := map[string]bool{}
		for k, i := range bad {
			o := res[i]
			if k < 10 {
				fmt.Printf("  scenario %d: model %v, real %v\n    %s\n", i, oracle.ModelAnswer(j.model, o.sc), oracle.Pick(j.lib, o.glibc, o.musl), o.sc.AppendJSON(nil))
			}
			// The real answer must be stable before it can judge: with
			// equal-metric IPv6 routes on several interfaces (every
			// interface has ff00::/8 in the local table) the kernel
			// round-robins between them, and its answer changes from run
			// to run.
			if unstable(r, o.sc, j.lib, oracle.Pick(j.lib, o.glibc, o.musl)) {
				fmt.Printf("  scenario %d: the real %s answer is not stable across runs: not judged, not written\n", i, j.lib)
				continue
			}
			stableDisagreements++
			if write == "" || k >= maxMin {
				continue
			}
			m, g, mu, runs := r.Minimize(o.sc, j.lib, j.model, budget)
			h := vectors.Hash(m)
			if seen[h] {
				continue
			}
			seen[h] = true
			real := oracle.Pick(j.lib, g, mu)
			said := oracle.ModelAnswer(j.model, m)
			if said.Equal(real) {
				fmt.Printf("  scenario %d: disagreement not reproducible, not written\n", i)
				continue
			}
			v := &vectors.Vector{
				Name: "regress-" + h,
				Description: fmt.Sprintf("Random oracle (seed %d, scenario %d), minimized in %d runs: the %s model answered %v, the real %s %v.",
					seed, i, runs, j.model.Info().Name, said, j.lib, real),
				Scenario:    m,
				Recorded:    map[string]vectors.Answer{"glibc": toVec(g), "musl": toVec(mu)},
				Environment: r.Environment(),
			}
			if err := os.MkdirAll(write, 0o755); err != nil {
				fatal(err)
			}
			path := filepath.Join(write, h+".json")
			if err := vectors.WriteFile(path, v); err != nil {
				fatal(err)
			}
			fmt.Printf("  wrote %s (%d runs): %s\n", path, runs, m.AppendJSON(nil))
		}
	}
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n  ")
}

func label(j judged) string {
	if j.model.Info().Name == j.lib {
		return j.lib
	}
	return j.model.Info().Name + " vs real " + j.lib
}

// hostModel judges engine.Host.Connect against the kernel's answers
// (connect + getsockname per destination) and prints the first
// disagreements.
func hostModel(res []outcome) {
	dests, agree, shown := 0, 0, 0
	for i, o := range res {
		if o.err != nil {
			continue
		}
		h := engine.NewHost(o.sc)
		for k, d := range o.sc.Destinations {
			dests++
			got := o.trace.Conns[k]
			c := h.Connect(d)
			ok := c.Err == got.Err
			if ok && c.Err == "" {
				ok = c.Source.WithZone("") == got.Source.WithZone("")
			}
			if ok {
				agree++
				continue
			}
			if shown < 8 {
				shown++
				fmt.Printf("  host model, scenario %d, destination %s: model %s, kernel %s\n    %s\n",
					i, d, connString(c.Source, c.Err), connString(got.Source, got.Err), o.sc.AppendJSON(nil))
			}
		}
	}
	fmt.Printf("host model (engine.Host.Connect vs the kernel): %d/%d destinations agree (%.2f%%)\n",
		agree, dests, 100*float64(agree)/float64(max(dests, 1)))
}

func connString(src netip.Addr, err string) string {
	if err != "" {
		return err
	}
	return "source " + src.String()
}

// unstable re-runs sc twice and reports whether the library's answer
// changed.
func unstable(r *oracle.Runner, sc *engine.Scenario, lib string, first oracle.Answer) bool {
	for range 2 {
		g, m, err := r.Run(sc)
		if err != nil || !oracle.Pick(lib, g, m).Equal(first) {
			return true
		}
	}
	return false
}
