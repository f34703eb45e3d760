// Command oracle runs random scenarios through every real library version
// of internal/oracle (glibc 2.31, 2.36, 2.41, 2.43; musl 1.2.2, 1.2.3,
// 1.2.5, 1.2.6: Debian's packages, fetched and built into build/oracle on
// the first run, reused after) and through the engine's model of the same
// ID, prints the agreement per version, and writes each disagreement,
// minimized, as a regression vector holding every version's answer.
//
//	go run ./cmd/oracle -n 2000 -seed 1 [-versions glibc-2.41,musl-1.2.5] [-write testdata/vectors/regress]
//	go run ./cmd/oracle -record testdata/vectors/curated
//	go run ./cmd/oracle -n 0 -vectors testdata/vectors/curated,testdata/vectors/regress
//	go run ./cmd/oracle -scenario FILE -dump
//	go run ./cmd/oracle -n 500 -models rfc6724=glibc-2.36
//	go run ./cmd/oracle -policy
//
// A version is judged against the engine model of its ID
// (engine.LookupModel("glibc-2.41")); a version with no model yet is run,
// recorded and compared with the other versions of its library, and
// reported as not judged. -models judges other pairs: "model=version", or
// a model's name alone for the version of its own library and version.
//
// -vectors re-runs every vector of the directories through every version:
// a real answer that is not the one recorded fails (-strict), since every
// model test built on the vector is then suspect, and each version's
// model is judged on them as on the random scenarios. make oracle runs the
// random set and every vector.
//
// A version that cannot be fetched (apt, Debian's mirror), checked (the
// packages' upstream version, the version the built probe reports) or built
// fails the run: exit 1 and one line naming the version and why.
//
// Scenarios run in a pool of -workers (default 2; the runs mostly wait for
// processes). A model that panics is reported as answering PANIC(...), and
// its scenario is shrunk while it still panics, the oracle asked only for
// the final vector. -dump prints each scenario, its set-up script and the
// raw outputs of ip and of both probes.
//
// Without root or unshare it prints "oracle unavailable: <reason>" and
// exits 0 without any claim (nothing is fetched then).
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
		versions = flag.String("versions", "all", "real library versions to run (comma-separated IDs: "+strings.Join(oracle.IDs(oracle.Versions), ",")+")")
		models   = flag.String("models", "", "models to judge (default: each version's model of the same ID; model=version judges another pair)")
		write    = flag.String("write", "", "write minimized disagreements as vectors into this directory")
		record   = flag.String("record", "", "re-run the oracle on every vector of this directory and rewrite its recorded answers")
		scenario = flag.String("scenario", "", "run one scenario (or vector) file")
		dump     = flag.Bool("dump", false, "print each scenario, its set-up script and the raw outputs")
		workers  = flag.Int("workers", 2, "scenarios run at once")
		cache    = flag.String("cache", "", "the oracle's fetch and build directory (default: build/oracle of this module)")
		budget   = flag.Int("budget", 300, "oracle runs allowed per minimization")
		maxMin   = flag.Int("maxmin", 25, "most disagreements minimized per model")
		strict   = flag.Bool("strict", false, "exit 1 when a model disagrees with a stable real answer (for CI)")
		vecDirs  = flag.String("vectors", "", "also re-run every vector of these directories (comma-separated): recorded answers must hold, models are judged")
		policy   = flag.Bool("policy", false, "print which package versions Debian's suites serve (apt-cache policy, private lists) and exit")
	)
	flag.Parse()

	vs, err := oracle.ParseVersions(*versions)
	if err != nil {
		fatal(fmt.Errorf("-versions: %v", err))
	}
	if *policy {
		c, err := oracle.NewCache(*cache)
		if err != nil {
			fatal(err)
		}
		out, err := c.Policy("libc6", "musl")
		if err != nil {
			fatal(err)
		}
		fmt.Print(out)
		return
	}
	if ok, why := oracle.Available(); !ok {
		fmt.Println("oracle unavailable: " + why)
		return
	}
	start := time.Now()
	r, err := oracle.NewRunner(*cache, vs)
	if err != nil {
		// One line naming the version and why first; apt's or gcc's words
		// after it.
		fatal(err)
	}
	fmt.Printf("versions: %s (fetched, built and checked in %v, under %s)\n", strings.Join(r.IDs(), " "), time.Since(start).Round(time.Millisecond), r.Cache.Dir)
	fmt.Println("environment:", r.Environment())

	js := judge(*models, r)
	switch {
	case *record != "":
		doRecord(r, *record, *dump)
	case *scenario != "":
		doScenario(r, *scenario, *dump, js)
	default:
		if *n > 0 {
			doRandom(r, *n, *seed, js, *write, *workers, *dump, *budget, *maxMin)
		}
		for _, d := range strings.Split(*vecDirs, ",") {
			if d = strings.TrimSpace(d); d != "" {
				doVectors(r, d, js, *dump)
			}
		}
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

// judged is a model judged against a real version.
type judged struct {
	id    string // the version's ID
	model engine.Model
}

// judge reads -models: "" judges each version run against the engine model
// of its ID; otherwise a list of "model" (against the version the model
// names) or "model=version".
func judge(list string, r *oracle.Runner) []judged {
	run := map[string]bool{}
	for _, id := range r.IDs() {
		run[id] = true
	}
	var out []judged
	if strings.TrimSpace(list) == "" {
		for _, id := range r.IDs() {
			m, ok := engine.LookupModel(id)
			if !ok {
				fmt.Printf("%s: no engine model of that ID yet: real answers run and recorded, not judged\n", id)
				continue
			}
			out = append(out, judged{id, m})
		}
		return out
	}
	for _, l := range strings.Split(list, ",") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		name, id, pair := strings.Cut(l, "=")
		m, ok := engine.LookupModel(name)
		if !ok {
			fatal(fmt.Errorf("-models: no model %q (models: %s)", name, strings.Join(engine.ModelNames(), ", ")))
		}
		if !pair {
			id = oracle.ModelVersion(m)
			if id == "" {
				fatal(fmt.Errorf("-models: model %q has no real version; say model=version", name))
			}
		}
		v, ok := oracle.LookupVersion(id)
		if !ok {
			fatal(fmt.Errorf("-models: unknown library version %q (known: %s)", id, strings.Join(oracle.IDs(oracle.Versions), ", ")))
		}
		if !run[v.ID] {
			fatal(fmt.Errorf("-models: %s is not run (-versions)", v.ID))
		}
		out = append(out, judged{v.ID, m})
	}
	return out
}

