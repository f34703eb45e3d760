package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
	"github.com/gaisort/gaisort/internal/vectors"
)

// The human answer is rendered by the engine (engine.AppendText), so that
// the module and the bindings' command lines print the same text. This
// file keeps the command's former fmt-based renderer as the reference:
// the engine's must give the same bytes on every shared vector and on
// generated scenarios, for every model.
func TestAppendTextMatchesReference(t *testing.T) {
	var scs []*engine.Scenario
	for _, dir := range []string{"../../testdata/vectors/curated", "../../testdata/vectors/regress"} {
		vs, err := vectors.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			scs = append(scs, vs[i].Scenario)
		}
	}
	if len(scs) < 20 {
		t.Fatalf("only %d vectors", len(scs))
	}
	demo, err := engine.ParseScenario([]byte(demoScenario))
	if err != nil {
		t.Fatal(err)
	}
	scs = append(scs, demo)
	scs = append(scs, generated(t, 300)...)
	var rn engine.Runner
	for i, sc := range scs {
		for _, models := range [][]engine.Model{engine.Models(), engine.DefaultModels()} {
			res := rn.Run(sc, models)
			var want bytes.Buffer
			writeHuman(&want, res)
			got := engine.AppendText(nil, res)
			if string(got) != want.String() {
				t.Fatalf("scenario %d: engine.AppendText differs from the reference:\n--- got\n%s\n--- want\n%s", i, got, want.String())
			}
		}
	}
}

// writeHuman prints one scenario's answers: the orders side by side, then
// per model each destination with its source and the rule that put it
// before the next one.
func writeHuman(w io.Writer, results []engine.Result) {
	// The side-by-side table.
	rows := 0
	width := make([]int, len(results))
	cells := make([][]string, len(results))
	for i := range results {
		r := &results[i]
		col := []string{r.Model}
		if r.Err != "" {
			col = append(col, "error "+r.Err.String())
		}
		for _, d := range r.Dests {
			s := d.Addr.String()
			if !d.Usable {
				s += " (unreachable)"
			}
			col = append(col, s)
		}
		cells[i] = col
		for _, c := range col {
			width[i] = max(width[i], len(c))
		}
		rows = max(rows, len(col))
	}
	for row := 0; row < rows; row++ {
		var b strings.Builder
		if row == 0 {
			b.WriteString("    ")
		} else {
			fmt.Fprintf(&b, "%2d  ", row)
		}
		for i := range cells {
			c := ""
			if row < len(cells[i]) {
				c = cells[i][row]
			}
			fmt.Fprintf(&b, "%-*s   ", width[i], c)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	// The details.
	for i := range results {
		r := &results[i]
		m, _ := engine.LookupModel(r.Model)
		fmt.Fprintf(w, "\n%s", r.Model)
		if m != nil {
			fmt.Fprintf(w, ": %s", m.Info().Summary)
		}
		fmt.Fprintln(w)
		if r.Err != "" {
			fmt.Fprintf(w, "  getaddrinfo fails with %s\n", r.Err)
		}
		for k := range r.Dests {
			d := &r.Dests[k]
			fmt.Fprintf(w, "  %d. %s", k+1, d.Addr)
			if d.Usable {
				fmt.Fprintf(w, "  from %s", d.Source)
				if d.Interface != "" {
					fmt.Fprintf(w, " via %s", d.Interface)
				}
			} else if d.Unreachable != "" {
				fmt.Fprintf(w, "  unreachable (%s)", d.Unreachable)
			} else {
				fmt.Fprintf(w, "  unreachable")
			}
			var f []string
			if d.DestScope >= 0 {
				s := fmt.Sprintf("scope %d", d.DestScope)
				if d.SourceScope >= 0 {
					s += fmt.Sprintf(" (source %d)", d.SourceScope)
				}
				f = append(f, s)
			}
			if d.DestLabel >= 0 {
				s := fmt.Sprintf("label %d", d.DestLabel)
				if d.SourceLabel >= 0 {
					s += fmt.Sprintf(" (source %d)", d.SourceLabel)
				}
				f = append(f, s)
			}
			if d.Precedence >= 0 {
				f = append(f, fmt.Sprintf("precedence %d", d.Precedence))
			}
			if d.Key != 0 {
				f = append(f, fmt.Sprintf("key 0x%08x", d.Key))
			}
			if len(f) > 0 {
				fmt.Fprintf(w, "  [%s]", strings.Join(f, ", "))
			}
			fmt.Fprintln(w)
			if d.Key != 0 {
				var f []string
				for _, kf := range engine.MuslKey(d.Key).Fields() {
					f = append(f, fmt.Sprintf("%s=%d", kf.Name, kf.Raw))
				}
				fmt.Fprintf(w, "       key %s = %s\n", engine.MuslKey(d.Key), strings.Join(f, " "))
			}
			if k < len(r.Decided) {
				fmt.Fprintf(w, "       ↳ before %s by %s\n", r.Dests[k+1].Addr, engine.Why(r, k))
			}
		}
		for _, n := range r.Notes {
			if n.Line > 0 {
				fmt.Fprintf(w, "  note (gai.conf line %d): %s\n", n.Line, n.Text)
			} else {
				fmt.Fprintf(w, "  note: %s\n", n.Text)
			}
		}
	}
}

// generated is n scenarios of the random generator (fixed seed).
func generated(t *testing.T, n int) []*engine.Scenario {
	t.Helper()
	g := scengen.New(17)
	out := make([]*engine.Scenario, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// The models list and the lint report, against the command's former
// fmt-based code.
func TestModelsAndLintTextMatchReference(t *testing.T) {
	var want strings.Builder
	for _, m := range engine.Models() {
		name := m.Info().Name
		if a := m.Info().Aliases; len(a) > 0 {
			name += " (" + strings.Join(a, ", ") + ")"
		}
		fmt.Fprintf(&want, "%-24s %s\n", name, m.Info().Summary)
		if s := m.Info().Ships; s != "" {
			fmt.Fprintf(&want, "%-24s shipped by %s\n", "", s)
		}
	}
	if got := string(engine.AppendModelsText(nil)); got != want.String() {
		t.Errorf("models:\n--- got\n%s\n--- want\n%s", got, want.String())
	}
	for _, conf := range []string{"", "label fd00::/8 1\n", "precedence ::ffff:0:0/96 100\nbogus line\nlabel ::/0\n"} {
		notes := engine.LintGaiConf(conf)
		var want strings.Builder
		if len(notes) == 0 {
			fmt.Fprintf(&want, "%s: no warnings: glibc 2.36 reads this file as its author probably meant\n", "gai.conf")
		}
		for _, n := range notes {
			if n.Line > 0 {
				fmt.Fprintf(&want, "%s:%d: %s\n", "gai.conf", n.Line, n.Text)
			} else {
				fmt.Fprintf(&want, "%s: %s\n", "gai.conf", n.Text)
			}
		}
		if got := string(engine.AppendLintText(nil, "gai.conf", notes)); got != want.String() {
			t.Errorf("lint %q:\n--- got\n%s\n--- want\n%s", conf, got, want.String())
		}
	}
}
