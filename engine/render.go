package engine

import (
	"net/netip"
	"unicode/utf8"
)

// The human answer: the text `gaisort sort` prints, which the module
// renders too (its text flag; the bindings' command lines), so that every
// surface prints the same bytes. Written without fmt (the engine's rule,
// json_test.go); widths pad by runes, as fmt's %-*s does.
//
// Size, not speed, rules this file: every append the gc wasm backend
// inlines costs a few hundred bytes of module, so the text goes through
// the few non-inlined methods of textOut.

// textOut is a byte buffer with non-inlined writers.
type textOut struct{ b []byte }

//go:noinline
func (t *textOut) s(s string) { t.b = append(t.b, s...) }

//go:noinline
func (t *textOut) bytes(s []byte) { t.b = append(t.b, s...) }

//go:noinline
func (t *textOut) n(v int) { t.b = appendInt(t.b, v) }

//go:noinline
func (t *textOut) addr(a netip.Addr) {
	if !a.IsValid() {
		t.s("invalid IP") // as netip.Addr.String
		return
	}
	t.b = a.AppendTo(t.b)
}

// pad writes spaces until s, written before it, takes width runes.
//
//go:noinline
func (t *textOut) pad(s []byte, width int) {
	for n := width - utf8.RuneCount(s); n > 0; n-- {
		t.b = append(t.b, ' ')
	}
}

// AppendText appends one scenario's answers as text: the orders side by
// side, then per model each destination with its source and the rule that
// put it before the next one, then the model's notes.
func AppendText(dst []byte, results []Result) []byte {
	t := &textOut{b: dst}
	var cell textOut
	// The side-by-side table: a column per model, its name then its
	// addresses (an error in place of the first).
	rows := 0
	width := make([]int, len(results))
	for i := range results {
		r := &results[i]
		rows = max(rows, 1+len(r.Dests))
		width[i] = len(r.Model)
		if r.Err != "" {
			rows = max(rows, 2)
			width[i] = max(width[i], len("error ")+len(r.Err))
		}
		for k := range r.Dests {
			cell.b = cell.b[:0]
			cell.tableCell(&r.Dests[k])
			width[i] = max(width[i], len(cell.b))
		}
	}
	for row := 0; row < rows; row++ {
		start := len(t.b)
		if row == 0 {
			t.s("    ")
		} else {
			if row < 10 {
				t.s(" ")
			}
			t.n(row)
			t.s("  ")
		}
		for i := range results {
			r := &results[i]
			cell.b = cell.b[:0]
			switch {
			case row == 0:
				cell.s(r.Model)
			case r.Err != "":
				if row == 1 {
					cell.s("error ")
					cell.s(string(r.Err))
				}
			case row-1 < len(r.Dests):
				cell.tableCell(&r.Dests[row-1])
			}
			t.bytes(cell.b)
			t.pad(cell.b, width[i])
			t.s("   ")
		}
		for len(t.b) > start && t.b[len(t.b)-1] == ' ' {
			t.b = t.b[:len(t.b)-1]
		}
		t.s("\n")
	}
	// The details.
	for i := range results {
		t.details(&results[i])
	}
	return t.b
}

// tableCell writes a destination's cell of the side-by-side table.
func (t *textOut) tableCell(d *Dest) {
	t.addr(d.Addr)
	if !d.Usable {
		t.s(" (unreachable)")
	}
}

