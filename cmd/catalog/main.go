// Command catalog writes the catalog of where the models disagree: it
// generates scenarios deterministically (internal/scengen, fixed seed),
// compares every pair of models on each (internal/diff), keeps one class per
// model pair and cause, shrinks the first scenario of each class to the
// smallest one with the same cause, asks the real glibc and musl (the
// oracle, internal/oracle) for their answers on it when the oracle can run
// here, and writes docs/catalog.md and a JSON form for the site.
//
//	go run ./cmd/catalog -seed 1 -n 20000 -out docs/catalog.md -json build/catalog.json
//
// The same seed and n give the same catalog, byte for byte (when the oracle
// is unavailable, or answers the same); nothing depends on the clock.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/diff"
	"github.com/gaisort/gaisort/internal/oracle"
	"github.com/gaisort/gaisort/internal/scengen"
)

type class struct {
	key   string // "A/B cause"
	a, b  string
	id    string
	count int
	first *engine.Scenario
	index int // scenario number of the first occurrence
}

// Answer is one answer: the order (JSON: an array of addresses) or the
// error (JSON: {"error": "EAI_..."}).
type Answer struct {
	Order []string
	Error string
}

// MarshalJSON writes the order as an array, an error as {"error": ...}.
func (a Answer) MarshalJSON() ([]byte, error) {
	if a.Error != "" {
		return json.Marshal(map[string]string{"error": a.Error})
	}
	if a.Order == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(a.Order)
}

// Entry is one class of the catalog.
type Entry struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Pair     []string          `json:"pair"`
	CauseID  string            `json:"cause_id"`
	Cause    string            `json:"cause"`
	Count    int               `json:"count"`
	Scenario json.RawMessage   `json:"scenario"`
	Fragment string            `json:"fragment"`
	Orders   map[string]Answer `json:"orders"`
	Real     map[string]Answer `json:"real,omitempty"`
	Verdict  string            `json:"verdict"`
	// Where says where the two answers first differ.
	Where string `json:"where"`
}

// Catalog is build/catalog.json.
type Catalog struct {
	Seed    uint64   `json:"seed"`
	N       int      `json:"n"`
	Models  []string `json:"models"`
	Oracle  string   `json:"oracle"`
	Entries []Entry  `json:"entries"`
}

func main() {
	var (
		seed   = flag.Uint64("seed", 1, "generator seed")
		n      = flag.Int("n", 20000, "number of scenarios")
		out    = flag.String("out", "docs/catalog.md", "the Markdown catalog")
		jsOut  = flag.String("json", "build/catalog.json", "the JSON catalog for the site (empty: none)")
		budget = flag.Int("budget", 3000, "model comparisons allowed per minimization")
		useOr  = flag.Bool("oracle", true, "ask the real libraries when the oracle can run here")
		cache  = flag.String("cache", "", "the oracle's fetch and build directory (default: build/oracle)")
	)
	flag.Parse()

	var run *oracle.Runner
	status := "not asked (-oracle=false)"
	if *useOr {
		if ok, why := oracle.Available(); !ok {
			status = "unavailable: " + why
		} else if r, err := oracle.NewRunner(*cache, realVersions()); err != nil {
			status = "unavailable: " + err.Error()
		} else {
			run = r
			status = r.Environment()
		}
	}
	cat := build(*seed, *n, *budget, run, status, os.Stderr)
	if err := write(*out, markdown(cat)); err != nil {
		fatal(err)
	}
	if *jsOut != "" {
		b, err := json.MarshalIndent(cat, "", "  ")
		if err != nil {
			fatal(err)
		}
		if err := write(*jsOut, append(b, '\n')); err != nil {
			fatal(err)
		}
	}
}

