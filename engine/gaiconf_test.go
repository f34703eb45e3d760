package engine

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableString writes a table as "prefix=value" words in lookup order.
func tableString(t PolicyTable) string {
	var b []string
	for _, r := range t {
		b = append(b, r.Prefix.String()+"="+itoa(r.Value))
	}
	return strings.Join(b, " ")
}

func TestParseGaiConfTables(t *testing.T) {
	defLabels := tableString(glibcDefaultLabels)
	defPrec := tableString(glibcDefaultPrecedence)
	defScopes := tableString(glibcDefaultScopes)
	tests := []struct {
		name, text           string
		labels, prec, scopes string
		valid                int
	}{
		{"empty file is no file", "", defLabels, defPrec, defScopes, 0},
		{"only comments and blanks", "# nothing\n\n   \t\n#label ::/0 9\n", defLabels, defPrec, defScopes, 0},
		{"one label replaces the table, catch-all appended", "label fd00::/8 1\n", "fd00::/8=1 ::/0=1", "", "", 1},
		{"precedence one line", "precedence ::ffff:0:0/96 100\n", "", "::ffff:0.0.0.0/96=100 ::/0=40", "", 1},
		{"length-0 line: no catch-all", "precedence ::/0 7\nprecedence ::1/128 9\n", "", "::1/128=9 ::/0=7", "", 2},
		{"sorted longest first, file order for ties, first duplicate wins",
			"label 2001:db8::/32 1\nlabel ::/0 5\nlabel 2001:db8::/32 2\nlabel fd00::/8 3\nlabel 2001:db9::/32 4\n", "2001:db8::/32=1 2001:db8::/32=2 2001:db9::/32=4 fd00::/8=3 ::/0=5", "", "", 5},
		{"comment anywhere", "precedence ::ffff:0:0/96 100#comment\n", "", "::ffff:0.0.0.0/96=100 ::/0=40", "", 1},
		{"comment swallows value: empty value is 0", "precedence ::/0 #40\n", "", "::/0=0", "", 1},
		{"empty value is 0", "precedence ::/0\n", "", "::/0=0", "", 1},
		{"empty LEN is 0", "precedence ::ffff:8.8.8.8/ 100\n", "", "::ffff:8.8.8.8/0=100", "", 1},
		{"plus sign", "precedence ::ffff:0:0/+96 +100\n", "", "::ffff:0.0.0.0/96=100 ::/0=40", "", 1},
		{"minus zero", "label ::/-0 -0\n", "::/0=0", "", "", 1},
		{"strtoul wraps a negative: -18446744073709551615 is 1", "label ::/-18446744073709551615 3\n", "::/1=3 ::/0=1", "", "", 1},
		{"tabs and vertical tabs are spaces", "\tlabel\v::1/128\f9\r\n", "::1/128=9 ::/0=1", "", "", 1},
		{"extra words ignored", "label ::1/128 9 10 11\n", "::1/128=9 ::/0=1", "", "", 1},
		{"last line without newline", "label ::1/128 9", "::1/128=9 ::/0=1", "", "", 1},
		{"NUL ends the line", "label ::1/128 9\x00junk\n", "::1/128=9 ::/0=1", "", "", 1},
		{"embedded dotted quad", "label ::ffff:10.0.0.0/104 9\n", "::ffff:10.0.0.0/104=9 ::/0=1", "", "", 1},
		{"IPv4-compatible form", "label ::10.0.0.1/128 9\n", "::a00:1/128=9 ::/0=1", "", "", 1},
		{"INT_MAX accepted", "precedence ::/0 2147483647\n", "", "::/0=2147483647", "", 1},
		{"scopev4 IPv4 form", "scopev4 10.0.0.0/8 5\n", "", "", "::ffff:10.0.0.0/104=5 ::ffff:0.0.0.0/96=14", 1},
		{"scopev4 mapped form and catch-all", "scopev4 ::ffff:169.254.0.0/112 3\nscopev4 ::ffff:0.0.0.0/96 9\n", "", "", "::ffff:169.254.0.0/112=3 ::ffff:0.0.0.0/96=9", 2},
		{"scopev4 0.0.0.0/0 is the catch-all", "scopev4 0.0.0.0/0 1\n", "", "", "::ffff:0.0.0.0/96=1", 1},
		{"scopev4 host bits masked", "scopev4 10.1.2.3/8 5\n", "", "", "::ffff:10.0.0.0/104=5 ::ffff:0.0.0.0/96=14", 1},
		{"kinds are independent", "label ::/0 1\nscopev4 127.0.0.0/8 14\n", "::/0=1", "", "::ffff:127.0.0.0/104=14 ::ffff:0.0.0.0/96=14", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ParseGaiConf(tt.text)
			want := func(s, def string) string {
				if s == "" {
					return def
				}
				return s
			}
			assert.Equal(t, want(tt.labels, defLabels), tableString(c.Labels), "labels")
			assert.Equal(t, want(tt.prec, defPrec), tableString(c.Precedence), "precedence")
			assert.Equal(t, want(tt.scopes, defScopes), tableString(c.Scopes), "scopes")
			n := 0
			for _, l := range c.Lines {
				if l.Valid {
					n++
				}
			}
			assert.Equal(t, tt.valid, n, "valid lines")
			assert.Zero(t, c.Crash)
		})
	}
}

