package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

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
