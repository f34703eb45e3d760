package engine

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const containerIfaces = "eth0=172.19.0.7/16,fd00:dead:beef::7/64"
const containerRoutes = "default via 172.19.0.1 dev eth0; ::/0 via fd00:dead:beef::1 dev eth0"

const fullDefaultLabels = `label ::1/128       0
label ::/0          1
label 2002::/16     2
label ::/96         3
label ::ffff:0:0/96 4
label fec0::/10     5
label fc00::/7      6
label 2001:0::/32   7
`

func TestGlibcContainer(t *testing.T) {
	tests := []struct {
		name, conf string
		want       []string
		decided    Rule
	}{
		{"default: IPv4 first by rule 5", "", []string{"142.250.74.206", "2a00:1450:4001:82b::200e"}, Rule5Label},
		{"full default labels plus fd00::/8 1: IPv6 first by rule 6", fullDefaultLabels + "label fd00::/8 1\n", []string{"2a00:1450:4001:82b::200e", "142.250.74.206"}, Rule6Precedence},
		{"label fd00::/8 1 alone: IPv6 first by rule 6", "label fd00::/8 1\n", []string{"2a00:1450:4001:82b::200e", "142.250.74.206"}, Rule6Precedence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206")
			sc.GaiConf = tt.conf
			r := sortWith(GlibcModel{}, sc)
			require.Empty(t, r.Err)
			assert.Equal(t, tt.want, orderStrings(r))
			assert.Equal(t, []Rule{tt.decided}, r.Decided)
		})
	}
	// The default case, every field (eth0 is interface index 2, after lo).
	sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206")
	r := sortWith(GlibcModel{}, sc)
	v4, v6 := r.Dests[0], r.Dests[1]
	assert.Equal(t, Dest{Addr: netip.MustParseAddr("142.250.74.206"), Index: 1, Usable: true, Source: netip.MustParseAddr("172.19.0.7"),
		SourcePrefixLen: 16, Interface: "eth0", DestScope: 14, SourceScope: 14, DestLabel: 4, SourceLabel: 4, Precedence: 10, MatchLen: 0, srcIndex: 2}, v4)
	assert.Equal(t, Dest{Addr: netip.MustParseAddr("2a00:1450:4001:82b::200e"), Index: 0, Usable: true, Source: netip.MustParseAddr("fd00:dead:beef::7"),
		SourcePrefixLen: 64, Interface: "eth0", DestScope: 14, SourceScope: 14, DestLabel: 1, SourceLabel: 6, Precedence: 40, MatchLen: 0, srcIndex: 2}, v6)
}

func TestGlibcContainerLint(t *testing.T) {
	sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206")
	sc.GaiConf = "label fd00::/8 1\n"
	r := sortWith(GlibcModel{}, sc)
	var texts []string
	for _, n := range r.Notes {
		assert.Equal(t, NoteLint, n.Kind)
		assert.Equal(t, 1, n.Line)
		texts = append(texts, n.Text)
	}
	all := strings.Join(texts, "\n")
	assert.Contains(t, all, "gone are ::1/128 label 0, 2002::/16 label 2, ::/96 label 3, ::ffff:0.0.0.0/96 label 4, fec0::/10 label 5, fc00::/7 label 6, 2001::/32 label 7")
	assert.Contains(t, all, "every address now has label 1, so rule 5 (matching label) never decides anything")

	// The full list plus the line: nothing gone.
	sc.GaiConf = fullDefaultLabels + "label fd00::/8 1\n"
	r = sortWith(GlibcModel{}, sc)
	for _, n := range r.Notes {
		assert.NotContains(t, n.Text, "gone")
	}
}

// entry builds a usable glibc entry for comparator tests.
func entry(dst, src string, prefixlen int, index uint32) glibcEntry {
	d, s := netip.MustParseAddr(dst), netip.MustParseAddr(src)
	e := glibcEntry{addr: d, inet: d.Is4(), usable: true, src: s, prefixlen: prefixlen, index: index, iface: 1, srcAddr: -1}
	return e
}

// destsOf classifies e under conf and gives the Dests rfc3484_sort
// compares, in list order.
func destsOf(e []glibcEntry, conf *GaiConf) []Dest {
	glibcClassify(e, conf)
	d := make([]Dest, len(e))
	for i := range e {
		d[i] = glibcDest(&e[i], i, nil)
	}
	return d
}