// build generates n scenarios from seed, collects the divergence classes,
// minimizes one scenario per class (budget comparisons each) and, when run
// is not nil, asks the real libraries about it. Progress goes to log.
func build(seed uint64, n, budget int, run *oracle.Runner, status string, log io.Writer) *Catalog {
	gen := scengen.New(seed)
	cmp := diff.NewComparer()
	classes := map[string]*class{}
	for i := 0; i < n; i++ {
		sc := gen.Next()
		for _, d := range cmp.Compare(sc) {
			k := d.Class()
			c := classes[k]
			if c == nil {
				c = &class{key: k, a: d.A, b: d.B, id: d.Cause.ID, first: sc, index: i}
				classes[k] = c
			}
			c.count++
		}
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(log, "catalog: %d scenarios, %d comparisons, %d classes; oracle %s\n", n, cmp.Comparisons, len(keys), status)

	cat := &Catalog{Seed: seed, N: n, Models: modelNames(cmp.Models), Oracle: status}
	for _, k := range keys {
		c := classes[k]
		m, runs := cmp.Minimize(c.first, c.a, c.b, c.id, budget)
		e := entry(cmp, c, m)
		if run != nil {
			a, err := run.Run(m)
			if err != nil {
				e.Verdict = "not confirmed: the oracle failed: " + firstLine(err.Error())
			} else {
				e.Real = map[string]Answer{}
				for name, id := range realOf() {
					if x, ok := a[id]; ok {
						e.Real[name] = answer(x.Err, x.Order)
					}
				}
				e.Verdict = verdict(e)
			}
		} else {
			e.Verdict = "not confirmed: oracle " + status
		}
		fmt.Fprintf(log, "  %-70s %6d  minimized in %4d comparisons to size %d: %s\n", e.ID, c.count, runs, diff.Size(m), e.Verdict)
		cat.Entries = append(cat.Entries, e)
	}
	return cat
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "catalog:", err)
	os.Exit(1)
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func answer(err string, order []netip.Addr) Answer {
	if err != "" {
		return Answer{Error: err}
	}
	a := Answer{Order: make([]string, len(order))}
	for i, x := range order {
		a.Order[i] = x.String()
	}
	return a
}

func (a Answer) String() string {
	if a.Error != "" {
		return a.Error
	}
	return "[" + strings.Join(a.Order, " ") + "]"
}

func (a Answer) equal(b Answer) bool { return a.String() == b.String() }

// entry describes class c on its minimal scenario m.
func entry(cmp *diff.Comparer, c *class, m *engine.Scenario) Entry {
	js := m.AppendJSON(nil)
	e := Entry{
		ID:       c.a + "-vs-" + c.b + ":" + c.id,
		Title:    c.a + " vs " + c.b + ": " + c.id,
		Pair:     []string{c.a, c.b},
		CauseID:  c.id,
		Count:    c.count,
		Scenario: json.RawMessage(js),
		Fragment: "scenario=" + base64.RawURLEncoding.EncodeToString(js) + linkModels(c.a, c.b),
		Orders:   map[string]Answer{},
	}
	for _, d := range cmp.Compare(m) {
		if d.A == c.a && d.B == c.b && d.Cause.ID == c.id {
			e.Cause = d.Cause.Text
			if d.List {
				e.Where = "The two answers do not hold the same addresses."
			} else {
				e.Where = fmt.Sprintf("At position %d %s puts %s first, %s puts %s first; the comparators first disagree at %s.",
					d.Pos+1, d.A, d.X, d.B, d.Y, d.Rule)
			}
		}
	}
	for _, r := range cmp.Results() {
		order := r.Order()
		e.Orders[r.Model] = answer(r.Err.String(), order)
	}
	return e
}

// realOf maps each model with a real counterpart (a library model) to the
// real version it is judged against (oracle.ModelVersion: "glibc" ->
// "glibc-2.36").
func realOf() map[string]string {
	out := map[string]string{}
	for _, m := range engine.Models() {
		if id := oracle.ModelVersion(m); id != "" {
			out[m.Info().Name] = id
		}
	}
	return out
}

// realVersions are the versions the catalog's models are judged against.
func realVersions() []oracle.Version {
	var out []oracle.Version
	ids := realOf()
	for _, v := range oracle.Versions {
		for _, id := range ids {
			if id == v.ID {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// verdict says whether the real libraries confirm the divergence: each
// library model of the pair must answer as its real version (e.Real) does
// (the RFC model has no real counterpart).
func verdict(e Entry) string {
	var ok, bad []string
	for _, m := range e.Pair {
		r, isLib := e.Real[m]
		if !isLib {
			continue
		}
		id := realOf()[m]
		if e.Orders[m].equal(r) {
			ok = append(ok, "real "+id+" answers as the "+m+" model")
		} else {
			bad = append(bad, "real "+id+" answers "+r.String()+", the "+m+" model "+e.Orders[m].String())
		}
	}
	if len(bad) > 0 {
		return "REFUTED: " + strings.Join(bad, "; ")
	}
	return "confirmed: " + strings.Join(ok, "; ")
}

func markdown(cat *Catalog) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Where the models disagree\n\n")
	fmt.Fprintf(&b, "Generated by `go run ./cmd/catalog -seed %d -n %d` (`make catalog`); do not edit.\n", cat.Seed, cat.N)
	fmt.Fprintf(&b, "%d random scenarios (internal/scengen, seed %d) were answered by every model (%s);\n", cat.N, cat.Seed, strings.Join(cat.Models, ", "))
	fmt.Fprintf(&b, "each pair of models that answered differently (order or error) is a divergence, classified by its cause:\n")
	fmt.Fprintf(&b, "the first rule or known quirk at which the two models decide differently (internal/diff).\n")
	fmt.Fprintf(&b, "Each class below shows the smallest scenario found with the same cause (delta debugging), every model's answer,\n")
	fmt.Fprintf(&b, "and the real libraries' answers on it.\n\n")
	fmt.Fprintf(&b, "Real libraries (oracle): %s.\n\n", cat.Oracle)
	fmt.Fprintf(&b, "| class | scenarios | verdict |\n|---|---:|---|\n")
	for _, e := range cat.Entries {
		v := e.Verdict
		if i := strings.Index(v, ":"); i > 0 {
			v = v[:i]
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %d | %s |\n", e.ID, anchor(e.ID), e.Count, v)
	}
	for _, e := range cat.Entries {
		fmt.Fprintf(&b, "\n## %s\n\n", e.ID)
		fmt.Fprintf(&b, "**Cause** (`%s`): %s\n\n%s\n\n", e.CauseID, e.Cause, e.Where)
		fmt.Fprintf(&b, "Seen in %d of %d scenarios. [Open in the calculator](../site/index.html#%s)\n\n", e.Count, cat.N, e.Fragment)
		fmt.Fprintf(&b, "```json\n%s\n```\n\n", e.Scenario)
		fmt.Fprintf(&b, "| who | answer |\n|---|---|\n")
		for _, m := range cat.Models {
			mark := ""
			if m == e.Pair[0] || m == e.Pair[1] {
				mark = " *"
			}
			fmt.Fprintf(&b, "| model %s%s | `%s` |\n", m, mark, e.Orders[m])
		}
		for _, m := range cat.Models {
			if r, ok := e.Real[m]; ok {
				fmt.Fprintf(&b, "| real %s | `%s` |\n", realOf()[m], r)
			}
		}
		fmt.Fprintf(&b, "\n%s\n", upper(e.Verdict))
	}
	return b.Bytes()
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// anchor is the GitHub-style heading anchor of an id.
func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// modelNames are the names of ms, in order.
func modelNames(ms []engine.Model) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Info().Name
	}
	return out
}

// linkModels is the calculator link's "&models=" for a pair outside the
// default models: the default models and the pair, in registry order; ""
// when the default models hold the pair.
func linkModels(a, b string) string {
	want := map[string]bool{a: true, b: true}
	extra := false
	for _, n := range []string{a, b} {
		if m, ok := engine.LookupModel(n); !ok || !engine.IsDefault(m) {
			extra = true
		}
	}
	if !extra {
		return ""
	}
	var names []string
	for _, m := range engine.Models() {
		if n := m.Info().Name; want[n] || engine.IsDefault(m) {
			names = append(names, n)
		}
	}
	return "&models=" + strings.Join(names, ",")
}
