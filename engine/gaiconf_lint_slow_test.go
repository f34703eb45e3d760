package engine

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The gai.conf lint as it was before it was made linear in the lines: the
// slow reference TestLintMatchesSlow and FuzzLintSlow hold lintNotes to.

// slowLintNotes is lintNotes as it was: it appends the lint notes of a
// parsed gai.conf to dst.
func slowLintNotes(dst []Note, c *GaiConf) []Note {
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
			dst = slowLintRow(dst, c, l)
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

// slowLintRow is lintRow as it was (a scan of the lines and the table for
// each line). It warns about a valid label, precedence or scopev4 line that a
// line before it duplicates or contradicts (glibc keeps the first), or
// that changes nothing: without it, the same addresses would get the same
// value from the next row that covers them.
func slowLintRow(dst []Note, c *GaiConf, l *GaiConfLine) []Note {
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
				dst = append(dst, Note{Kind: NoteLint, Line: l.Line, Text: noChangeText(word, r.Value, from, only)})
			}
			break
		}
	}
	return dst
}

// randomGaiConf is a gai.conf of up to n lines drawn from few prefixes, so
// that lines nest, repeat, conflict and change nothing, with some lines
// glibc ignores and some words it ignores.
func randomGaiConf(r *rand.Rand, n int) string {
	addrs6 := []string{"::", "::1", "2001:db8::", "2001:db8:1::", "2001:db8:1::5", "2001:db8:1:2::", "fd00::",
		"fd00::ff", "::ffff:0:0", "::ffff:10.0.0.0", "::ffff:10.1.2.3", "2002::", "fec0::", "ff00::"}
	lens6 := []string{"/0", "/1", "/7", "/8", "/16", "/32", "/48", "/64", "/96", "/104", "/112", "/127", "/128", "", "/", "/129", "/x"}
	addrs4 := []string{"0.0.0.0", "10.0.0.0", "10.1.0.0", "10.1.2.3", "127.0.0.0", "169.254.0.0", "::ffff:10.0.0.0", "::ffff:0.0.0.0", "1.2.3"}
	lens4 := []string{"/0", "/8", "/16", "/24", "/32", "/96", "/104", "/112", "/120", "/128", "", "/33"}
	values := []string{"0", "1", "2", "3", "5", "14", "40", "40", "50", "100", "", "-1", "4294967296"}
	var b strings.Builder
	for i := r.IntN(n + 1); i > 0; i-- {
		switch r.IntN(10) {
		case 0, 1, 2:
			b.WriteString("label " + addrs6[r.IntN(len(addrs6))] + lens6[r.IntN(len(lens6))] + " " + values[r.IntN(len(values))])
		case 3, 4, 5:
			b.WriteString("precedence " + addrs6[r.IntN(len(addrs6))] + lens6[r.IntN(len(lens6))] + " " + values[r.IntN(len(values))])
		case 6, 7:
			b.WriteString("scopev4 " + addrs4[r.IntN(len(addrs4))] + lens4[r.IntN(len(lens4))] + " " + values[r.IntN(len(values))])
		case 8:
			b.WriteString([]string{"reload yes", "reload no", "# comment", "", "lable ::/0 1", "LABEL ::/0 1"}[r.IntN(6)])
		default:
			b.WriteString("label ::/0 1")
		}
		if r.IntN(8) == 0 {
			b.WriteString(" extra")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLintMatchesSlow holds the linear lint to the quadratic one it
// replaced, for both ways glibc reads gai.conf, on random files of up to
// 40 lines.
func TestLintMatchesSlow(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 5))
	for i := 0; i < 20000; i++ {
		text := randomGaiConf(r, 1+i%40)
		for _, v := range []GlibcVersion{Glibc236, Glibc241} {
			c := ParseGaiConfFor(text, v)
			if !assert.Equal(t, slowLintNotes(nil, &c), lintNotes(nil, &c), "glibc %s:\n%s", v, text) {
				return
			}
		}
	}
}

// FuzzLintSlow: the linear lint says what the quadratic one says.
func FuzzLintSlow(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 8; i++ {
		f.Add(randomGaiConf(r, 12))
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > MaxGaiConfBytes {
			return
		}
		for _, v := range []GlibcVersion{Glibc236, Glibc241} {
			c := ParseGaiConfFor(text, v)
			assert.Equal(t, slowLintNotes(nil, &c), lintNotes(nil, &c), "glibc %s", v)
		}
	})
}