func TestGlibcComparator(t *testing.T) {
	unusable := func(dst string) glibcEntry {
		d := netip.MustParseAddr(dst)
		return glibcEntry{addr: d, inet: d.Is4(), index: indexUnknown, iface: -1, srcAddr: -1}
	}
	deprecated := func(e glibcEntry) glibcEntry { e.flags |= in6aiDeprecated; return e }
	home := func(e glibcEntry) glibcEntry { e.flags |= in6aiHomeAddress; return e }
	tests := []struct {
		name string
		conf string
		a, b glibcEntry
		rule Rule
	}{
		{"rule 1", "", unusable("2001:db8::1"), entry("8.8.8.8", "10.0.0.5", 8, 2), Rule1Usable},
		{"rule 2: link-local IPv4 via a global source", "", entry("169.254.1.1", "172.19.0.7", 16, 2), entry("8.8.8.8", "172.19.0.7", 16, 2), Rule2Scope},
		{"rule 3: deprecated IPv4 source", "", deprecated(entry("8.8.8.8", "172.19.0.7", 16, 2)), entry("2a00::1", "2001:db8::7", 64, 2), Rule3Deprecated},
		{"rule 4: home address", "", entry("2a00::1", "2001:db8::7", 64, 2), home(entry("2a00::2", "2001:db8::8", 64, 2)), Rule4Home},
		{"rule 5: ULA source, global destination", "", entry("2a00::1", "fd00::7", 64, 2), entry("8.8.8.8", "172.19.0.7", 16, 2), Rule5Label},
		{"rule 6: even when both are unusable", "", unusable("8.8.8.8"), unusable("2a00::1"), Rule6Precedence},
		{"rule 7: a source not found in in6ai is not native", "", entry("2a00::1", "2001:db8::7", 64, indexUnknown), entry("2a00::2", "2001:db8::8", 64, 3), Rule7Native},
		{"rule 8: even when both are unusable", "", unusable("fec0::1"), unusable("fe80::1"), Rule8Scope},
		{"rule 9: IPv4 in the source's subnet", "", entry("10.1.1.1", "172.19.0.7", 16, 2), entry("172.19.5.5", "172.19.0.7", 16, 2), Rule9Prefix},
		{"rule 9: IPv6 beyond the /64", "", entry("2001:db8::ffff:0:0:1", "2001:db8::7", 64, 2), entry("2001:db8::1:1", "2001:db8::7", 64, 2), Rule9Prefix},
		{"rule 10: IPv4 prefixlen 0 means a /32 mask", "", entry("10.1.1.1", "172.19.0.7", 0, indexUnknown), entry("172.19.5.5", "172.19.0.7", 0, indexUnknown), Rule10Order},
		{"rule 10: rule 9 is skipped across families", "precedence ::/0 40\n", entry("2a00::1", "2001:db8::7", 64, 2), entry("8.8.8.8", "8.8.8.7", 24, 2), Rule10Order},
		{"scopev4 from gai.conf in rule 8", "scopev4 9.9.9.9/32 1\n", unusable("8.8.8.8"), unusable("9.9.9.9"), Rule8Scope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf := ParseGaiConf(tt.conf)
			d := destsOf([]glibcEntry{tt.a, tt.b}, &conf)
			c, r := glibcCompare(&d[0], &d[1])
			assert.Equal(t, tt.rule, r)
			c2, r2 := glibcCompare(&d[1], &d[0])
			assert.Equal(t, tt.rule, r2, "the same rule decides both ways")
			assert.Equal(t, -c, c2, "antisymmetric")
			// Every case is built so that the second entry wins, except
			// the rule 10 cases (index order).
			if tt.rule == Rule10Order {
				assert.Negative(t, c)
			} else {
				assert.Positive(t, c)
			}
		})
	}
}