func (t *textOut) details(r *Result) {
	t.s("\n")
	t.s(r.Model)
	if m, ok := LookupModel(r.Model); ok {
		t.s(": ")
		t.s(m.Info().Summary)
	}
	t.s("\n")
	if r.Err != "" {
		t.s("  getaddrinfo fails with ")
		t.s(string(r.Err))
		t.s("\n")
	}
	for k := range r.Dests {
		d := &r.Dests[k]
		t.s("  ")
		t.n(k + 1)
		t.s(". ")
		t.addr(d.Addr)
		switch {
		case d.Usable:
			t.s("  from ")
			t.addr(d.Source)
			if d.Interface != "" {
				t.s(" via ")
				t.s(d.Interface)
			}
		case d.Unreachable != "":
			t.s("  unreachable (")
			t.s(d.Unreachable)
			t.s(")")
		default:
			t.s("  unreachable")
		}
		sep := "  ["
		nums := [...]struct {
			name      string
			v, source int
		}{{"scope ", d.DestScope, d.SourceScope}, {"label ", d.DestLabel, d.SourceLabel}, {"precedence ", d.Precedence, -1}}
		for _, f := range nums {
			if f.v < 0 {
				continue
			}
			t.s(sep)
			sep = ", "
			t.s(f.name)
			t.n(f.v)
			if f.source >= 0 {
				t.s(" (source ")
				t.n(f.source)
				t.s(")")
			}
		}
		if d.Key != 0 {
			t.s(sep)
			sep = ", "
			t.s("key ")
			t.s(MuslKey(d.Key).String())
		}
		if sep == ", " {
			t.s("]")
		}
		t.s("\n")
		if d.Key != 0 {
			t.s("       key ")
			t.s(MuslKey(d.Key).String())
			t.s(" =")
			for _, kf := range MuslKey(d.Key).Fields() {
				t.s(" ")
				t.s(kf.Name)
				t.s("=")
				t.n(kf.Raw)
			}
			t.s("\n")
		}
		if k < len(r.Decided) {
			t.s("       ↳ before ")
			t.addr(r.Dests[k+1].Addr)
			t.s(" by ")
			t.b = AppendWhy(t.b, r, k)
			t.s("\n")
		}
	}
	for _, n := range r.Notes {
		if n.Line > 0 {
			t.s("  note (gai.conf line ")
			t.n(n.Line)
			t.s("): ")
		} else {
			t.s("  note: ")
		}
		t.s(n.Text)
		t.s("\n")
	}
}

// AppendBatchHeader appends the line the text answer puts before each
// scenario of a batch: "=== scenario 2 of 5".
func AppendBatchHeader(dst []byte, i, n int) []byte {
	t := &textOut{b: dst}
	t.s("=== scenario ")
	t.n(i + 1)
	t.s(" of ")
	t.n(n)
	t.s("\n")
	return t.b
}

// AppendLintText appends `gaisort lint`'s report on the gai.conf named
// name whose lint found notes (LintGaiConf): one line per note, "name:LINE:
// text", or one line saying there is nothing to report.
func AppendLintText(dst []byte, name string, notes []Note) []byte {
	t := &textOut{b: dst}
	if len(notes) == 0 {
		t.s(name)
		t.s(": no warnings: glibc 2.36 reads this file as its author probably meant\n")
	}
	for _, n := range notes {
		t.s(name)
		t.s(":")
		if n.Line > 0 {
			t.n(n.Line)
			t.s(":")
		}
		t.s(" ")
		t.s(n.Text)
		t.s("\n")
	}
	return t.b
}

// AppendModelsText appends `gaisort models`: each model's name (and
// aliases) and summary, and who ships it.
func AppendModelsText(dst []byte) []byte {
	const col = 24
	t := &textOut{b: dst}
	var name textOut
	for _, m := range Models() {
		info := m.Info()
		name.b = name.b[:0]
		name.s(info.Name)
		for i, a := range info.Aliases {
			if i == 0 {
				name.s(" (")
			} else {
				name.s(", ")
			}
			name.s(a)
		}
		if len(info.Aliases) > 0 {
			name.s(")")
		}
		t.bytes(name.b)
		t.pad(name.b, col)
		t.s(" ")
		t.s(info.Summary)
		t.s("\n")
		if info.Ships != "" {
			t.pad(nil, col)
			t.s(" shipped by ")
			t.s(info.Ships)
			t.s("\n")
		}
	}
	return t.b
}