func TestParseGaiConfIgnored(t *testing.T) {
	tests := []struct{ text, problem string }{
		{"LABEL ::/0 1", "case-sensitive"},
		{"precendence ::/0 1", "did you mean precedence"},
		{"label 10.0.0.0/8 1", "IPv4 address is not accepted"},
		{"label fe80::1%eth0/128 1", "zone"},
		{"label 1:2:3:4:5:6:7:8:9/128 1", "not an IPv6 address"},
		{"label ::1 1", "no /LEN"},
		{"label ::/129 1", "more than 128"},
		{"label ::/-1 1", "more than 128"},
		{"label ::/99999999999999999999 1", "overflows"},
		{"label ::/0x10 1", "not a decimal"},
		{"label ::/8a 1", "not a decimal"},
		{"label ::/0 -1", "negative"},
		{"label ::/0 2147483648", "more than INT_MAX"},
		{"label ::/0 99999999999999999999", "overflows"},
		{"label ::/0 1x", "not a decimal"},
		{"label", "not an IPv6 address"},
		{"scopev4 2001:db8::/32 1", "must be IPv4-mapped"},
		{"scopev4 10.0.0.0/33 1", "out of range 0..32"},
		{"scopev4 ::ffff:10.0.0.0/95 1", "out of range 96..128"},
		{"scopev4 010.0.0.0/8 1", "neither"},
		{"scopev4 10.0.0/8 1", "neither"},
		{"scopev4 10.0.0.0/8 -5", "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c := ParseGaiConf(tt.text + "\n")
			require.Len(t, c.Lines, 1)
			assert.False(t, c.Lines[0].Valid)
			assert.Contains(t, c.Lines[0].Problem, tt.problem)
			assert.True(t, c.BuiltinLabels && c.BuiltinPrecedence && c.BuiltinScopes, "an ignored line leaves the built-in tables")
		})
	}
}

// A scopev4 line without /LEN reads strtoul's end pointer although
// strtoul never set it in that call (glibc 2.36 bug 32465). Observed on
// Debian 12: as the first such read it crashes; after an earlier scopev4
// strtoul it reads the stale pointer into the reused line buffer.
func TestParseGaiConfScopeV4NoLen(t *testing.T) {
	c := ParseGaiConf("precedence ::/0 40\nscopev4 8.8.8.8 1\n")
	assert.Equal(t, 2, c.Crash)
	assert.True(t, c.BuiltinScopes)

	// Line 2 leaves endp at offset 20 (after "5"); line 3 is shorter, so
	// offset 20 holds the NUL line 2 wrote there: accepted (observed).
	c = ParseGaiConf("precedence ::ffff:0:0/96 100\nscopev4 9.9.9.9/32 5\nscopev4 8.8.8.8 1\n")
	assert.Zero(t, c.Crash)
	assert.Equal(t, "::ffff:9.9.9.9/128=5 ::ffff:8.8.8.8/128=1 ::ffff:0.0.0.0/96=14", tableString(c.Scopes))

	// Padding puts a space at offset 20: rejected (observed).
	c = ParseGaiConf("precedence ::ffff:0:0/96 100\nscopev4 9.9.9.9/32 5\nscopev4 8.8.8.8 1      x\n")
	assert.Zero(t, c.Crash)
	assert.Equal(t, "::ffff:9.9.9.9/128=5 ::ffff:0.0.0.0/96=14", tableString(c.Scopes))
}