func TestGlibcRule9Values(t *testing.T) {
	for _, tt := range []struct {
		dst, src  string
		prefixlen int
		want      int
	}{
		{"172.19.5.5", "172.19.0.7", 16, 21},
		{"10.1.1.1", "172.19.0.7", 16, 0},
		{"172.19.0.7", "172.19.0.7", 16, 32},
		{"172.19.5.5", "172.19.0.7", 0, 0}, // shift by 32 on x86-64: a /32 mask
		{"172.19.0.7", "172.19.0.7", 0, 32},
		{"172.19.5.5", "172.19.0.7", 32, 0},
		{"2001:db8::1:1", "2001:db8::7", 64, 111},
		{"2001:db8::ffff:0:0:1", "2001:db8::7", 64, 64},
		{"::ffff:169.254.1.1", "::ffff:169.254.3.3", 16, 118},
	} {
		e := entry(tt.dst, tt.src, tt.prefixlen, 2)
		assert.Equal(t, tt.want, glibcMatch(&e), "%s from %s/%d", tt.dst, tt.src, tt.prefixlen)
	}
}

// The comparator is intransitive when rule 9 is skipped across families:
// Z(0) < Y(1) and Y(1) < X(2) by rule 10, X < Z by rule 9. glibc's top-down
// merge sort turns [Z Y X Y'] into [X Z Y Y'] (an insertion sort would keep
// the input order); the real glibc agrees (vector glibc-intransitive).
func TestGlibcMergeSortIntransitive(t *testing.T) {
	conf := ParseGaiConf("precedence ::/0 40\n")
	d := destsOf([]glibcEntry{
		entry("10.255.0.1", "10.0.0.5", 8, 2),
		entry("2a00::1", "2001:db8::7", 64, 2),
		entry("10.0.0.9", "10.0.0.5", 8, 2),
		entry("2a00::2", "2001:db8::7", 64, 2),
	}, &conf)
	c, r := glibcCompare(&d[2], &d[0])
	require.Equal(t, Rule9Prefix, r)
	require.Negative(t, c)
	order := []uint16{0, 1, 2, 3}
	glibcMsort(d, order, make([]uint16, 4))
	assert.Equal(t, []uint16{2, 0, 1, 3}, order)

	sc := scenario(t, "eth0=10.0.0.5/8,2001:db8::7/64", "default via 10.0.0.1 dev eth0; ::/0 via 2001:db8::1 dev eth0",
		"10.255.0.1 2a00::1 10.0.0.9 2a00::2")
	sc.GaiConf = "precedence ::/0 40\n"
	res := sortWith(GlibcModel{}, sc)
	assert.Equal(t, []string{"10.0.0.9", "10.255.0.1", "2a00::1", "2a00::2"}, orderStrings(res))
	assert.Equal(t, []Rule{Rule9Prefix, Rule10Order, Rule10Order}, res.Decided)

	// Five entries where the merge leaves a pair against the comparator.
	d = destsOf([]glibcEntry{
		entry("2a00::1", "2001:db8::7", 64, 2),
		entry("10.255.0.1", "10.0.0.5", 8, 2),
		entry("2a00::2", "2001:db8::7", 64, 2),
		entry("10.0.0.9", "10.0.0.5", 8, 2),
	}, &conf)
	order = []uint16{0, 1, 2, 3}
	glibcMsort(d, order, make([]uint16, 4))
	assert.Equal(t, []uint16{0, 1, 2, 3}, order, "[Y Z | Y' X]: merge keeps Y Z Y' X although X < Z")
	c, _ = glibcCompare(&d[1], &d[3])
	assert.Positive(t, c, "the comparator puts X (3) before Z (1)")
}

