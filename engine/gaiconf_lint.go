package engine

import (
	"net/netip"
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
			dst = lintRow(dst, c, l)
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

// lintRow warns about a valid label, precedence or scopev4 line that a
// line before it duplicates or contradicts (glibc keeps the first), or
// that changes nothing: without it, the same addresses would get the same
// value from the next row that covers them.
func lintRow(dst []Note, c *GaiConf, l *GaiConfLine) []Note {
	p := l.Prefix.Masked()
	for i := range c.Lines {
		o := &c.Lines[i]
		if o.Line >= l.Line {
			break
		}
		if o.Valid && o.Kind == l.Kind && o.Prefix.Masked() == p {
			if o.Value == l.Value {
				return append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "duplicate of line " + itoa(o.Line) + ": it never matches anything"})
			}
			return append(dst, Note{Kind: NoteLint, Line: l.Line, Text: "conflicts with line " + itoa(o.Line) + ", which wins (glibc keeps the first line for the same prefix): this line never matches anything"})
		}
	}
	table, _, word := kindTable(c, l.Kind)
	// The row after this one (in lookup order) that contains its whole
	// prefix: rows after it are no longer, so each either contains it or
	// is disjoint from it.
	self := -1
	for i, r := range table {
		if r.Prefix == l.Prefix && r.Value == l.Value {
			self = i
			break
		}
	}
	if self < 0 {
		return dst
	}
	for _, r := range table[self+1:] {
		q := prefix128Of(r.Prefix)
		if q.contains(addr128Of(p.Addr())) {
			if r.Value == l.Value {
				from := "the catch-all glibc appends"
				for j := range c.Lines {
					if c.Lines[j].Valid && c.Lines[j].Kind == l.Kind && c.Lines[j].Prefix == r.Prefix && c.Lines[j].Value == r.Value {
						from = "line " + itoa(c.Lines[j].Line)
						break
					}
				}
				only := true
				for j := range c.Lines {
					if c.Lines[j].Valid && c.Lines[j].Kind == l.Kind && c.Lines[j].Line != l.Line {
						only = false
					}
				}
				b := make([]byte, 0, 200)
				b = append(b, "this line changes no "...)
				b = append(b, word...)
				b = append(b, ": without it the same addresses get "...)
				b = append(b, word...)
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(r.Value), 10)
				b = append(b, " from "...)
				b = append(b, from...)
				if only {
					b = append(b, "; its only effect is that glibc drops the built-in table"...)
				}
				text := string(b)
				dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: text})
			}
			break
		}
	}
	return dst
}