func printTrace(r *oracle.Runner, label string, sc *engine.Scenario, t *oracle.Trace) {
	fmt.Printf("=== %s\nscenario: %s\n--- script\n%s--- output\n%s", label, sc.AppendJSON(nil), t.Script, t.Output)
	for _, id := range r.IDs() {
		fmt.Printf("--- %-10s %v\n", id, t.Answers[id])
	}
	fmt.Printf("--- took %v\n", t.Took.Round(time.Millisecond))
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
		printTrace(r, file, sc, t)
	}
	if err != nil {
		fatal(err)
	}
	for _, id := range r.IDs() {
		fmt.Printf("%-10s %v\n", id+":", t.Answers[id])
	}
	h := engine.NewHost(sc)
	for k, d := range sc.Destinations {
		c := h.Connect(d)
		fmt.Printf("connect %s: kernel %s, host model %s\n", d, connString(t.Conns[k].Source, t.Conns[k].Err), connString(c.Source, c.Err))
	}
	for _, j := range js {
		fmt.Printf("%s: %v\n", label(j), oracle.ModelAnswer(j.model, sc))
	}
}

func toVec(a oracle.Answer) vectors.Answer {
	return vectors.Answer{Order: a.Order, Error: a.Err}
}

// recorded is the vector form of a run's answers.
func recorded(a oracle.Answers) map[string]vectors.Answer {
	out := make(map[string]vectors.Answer, len(a))
	for id, x := range a {
		out[id] = toVec(x)
	}
	return out
}

// doRecord re-runs every vector of dir and records every version's answer
// under its ID. The old keys "glibc" and "musl" (the reference
// environment's 2.36 and 1.2.3, renamed by vectors.ReadFile) are written
// as their IDs; the answers of versions not run (-versions) are kept.
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
			printTrace(r, v.File, v.Scenario, t)
		}
		if err != nil {
			fatal(fmt.Errorf("%s: %v", v.File, err))
		}
		// vectors.ReadFile has renamed the legacy keys already.
		old := map[string]vectors.Answer{}
		for k, a := range v.Recorded {
			old[k] = a
		}
		var notes []string
		for _, id := range r.IDs() {
			a := t.Answers[id]
			if o, ok := old[id]; ok && !o.Equal(a.Err, a.Order) {
				notes = append(notes, fmt.Sprintf("%s CHANGED from %v", id, o))
			}
			old[id] = toVec(a)
		}
		v.Recorded = old
		v.Environment = r.Environment()
		if len(notes) > 0 {
			changed++
		}
		if err := vectors.WriteFile(v.File, v); err != nil {
			fatal(err)
		}
		fmt.Printf("%s: %s", filepath.Base(v.File), answersLine(r, t.Answers))
		if len(notes) > 0 {
			fmt.Printf(" (%s)", strings.Join(notes, "; "))
		}
		fmt.Println()
	}
	fmt.Printf("recorded %d vectors (%d with changed answers)\n", len(vs), changed)
}