func TestParseGaiConfReload(t *testing.T) {
	c := ParseGaiConf("reload yes\n")
	assert.True(t, c.Reload && c.ReloadEverSet)
	c = ParseGaiConf("reload yes\nreload YES\n")
	assert.False(t, c.Reload)
	assert.True(t, c.ReloadEverSet)
	c = ParseGaiConf("reload\n")
	assert.False(t, c.Reload || c.ReloadEverSet)
	assert.True(t, c.Lines[0].Valid)
}

func TestInetPton(t *testing.T) {
	for s, ok := range map[string]bool{"::": true, "::1": true, "1::": true, "1:2:3:4:5:6:7:8": true, "1:2:3:4:5:6:7::": true,
		"::ffff:1.2.3.4": true, "1:2:3:4:5:6:1.2.3.4": true, "::1.2.3.4": true, "0001::": true,
		"": false, ":": false, ":1::": false, "1::2::3": false, "12345::": false, "1:2:3:4:5:6:7:8:9": false, "1:2:3:4:5:6:7:8::": false,
		"1.2.3.4": false, "::01.2.3.4": false, "::1.2.3": false, "::256.1.1.1": false, "1:": false, "::1%lo": false, "g::": false} {
		_, got := inetPton6(s)
		assert.Equal(t, ok, got, "inet_pton6(%q)", s)
	}
	for s, ok := range map[string]bool{"0.0.0.0": true, "255.255.255.255": true, "1.2.3.04": false, "1.2.3": false, "1.2.3.4.5": false, "1..2.3": false, " 1.2.3.4": false} {
		_, got := inetPton4(s)
		assert.Equal(t, ok, got, "inet_pton4(%q)", s)
	}
}

func FuzzParseGaiConf(f *testing.F) {
	f.Add("label fd00::/8 1\nprecedence ::ffff:0:0/96 100\nscopev4 10.0.0.0/8 5\nreload yes\n")
	f.Add("scopev4 9.9.9.9/32 5\nscopev4 8.8.8.8 1\n")
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseGaiConf(s)
		_ = lintNotes(nil, &c)
		for _, tab := range []PolicyTable{c.Labels, c.Precedence, c.Scopes} {
			if len(tab) == 0 || tab[len(tab)-1].Prefix.Bits()%96 != 0 && tab[len(tab)-1].Prefix.Bits() != 0 {
				t.Fatalf("table without catch-all: %v", tab)
			}
		}
	})
}

func BenchmarkParseGaiConf(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ParseGaiConf("label fd00::/8 1\n")
	}
}

// TestGaiTableIndex checks the built-in tables' first-byte index against
// the plain scan.
func TestGaiTableIndex(t *testing.T) {
	for _, tab := range []PolicyTable{glibcDefaultLabels, glibcDefaultPrecedence, glibcDefaultScopes} {
		plain, indexed := compileGai(tab), indexGai(compileGai(tab))
		for _, s := range []string{"::1", "::", "::2", "::1.2.3.4", "::ffff:1.2.3.4", "::ffff:127.0.0.1",
			"::ffff:169.254.1.1", "2001::1", "2001:db8::1", "2002::1", "3ffe::1", "fec0::1", "fe80::1",
			"fc00::1", "fd00::1", "ff02::1", "2a00::1", "64:ff9b::1"} {
			x := addr128Of(netip.MustParseAddr(s))
			if plain.lookup(x) != indexed.lookup(x) {
				t.Errorf("%s: plain %d, indexed %d", s, plain.lookup(x), indexed.lookup(x))
			}
		}
	}
}

