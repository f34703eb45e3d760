package engine

import (
	"net/netip"
	"slices"
	"strconv"
)

// LintGaiConf warns about each way a gai.conf differs from what its author
// probably meant, as glibc 2.36 reads it: lines glibc ignores and why,
// built-in rows a partial table silently drops, duplicate and conflicting
// lines, lines that change nothing, and reload surprises. Every note has
// Kind "lint" and the line it is about (0 for the whole file).
func LintGaiConf(text string) []Note {
	if text == "" {
		return nil
	}
	c := ParseGaiConf(text)
	return lintNotes(nil, &c)
}

// lintNotes appends the lint notes of a parsed gai.conf to dst.
func lintNotes(dst []Note, c *GaiConf) []Note {
	firstOf := [5]int{}
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.Valid && firstOf[l.Kind] == 0 {
			firstOf[l.Kind] = l.Line
		}
	}
	lastReload := 0
	var x lintIndex
	var first, next [32]int32 // room for the index of a short file
	var rows [16]PolicyRow
	for i := range c.Lines {
		l := &c.Lines[i]
		note := func(text string) { dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: text}) }
		if !l.Valid {
			note("glibc ignores this line: " + l.Problem)
			continue
		}
		if l.Extra {
			note("glibc reads only the first two words after " + l.Keyword + " and ignores the rest of the line")
		}
		switch l.Kind {
		case GaiConfLabel, GaiConfPrecedence, GaiConfScopeV4:
			if l.Kind != GaiConfScopeV4 && l.Prefix.Masked().Addr() != l.Prefix.Addr() {
				note("the address has bits set beyond /" + itoa(l.Prefix.Bits()) + ", which glibc ignores: this line means " + l.Prefix.Masked().String())
			}
			if l.Line == firstOf[l.Kind] {
				dst = lintPartial(dst, c, l)
			}
			if x.first == nil {
				x = newLintIndex(c, first[:0], next[:0], rows[:0])
			}
			dst = lintRow(dst, c, i, &x)
		case GaiConfReload:
			if lastReload != 0 {
				dst = append(dst, Note{Kind: NoteLint, Line: lastReload, Text: "overridden by the reload line " + itoa(l.Line) + " (the last reload line decides)"})
			}
			lastReload = l.Line
			if l.Reload {
				note("reload yes: glibc re-reads gai.conf only in a process that has read it before, at a later sorting call, and only when the file's modification time changed; a program started after the edit reads the new file anyway")
			} else {
				note("reload " + quoteC(l.Arg1) + " turns reloading off: only the exact word yes (lowercase) turns it on")
			}
		}
	}
	return dst
}

// kindTable returns the parsed table, built-in table and value word of a
// line kind.
func kindTable(c *GaiConf, k GaiConfKind) (PolicyTable, PolicyTable, string) {
	switch k {
	case GaiConfLabel:
		return c.Labels, glibcDefaultLabels, "label"
	case GaiConfPrecedence:
		return c.Precedence, glibcDefaultPrecedence, "precedence"
	}
	return c.Scopes, glibcDefaultScopes, "scope"
}

// builtinRowTexts are rowText of each built-in table's rows, by kind, and
// builtinMasked their masked prefixes, computed once (read-only).
var builtinRowTexts, builtinMasked = func() (m [5][]string, p [5][]netip.Prefix) {
	for _, k := range [...]GaiConfKind{GaiConfLabel, GaiConfPrecedence, GaiConfScopeV4} {
		_, t, word := kindTable(&GaiConf{}, k)
		for _, r := range t {
			m[k] = append(m[k], rowText(r, word))
			p[k] = append(p[k], r.Prefix.Masked())
		}
	}
	return m, p
}()

// rowText writes a table row as gai.conf would ("::1/128 label 0",
// "169.254.0.0/16 scope 2").
func rowText(r PolicyRow, word string) string {
	p := r.Prefix.Masked()
	s := p.String()
	if word == "scope" && p.Addr().Is4In6() && p.Bits() >= 96 {
		s = p.Addr().Unmap().String() + "/" + itoa(p.Bits()-96)
	}
	return s + " " + word + " " + itoa(r.Value)
}