// doVectors re-runs every vector of dir: each version's real answer must
// be the one recorded (else a stable failure: the environment or the
// set-up changed, and the vector cannot judge), and each judged model must
// answer as its version.
func doVectors(r *oracle.Runner, dir string, js []judged, dump bool) {
	vs, err := vectors.Load(dir)
	if err != nil {
		fatal(err)
	}
	start := time.Now()
	held, notRecorded := map[string]int{}, map[string]int{}
	agree := map[judged]int{}
	failures := 0
	for i := range vs {
		v := &vs[i]
		t, err := r.Trace(v.Scenario)
		if dump && t != nil {
			printTrace(r, v.File, v.Scenario, t)
		}
		if err != nil {
			fmt.Printf("  %s: %v\n", v.File, firstLines(err.Error(), 3))
			failures++
			continue
		}
		for _, id := range r.IDs() {
			a := t.Answers[id]
			want, ok := v.Recorded[id]
			switch {
			case !ok:
				notRecorded[id]++
			case want.Equal(a.Err, a.Order):
				held[id]++
			default:
				fmt.Printf("  %s: real %s now answers %v, recorded %v\n", v.File, id, a, want)
				failures++
			}
		}
		for _, j := range js {
			said := oracle.ModelAnswer(j.model, v.Scenario)
			if said.Equal(t.Answers[j.id]) {
				agree[j]++
				continue
			}
			fmt.Printf("  %s: %s answers %v, real %s %v\n", v.File, modelLabel(j), said, j.id, t.Answers[j.id])
			failures++
		}
	}
	fmt.Printf("vectors %s: %d re-run through %d versions in %v\n", dir, len(vs), len(r.Probes), time.Since(start).Round(time.Millisecond))
	for _, id := range r.IDs() {
		line := fmt.Sprintf("  %-10s recorded answer holds on %d/%d", id, held[id], len(vs))
		if notRecorded[id] > 0 {
			line += fmt.Sprintf(" (%d not recorded: oracle -record %s)", notRecorded[id], dir)
		}
		for _, j := range js {
			if j.id == id {
				line += fmt.Sprintf("; %s agrees on %d/%d", modelLabel(j), agree[j], len(vs))
			}
		}
		fmt.Println(line)
	}
	judgedAgree += len(vs)*len(js) + len(vs)*len(r.Probes) - failures
	stableDisagreements += failures
}

// answersLine prints the answers compactly: versions answering alike
// grouped.
func answersLine(r *oracle.Runner, a oracle.Answers) string {
	var parts []string
	done := map[string]bool{}
	for _, id := range r.IDs() {
		if done[id] {
			continue
		}
		same := []string{id}
		for _, o := range r.IDs() {
			if o != id && !done[o] && a[o].Equal(a[id]) {
				same = append(same, o)
				done[o] = true
			}
		}
		parts = append(parts, strings.Join(same, ",")+" "+a[id].String())
	}
	return strings.Join(parts, "; ")
}

type outcome struct {
	sc      *engine.Scenario
	trace   *oracle.Trace
	err     error
	answers oracle.Answers
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
					o.answers = t.Answers
				}
				res[i] = o
				mu.Lock()
				done++
				if done%100 == 0 {
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
			printTrace(r, fmt.Sprintf("scenario %d", i), o.sc, o.trace)
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
	fmt.Printf("oracle: %d scenarios x %d versions in %v (%.1f scenarios/s with %d workers); %d set-up failures\n",
		n, len(r.Probes), elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), workers, len(setupErrs))
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
	realVersions(r, res)
	hostModel(res)

	// Per version: its model's agreement, or that it has none yet.
	byID := map[string][]judged{}
	for _, j := range js {
		byID[j.id] = append(byID[j.id], j)
	}
	fmt.Println("per version (real answer vs the engine model):")
	for _, id := range r.IDs() {
		if len(byID[id]) == 0 {
			fmt.Printf("  %-10s not judged: no model of that ID\n", id)
		}
		for _, j := range byID[id] {
			judgeOne(r, j, res, seed, write, budget, maxMin, ok)
		}
	}
}