// glibc 2.41 (commit 33aeb88c5b, bug 32465) validates gai.conf numbers:
// an empty value or /LEN is rejected where 2.36 read 0, and a prefix
// without /LEN is a whole address where 2.36 rejected the line or crashed.
func TestGaiConfVersions(t *testing.T) {
	for _, tt := range []struct {
		line       string
		v236, v241 bool   // the line is taken
		prefix241  string // the prefix 2.41 takes ("" when not taken)
		value236   int
		crash236   bool
		problem241 string
	}{
		{line: "label fd00::/8", v236: true, value236: 0, problem241: "the value is missing"},
		{line: "precedence ::ffff:0:0/96 ", v236: true, value236: 0, problem241: "the value is missing"},
		{line: "label fd00::/ 7", v236: true, value236: 7, problem241: "the prefix length after / is empty"},
		{line: "label fd00::1 7", v236: false, v241: true, prefix241: "fd00::1/128"},
		{line: "precedence 2001:db8:: 45", v236: false, v241: true, prefix241: "2001:db8::/128"},
		{line: "scopev4 169.254.1.1 2", v236: false, crash236: true, v241: true, prefix241: "::ffff:169.254.1.1/128"},
		{line: "scopev4 ::ffff:127.0.0.1 2", v236: false, crash236: true, v241: true, prefix241: "::ffff:127.0.0.1/128"},
		{line: "scopev4 10.0.0.0/ 2", v236: true, value236: 2, problem241: "the prefix length after / is empty"},
		{line: "label fd00::/8 x", v236: false, v241: false, problem241: "is not a decimal number"},
	} {
		c36 := ParseGaiConfFor(tt.line+"\n", Glibc236)
		c41 := ParseGaiConfFor(tt.line+"\n", Glibc241)
		require.Len(t, c36.Lines, 1, tt.line)
		require.Len(t, c41.Lines, 1, tt.line)
		l36, l41 := c36.Lines[0], c41.Lines[0]
		assert.Equal(t, tt.v236, l36.Valid, "2.36 takes %q", tt.line)
		assert.Equal(t, tt.v241, l41.Valid, "2.41 takes %q", tt.line)
		if tt.v236 {
			assert.Equal(t, tt.value236, l36.Value, tt.line)
		}
		assert.Equal(t, tt.crash236, c36.Crash != 0, "2.36 crashes on %q", tt.line)
		assert.Zero(t, c41.Crash, "2.41 never crashes")
		if tt.prefix241 != "" {
			assert.Equal(t, tt.prefix241, l41.Prefix.String(), tt.line)
		}
		if tt.problem241 != "" {
			assert.Contains(t, l41.Problem, tt.problem241, tt.line)
		}
		// 2.43 reads as 2.41. 2.31 reads a line without /LEN through an
		// uninitialised pointer for every keyword: Crash, or, after
		// AI_ADDRCONFIG, a whole address as 2.41 takes it.
		assert.Equal(t, c41.Lines, ParseGaiConfFor(tt.line+"\n", Glibc243).Lines, tt.line)
		c31 := ParseGaiConfFor(tt.line+"\n", Glibc231)
		nolen := tt.prefix241 != ""
		assert.Equal(t, nolen, c31.Crash != 0, "2.31 crashes on %q", tt.line)
		if a31 := parseGaiConf(tt.line+"\n", Glibc231, endpNUL); nolen {
			assert.Zero(t, a31.Crash, tt.line)
			assert.Equal(t, l41.Prefix, a31.Lines[0].Prefix, "2.31 after AI_ADDRCONFIG takes %q as 2.41 does", tt.line)
		} else if !tt.v236 {
			assert.False(t, a31.Lines[0].Valid, tt.line)
		}
	}
}

// The versions answer alike without gai.conf, and "glibc" is the newest.
func TestGlibcVersionsRegistered(t *testing.T) {
	for n, want := range map[string]string{"glibc": "glibc-2.43", "glibc-2.31": "glibc-2.31", "glibc-2.36": "glibc-2.36", "glibc-2.41": "glibc-2.41"} {
		m, ok := LookupModel(n)
		require.True(t, ok, n)
		assert.Equal(t, want, m.Info().Name)
		assert.Equal(t, LibraryGlibc, m.Info().Library)
	}
	assert.Equal(t, "glibc-2.36", GlibcModel{}.Info().Name, "the zero GlibcModel is 2.36")
	sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206")
	want := orderStrings(sortWith(GlibcModel{V: Glibc236}, sc))
	for _, v := range []GlibcVersion{Glibc231, Glibc241, Glibc243} {
		assert.Equal(t, want, orderStrings(sortWith(GlibcModel{V: v}, sc)), v.String())
	}
	// A scopev4 line without /LEN: 2.36 crashes (AF_UNSPEC), 2.41 takes
	// it as a /32.
	sc.GaiConf = "scopev4 142.250.74.206 2\n"
	assert.Equal(t, SIGSEGV, sortWith(GlibcModel{V: Glibc236}, sc).Err)
	assert.Empty(t, sortWith(GlibcModel{V: Glibc241}, sc).Err)
}