// lintPartial warns, at the first valid line of a kind, that the file's
// lines replace the whole built-in table of that kind, naming the built-in
// rows that are gone.
func lintPartial(dst []Note, c *GaiConf, l *GaiConfLine) []Note {
	table, builtin, word := kindTable(c, l.Kind)
	// Which built-in rows the file keeps, masking each of the file's
	// prefixes once: the lint runs inside every glibc Sort.
	var kept uint64 // a bit per built-in row (glibc's tables have under 16)
	masked := builtinMasked[l.Kind]
	for _, x := range table {
		xm := x.Prefix.Masked()
		for bi, r := range builtin {
			if bi < 64 && xm == masked[bi] && x.Value == r.Value {
				kept |= 1 << bi
			}
		}
	}
	// One buffer per note: the lint runs inside every glibc Sort.
	b := make([]byte, 0, 512)
	b = append(b, l.Keyword...)
	b = append(b, " lines replace glibc's whole built-in "...)
	b = append(b, word...)
	b = append(b, " table, they do not add to it: gone are "...)
	n := 0
	for bi := range builtin {
		if bi < 64 && kept&(1<<bi) != 0 {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		b = append(b, builtinRowTexts[l.Kind][bi]...)
		n++
	}
	if n == 0 {
		return dst
	}
	switch {
	case l.Kind == GaiConfLabel && c.CatchAllLabels:
		b = append(b, "; every address no line matches now has label 1 (the catch-all glibc appends)"...)
	case l.Kind == GaiConfPrecedence && c.CatchAllPrecedence:
		b = append(b, "; every address no line matches now has precedence 40 (the catch-all glibc appends)"...)
	case l.Kind == GaiConfScopeV4 && c.CatchAllScopes:
		b = append(b, "; every IPv4 address no line matches now has scope 14 (the catch-all glibc appends)"...)
	}
	text := string(b)
	dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: text})
	if l.Kind == GaiConfLabel || l.Kind == GaiConfPrecedence {
		same := true
		for _, r := range table {
			if r.Value != table[0].Value {
				same = false
				break
			}
		}
		if same {
			if l.Kind == GaiConfLabel {
				dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "every address now has label " + itoa(table[0].Value) + ", so rule 5 (matching label) never decides anything"})
			} else {
				dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "every address now has precedence " + itoa(table[0].Value) + ", so rule 6 (precedence) never decides anything"})
			}
		}
	}
	return dst
}

// lintRow warns about a valid label, precedence or scopev4 line (c.Lines[i])
// that a line before it duplicates or contradicts (glibc keeps the first),
// or that changes nothing: without it, the same addresses would get the
// same value from the next row that covers them. x is the file's
// lintIndex.
func lintRow(dst []Note, c *GaiConf, i int, x *lintIndex) []Note {
	l := &c.Lines[i]
	if o := &c.Lines[x.first[i]]; o != l {
		if o.Value == l.Value {
			return append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "duplicate of line " + itoa(o.Line) + ": it never matches anything"})
		}
		return append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "conflicts with line " + itoa(o.Line) + ", which wins (glibc keeps the first line for the same prefix): this line never matches anything"})
	}
	next := x.next[i]
	if next == lintNone {
		return dst
	}
	_, _, word := kindTable(c, l.Kind)
	from := "the catch-all glibc appends"
	var value int
	switch next {
	case lintCatchAll:
		t, _, _ := kindTable(c, l.Kind)
		value = t[len(t)-1].Value
	default:
		n := &c.Lines[next]
		value = n.Value
		from = "line " + itoa(n.Line)
		if n.Prefix == l.Prefix {
			// A later duplicate, written exactly as this line: the lint
			// names the first line written so, this one (as it always
			// has: the answers keep their words).
			from = "line " + itoa(l.Line)
		}
	}
	if value != l.Value {
		return dst
	}
	return append(dst, Note{Kind: NoteLint, Line: l.Line, Text: noChangeText(word, value, from, x.count[l.Kind] == 1)})
}

// noChangeText is the note on a line that changes no word (label,
// precedence, scope): without it the same addresses get value from from;
// only says it is the one line of its kind.
func noChangeText(word string, value int, from string, only bool) string {
	b := make([]byte, 0, 200)
	b = append(b, "this line changes no "...)
	b = append(b, word...)
	b = append(b, ": without it the same addresses get "...)
	b = append(b, word...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(value), 10)
	b = append(b, " from "...)
	b = append(b, from...)
	if only {
		b = append(b, "; its only effect is that glibc drops the built-in table"...)
	}
	return string(b)
}