func TestGlibcHints(t *testing.T) {
	v4only := "eth0=172.19.0.7/16"
	v4route := "default via 172.19.0.1 dev eth0"
	tests := []struct {
		name, ifaces, routes, dests string
		family                      Family
		flags                       Flags
		want                        string
	}{
		{"unspec keeps file order input", containerIfaces, containerRoutes, "::1 127.0.0.1", FamilyUnspec, 0, "::1 127.0.0.1"},
		{"addrconfig narrows to IPv4: ::1 read as 127.0.0.1", v4only, v4route, "::1 127.0.0.1", FamilyUnspec, AIAddrConfig, "127.0.0.1 127.0.0.1"},
		{"link-local IPv6 counts as configured", "eth0=172.19.0.7/16,fe80::7/64", v4route, "::1 127.0.0.1", FamilyUnspec, AIAddrConfig, "::1 127.0.0.1"},
		{"inet6 addrconfig without IPv6", v4only, v4route, "::1", FamilyInet6, AIAddrConfig, "EAI_NONAME"},
		{"inet addrconfig with only 127.0.0.1", "", "", "127.0.0.1", FamilyInet, AIAddrConfig, "EAI_NONAME"},
		{"inet: mapped and ::1 lines become IPv4", v4only, v4route, "2a00::1 ::ffff:8.8.8.8 ::1", FamilyInet, 0, "127.0.0.1 8.8.8.8"},
		{"inet with no IPv4 line", v4only, v4route, "2a00::1", FamilyInet, 0, "EAI_NONAME"},
		{"inet6 drops IPv4 lines", containerIfaces, containerRoutes, "8.8.8.8 2a00::1", FamilyInet6, 0, "2a00::1"},
		{"inet6 with no IPv6 line", containerIfaces, containerRoutes, "8.8.8.8", FamilyInet6, 0, "EAI_NONAME"},
		{"v4mapped only when no IPv6", containerIfaces, containerRoutes, "8.8.8.8", FamilyInet6, AIV4Mapped, "::ffff:8.8.8.8"},
		{"v4mapped drops mapped hosts lines when IPv6 exists", containerIfaces, containerRoutes, "::ffff:8.8.8.8 2a00::1", FamilyInet6, AIV4Mapped, "2a00::1"},
		{"v4mapped|all: IPv6 lines then the IPv4 view of every line (::1 as 127.0.0.1)", "", "", "::1 10.0.0.1", FamilyInet6, AIV4Mapped | AIAll, "::1 ::ffff:127.0.0.1 ::ffff:10.0.0.1"},
		{"zoned hosts lines are ignored", "eth0=fe80::7/64", "", "fe80::1%eth0 2a00::1", FamilyUnspec, 0, "2a00::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.ifaces, tt.routes, tt.dests)
			sc.Hints = Hints{Family: tt.family, Flags: tt.flags}
			r := sortWith(GlibcModel{}, sc)
			if strings.HasPrefix(tt.want, "EAI_") {
				assert.Equal(t, GaiError(tt.want), r.Err)
				assert.Empty(t, r.Dests)
				return
			}
			require.Empty(t, r.Err)
			assert.Equal(t, tt.want, strings.Join(orderStrings(r), " "))
		})
	}
}

func TestGlibcOneAddressNotSorted(t *testing.T) {
	sc := scenario(t, containerIfaces, containerRoutes, "2a00::1")
	sc.GaiConf = "scopev4 8.8.8.8 1\n" // would crash a sorting call
	r := sortWith(GlibcModel{}, sc)
	require.Empty(t, r.Err)
	assert.Equal(t, []string{"2a00::1"}, orderStrings(r))
	require.NotEmpty(t, r.Notes)
	assert.Equal(t, NoteUnsorted, r.Notes[len(r.Notes)-1].Kind)

	sc.Destinations = append(sc.Destinations, netip.MustParseAddr("8.8.8.8"))
	r = sortWith(GlibcModel{}, sc)
	assert.Equal(t, SIGSEGV, r.Err)
	sc.Hints.Family = FamilyInet6
	r = sortWith(GlibcModel{}, sc)
	assert.Empty(t, r.Err, "after the AF_INET6 lookup path the line is only ignored")
}

// TestGlibcVectors replays every curated and regress vector's glibc answer,
// recorded from the real glibc 2.36, against the model.
func TestGlibcVectors(t *testing.T) { replayVectors(t, "glibc", GlibcModel{}, 15) }

func BenchmarkGlibc(b *testing.B) {
	sc := scenario(b, containerIfaces, containerRoutes,
		"2a00:1450:4001:82b::200e 142.250.74.206 2a00:1450:4001:82b::200f 142.250.74.207 "+
			"2a00:1450:4001:82b::2010 142.250.74.208 2a00:1450:4001:82b::2011 142.250.74.209")
	for _, conf := range []struct{ name, text string }{{"default", ""}, {"label-fd00", "label fd00::/8 1\n"}} {
		b.Run(conf.name, func(b *testing.B) {
			sc.GaiConf = conf.text
			h := NewHost(sc)
			var r Result
			b.ReportAllocs()
			for b.Loop() {
				r.Reset("glibc")
				GlibcModel{}.Sort(sc, h, &r)
			}
		})
	}
}