// judgeOne prints model j's agreement with its real version over res and
// minimizes and writes its stable disagreements.
func judgeOne(r *oracle.Runner, j judged, res []outcome, seed uint64, write string, budget, maxMin, ok int) {
	var bad []int
	for i, o := range res {
		if o.err != nil {
			continue
		}
		if !oracle.ModelAnswer(j.model, o.sc).Equal(o.answers[j.id]) {
			bad = append(bad, i)
		}
	}
	fmt.Printf("  %-10s %d/%d agree (%.2f%%) with %s\n", j.id, ok-len(bad), ok, 100*float64(ok-len(bad))/float64(max(ok, 1)), modelLabel(j))
	judgedAgree += ok - len(bad)
	seen := map[string]bool{}
	for k, i := range bad {
		o := res[i]
		if k < 10 {
			fmt.Printf("    scenario %d: model %v, real %s %v\n      %s\n", i, oracle.ModelAnswer(j.model, o.sc), j.id, o.answers[j.id], o.sc.AppendJSON(nil))
		}
		// The real answer must be stable before it can judge: with
		// equal-metric IPv6 routes on several interfaces (every
		// interface has ff00::/8 in the local table) the kernel
		// round-robins between them, and its answer changes from run
		// to run.
		if unstable(r, o.sc, j.id, o.answers[j.id]) {
			fmt.Printf("    scenario %d: the real %s answer is not stable across runs: not judged, not written\n", i, j.id)
			continue
		}
		stableDisagreements++
		if write == "" || k >= maxMin {
			continue
		}
		m, real, runs := r.Minimize(o.sc, j.id, j.model, budget)
		h := vectors.Hash(m)
		if seen[h] {
			continue
		}
		seen[h] = true
		said := oracle.ModelAnswer(j.model, m)
		if said.Equal(real[j.id]) {
			fmt.Printf("    scenario %d: disagreement not reproducible, not written\n", i)
			continue
		}
		v := &vectors.Vector{
			Name: "regress-" + h,
			Description: fmt.Sprintf("Random oracle (seed %d, scenario %d), minimized in %d runs: the %s model answered %v, the real %s %v.",
				seed, i, runs, j.model.Info().Name, said, j.id, real[j.id]),
			Scenario:    m,
			Recorded:    recorded(real),
			Environment: r.Environment(),
		}
		if err := os.MkdirAll(write, 0o755); err != nil {
			fatal(err)
		}
		path := filepath.Join(write, h+".json")
		if err := vectors.WriteFile(path, v); err != nil {
			fatal(err)
		}
		fmt.Printf("    wrote %s (%d runs): %s\n", path, runs, m.AppendJSON(nil))
	}
}

// realVersions prints, for each version, on how many scenarios it answered
// as its library's reference version (glibc-2.36, musl-1.2.3), and as the
// other library's: where the versions differ, for the record.
func realVersions(r *oracle.Runner, res []outcome) {
	ref := map[string]string{"glibc": oracle.HostGlibc, "musl": oracle.HostMusl}
	fmt.Println("real versions against their library's reference version:")
	for _, p := range r.Probes {
		base := ref[p.Lib]
		if base == p.ID {
			continue
		}
		same, n, first := 0, 0, -1
		for i, o := range res {
			if o.err != nil {
				continue
			}
			b, ok := o.answers[base]
			if !ok {
				continue
			}
			n++
			if o.answers[p.ID].Equal(b) {
				same++
			} else if first < 0 {
				first = i
			}
		}
		if n == 0 {
			continue
		}
		fmt.Printf("  %-10s answers as %s on %d/%d", p.ID, base, same, n)
		if first >= 0 {
			fmt.Printf(" (first difference: scenario %d, %v vs %v)", first, res[first].answers[p.ID], res[first].answers[base])
		}
		fmt.Println()
	}
	same, n := 0, 0
	for _, o := range res {
		g, gok := o.answers[oracle.HostGlibc]
		m, mok := o.answers[oracle.HostMusl]
		if o.err == nil && gok && mok {
			n++
			if g.Equal(m) {
				same++
			}
		}
	}
	if n > 0 {
		fmt.Printf("  real %s and %s agree on %d/%d\n", oracle.HostGlibc, oracle.HostMusl, same, n)
	}
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n  ")
}

func label(j judged) string { return j.id + " " + modelLabel(j) }

func modelLabel(j judged) string { return "model " + j.model.Info().Name }

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

// unstable re-runs sc twice and reports whether version id's answer
// changed.
func unstable(r *oracle.Runner, sc *engine.Scenario, id string, first oracle.Answer) bool {
	for range 2 {
		a, err := r.Run(sc)
		if err != nil || !a[id].Equal(first) {
			return true
		}
	}
	return false
}