// lintIndex is what lintRow asks of the other lines, for every valid
// label, precedence and scopev4 line at once, in O(n log n) for n lines
// (a scan of the lines and the table for each line was quadratic: 117 µs
// for 100 lines).
type lintIndex struct {
	// first[i] is the first line (an index into c.Lines) of the same kind
	// whose prefix masks to the same as line i's: i itself unless an
	// earlier line has that prefix.
	first []int32
	// next[i], for a line that is its prefix's first, is the line whose
	// row is the next one in lookup order (the table: longest prefix
	// first, file order among equal lengths) that contains line i's
	// whole prefix: a later line with the same prefix, else the longest
	// shorter prefix containing it (its first line); lintCatchAll for
	// the catch-all row glibc appends, lintNone for no row.
	next []int32
	// count is the number of valid lines of each kind.
	count [5]int
}

const (
	lintCatchAll int32 = -1
	lintNone     int32 = -2
)

// newLintIndex builds the lintIndex of c, in first, next and rows when
// they have room: most files have a handful of lines, and the index is
// built at every call of a model that has no Runner, so the caller offers
// room on its stack.
func newLintIndex(c *GaiConf, first, next []int32, rows PolicyTable) lintIndex {
	n := len(c.Lines)
	if n > cap(first) {
		first, next = make([]int32, n), make([]int32, n)
	}
	x := lintIndex{first: first[:n], next: next[:n]}
	for i := range c.Lines {
		x.first[i], x.next[i] = int32(i), lintNone
	}
	// One kind's table rows: each prefix masked, and as Value the line it
	// comes from (lintCatchAll for the catch-all). A PolicyTable, so that
	// the sort below is the one finishTable instantiates already (each
	// instantiation of a generic sort costs the module kilobytes).
	for k := GaiConfLabel; k <= GaiConfScopeV4; k++ {
		rows = rows[:0]
		for i := range c.Lines {
			if l := &c.Lines[i]; l.Valid && l.Kind == k {
				rows = append(rows, PolicyRow{l.Prefix.Masked(), i})
			}
		}
		x.count[k] = len(rows)
		if t, _, _ := kindTable(c, k); len(rows) > 0 && len(t) > len(rows) {
			// The catch-all glibc appended: the table's last row.
			rows = append(rows, PolicyRow{t[len(t)-1].Prefix, int(lintCatchAll)})
		}
		x.link(rows)
	}
	return x
}

// link fills first and next for one kind's rows. Sorted by address, then
// length, then file order, a prefix comes after every prefix containing
// it (gai.conf prefixes are nested or disjoint), and equal prefixes are
// adjacent: a stack of the groups of equal prefixes open at each point
// holds exactly the prefixes containing the current one, the longest on
// top.
func (x *lintIndex) link(rows PolicyTable) {
	// Rows in file order (the catch-all last) stay so among equal
	// prefixes: a stable sort.
	slices.SortStableFunc(rows, func(a, b PolicyRow) int {
		x, y := addr128Of(a.Prefix.Addr()), addr128Of(b.Prefix.Addr())
		switch {
		case x.hi != y.hi:
			return cmpU64(x.hi, y.hi)
		case x.lo != y.lo:
			return cmpU64(x.lo, y.lo)
		}
		return a.Prefix.Bits() - b.Prefix.Bits()
	})
	type open struct {
		p    prefix128
		line int32
	}
	var stackBuf [32]open // the first row of each group still open
	stack := stackBuf[:0]
	for g := 0; g < len(rows); {
		r := rows[g]
		e := g + 1
		for e < len(rows) && rows[e].Prefix == r.Prefix {
			x.first[rows[e].Value] = int32(r.Value) // the catch-all shares its prefix with no line
			e++
		}
		p := prefix128Of(r.Prefix)
		for len(stack) > 0 && !stack[len(stack)-1].p.contains(p.addr) {
			stack = stack[:len(stack)-1]
		}
		if r.Value >= 0 {
			switch {
			case e-g > 1:
				x.next[r.Value] = int32(rows[g+1].Value)
			case len(stack) > 0:
				x.next[r.Value] = stack[len(stack)-1].line
			}
		}
		stack = append(stack, open{p, int32(r.Value)})
		g = e
	}
}

func cmpU64(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}
