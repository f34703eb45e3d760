package engine

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func muslA16(s string) *[16]byte {
	b := netip.MustParseAddr(s).As16()
	return &b
}

func TestMuslPolicyOf(t *testing.T) {
	tests := []struct {
		addr        string
		prec, label int
	}{
		{"::1", 50, 0},
		{"::ffff:192.0.2.1", 35, 4},
		{"::ffff:127.0.0.1", 35, 4},
		{"2002:c000:201::1", 30, 2},
		{"2001:0:1::1", 5, 5},    // Teredo 2001::/32
		{"2001:1::1", 40, 1},     // 2001:1:: is outside 2001::/32
		{"2001:0:ff00::1", 5, 5}, // byte 3 under mask 0xff: still 2001:0000
		{"2001:db8::1", 40, 1},
		{"fc00::1", 3, 13},
		{"fd00:dead:beef::7", 3, 13},
		{"fe00::1", 40, 1},
		{"::c000:201", 40, 1}, // ::/96 row is #if 0
		{"::", 40, 1},
		{"fec0::1", 40, 1}, // fec0::/10 row is #if 0
		{"3ffe::1", 40, 1}, // 3ffe::/16 row is #if 0
		{"::2", 40, 1},
		{"::1:0:0:1", 40, 1},
		{"ff02::1", 40, 1},
		{"2a00:1450:4001:82b::200e", 40, 1},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			p := muslPolicyOf(muslA16(tt.addr))
			assert.Equal(t, tt.prec, int(p.prec), "precedence")
			assert.Equal(t, tt.label, int(p.label), "label")
			assert.Equal(t, tt.label, muslLabelOf(muslA16(tt.addr)))
		})
	}
}

func TestMuslScopeOf(t *testing.T) {
	tests := []struct {
		addr  string
		scope int
	}{
		{"::1", 2},
		{"fe80::1", 2},
		{"febf::1", 2},
		{"fec0::1", 5},
		{"feff::1", 5},
		{"fe00::1", 14},
		{"ff02::1", 2},
		{"ff05::1", 5},
		{"ff0e::1", 14},
		{"ff00::1", 0},
		{"ff1f::1", 15},
		{"::ffff:127.0.0.1", 14},   // RFC 6724 says 2; musl maps IPv4 and has no IPv4 scope table
		{"::ffff:169.254.1.1", 14}, // same
		{"::ffff:10.0.0.1", 14},
		{"::", 14},
		{"fd00::1", 14},
		{"2001:db8::1", 14},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			assert.Equal(t, tt.scope, muslScopeOf(muslA16(tt.addr)))
		})
	}
}

func TestMuslPrefixMatch(t *testing.T) {
	tests := []struct {
		s, d string
		n    int
	}{
		{"::ffff:172.19.0.7", "::ffff:142.250.74.206", 98},
		{"::ffff:172.19.0.7", "::ffff:172.19.5.5", 96 + 21},
		{"::ffff:172.19.0.7", "::ffff:172.20.0.1", 96 + 13},
		{"::ffff:172.19.0.7", "::ffff:10.1.1.1", 96},
		{"::ffff:172.19.0.7", "::ffff:172.19.0.7", 128},
		{"2001:db8::7", "2001:db8::1:1", 111},       // uncapped: past the /64
		{"2001:db8::7", "2001:db8::ffff:0:0:1", 64}, // as glibc, unlike RFC 6724's cap
		{"fd00:dead:beef::7", "2a00:1450:4001:82b::200e", 0},
		{"::1", "::", 127},
		{"8000::", "::", 0},
		{"::ffff:0.0.0.0", "::ffff:10.0.0.1", 100},
	}
	for _, tt := range tests {
		t.Run(tt.s+"-"+tt.d, func(t *testing.T) {
			assert.Equal(t, tt.n, muslPrefixMatch(muslA16(tt.s), muslA16(tt.d)))
			assert.Equal(t, tt.n, muslPrefixMatch(muslA16(tt.d), muslA16(tt.s)))
		})
	}
}

// muslContainer is the container scenario: 172.19.0.7/16 and
// fd00:dead:beef::7/64 on eth0, default routes for both families.
func muslContainer(ula string) *Scenario {
	v6 := netip.MustParsePrefix(ula)
	gw6 := v6.Masked().Addr().Next()
	return &Scenario{
		Version: 1,
		Interfaces: []Interface{{Name: "eth0", Addresses: []IfAddr{
			{Prefix: netip.MustParsePrefix("172.19.0.7/16")}, {Prefix: v6}}}},
		Routes: []Route{
			{To: netip.MustParsePrefix("0.0.0.0/0"), Default: true, Via: netip.MustParseAddr("172.19.0.1"), Dev: "eth0"},
			{To: netip.MustParsePrefix("::/0"), Via: gw6, Dev: "eth0"},
		},
		Destinations: []netip.Addr{netip.MustParseAddr("142.250.74.206"), netip.MustParseAddr("2a00:1450:4001:82b::200e")},
	}
}

// muslHostLo is a host with lo and eth0 holding the given addresses, for
// feeding muslDest with what the kernel answered.
func muslHostLo(addrs ...string) *Host {
	h := &Host{Ifaces: []string{"lo", "eth0"}, Addrs: []HostAddr{
		{Prefix: netip.MustParsePrefix("127.0.0.1/8")}, {Prefix: netip.MustParsePrefix("::1/128")}}}
	for _, a := range addrs {
		h.Addrs = append(h.Addrs, HostAddr{Prefix: netip.MustParsePrefix(a), Iface: 1})
	}
	return h
}

// TestMuslDestKeys checks each key against the source the real kernel
// gave (recorded in a namespace with the container set-up: connect() +
// getsockname() on a UDP socket of the destination's family).
func TestMuslDestKeys(t *testing.T) {
	h := muslHostLo("172.19.0.7/16", "fd00:dead:beef::7/64")
	ok := func(src string, idx int) Conn {
		return Conn{Source: netip.MustParseAddr(src), SourceAddr: idx, Iface: 1}
	}
	tests := []struct {
		name  string
		dst   string
		i     int
		conn  Conn
		key   string
		rule  Rule // what the key says against the next test's key
		match int
	}{
		{"container IPv4", "142.250.74.206", 0, ok("172.19.0.7", 2), "0x72316230", Rule5Label, 98},
		{"container IPv6 via ULA", "2a00:1450:4001:82b::200e", 1, ok("fd00:dead:beef::7", 3), "0x6281002f", Rule1Usable, 0},
		{"unreachable", "2001:db8::1", 2, Conn{Err: "ENETUNREACH", SourceAddr: -1, Iface: -1}, "0x0281002e", RuleNone, -1},
	}
	var prev MuslKey
	for n, tt := range tests {
		var d Dest
		muslDest(&d, h, netip.MustParseAddr(tt.dst), tt.i, tt.conn)
		k := MuslKey(d.Key)
		assert.Equal(t, tt.key, k.String(), tt.name)
		assert.Equal(t, tt.conn.OK(), d.Usable, tt.name)
		assert.Equal(t, tt.match, d.MatchLen, tt.name)
		assert.Equal(t, tt.conn.Err, d.Unreachable, tt.name)
		if n > 0 {
			assert.Equal(t, tests[n-1].rule, prev.Decides(k), tt.name)
		}
		prev = k
	}

	var d Dest
	muslDest(&d, h, netip.MustParseAddr("142.250.74.206"), 0, ok("172.19.0.7", 2))
	assert.Equal(t, netip.MustParseAddr("172.19.0.7"), d.Source, "IPv4 destinations keep an IPv4 source")
	assert.Equal(t, "eth0", d.Interface)
	assert.Equal(t, 16, d.SourcePrefixLen)
	assert.Equal(t, []int{14, 14, 4, 4, 35}, []int{d.DestScope, d.SourceScope, d.DestLabel, d.SourceLabel, d.Precedence})

	muslDest(&d, h, netip.MustParseAddr("2a00:1450:4001:82b::200e"), 1, ok("fd00:dead:beef::7", 3))
	assert.Equal(t, []int{14, 14, 1, 13, 40}, []int{d.DestScope, d.SourceScope, d.DestLabel, d.SourceLabel, d.Precedence})

	// A mapped destination probed on an AF_INET6 socket: the source comes
	// back mapped; scopes and labels are those of the mapped forms.
	muslDest(&d, h, netip.MustParseAddr("::ffff:127.0.0.1"), 3, Conn{Source: netip.MustParseAddr("::ffff:127.0.0.1"), SourceAddr: 0, Iface: 0})
	assert.Equal(t, "0x7231802d", MuslKey(d.Key).String())
	assert.Equal(t, "lo", d.Interface)
	// 0.0.0.0 as a source (route but no address): still usable, scope
	// 14 and label 4 match, prefixmatch against ::ffff:0.0.0.0.
	muslDest(&d, h, netip.MustParseAddr("10.0.0.1"), 0, Conn{Source: netip.IPv4Unspecified(), SourceAddr: -1, Iface: 1})
	assert.Equal(t, MakeMuslKey(true, true, true, 35, 14, 100, 0), MuslKey(d.Key))
	assert.Equal(t, -1, d.SourcePrefixLen)
}

func TestMuslZone(t *testing.T) {
	h := muslHostLo()
	tests := []struct {
		addr string
		ok   bool
	}{
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"fe80::1%lo", true},
		{"fe80::1%eth9", false},     // if_nametoindex fails
		{"2001:db8::1%eth0", false}, // a named zone only on link-local
		{"ff02::1%eth0", true},      // link-local multicast
		{"ff05::1%eth0", false},
		{"2001:db8::1%3", true}, // numeric: any address, taken as is
		{"fe80::1%4294967296", false},
		{"fe80::1%3x", false}, // a number then more: a name, unknown
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, muslZoneOK(netip.MustParseAddr(tt.addr), h), tt.addr)
	}
}

func muslScenario(family Family, flags Flags, dests ...string) *Scenario {
	sc := &Scenario{Version: 1, Hints: Hints{Family: family, Flags: flags}}
	for _, d := range dests {
		sc.Destinations = append(sc.Destinations, netip.MustParseAddr(d))
	}
	return sc
}

func muslRun(sc *Scenario) *Result {
	var r Result
	r.Reset("musl")
	MuslModel{}.Sort(sc, NewHost(sc), &r)
	return &r
}

func muslOrder(r *Result) []string {
	var out []string
	for _, a := range r.Order() {
		out = append(out, a.String())
	}
	return out
}

func muslNote(r *Result, kind NoteKind) string {
	for _, n := range r.Notes {
		if n.Kind == kind {
			return n.Text
		}
	}
	return ""
}

func TestMuslHintsAndList(t *testing.T) {
	tests := []struct {
		name  string
		sc    *Scenario
		err   string
		order []string // nil: only the set matters (compared sorted)
		set   []string
	}{
		{name: "IPv4 only: unsorted", sc: muslScenario(FamilyUnspec, 0, "192.0.2.1", "10.1.1.1", "172.19.5.5"),
			order: []string{"192.0.2.1", "10.1.1.1", "172.19.5.5"}},
		{name: "family inet: IPv6 lines skipped, unsorted", sc: muslScenario(FamilyInet, 0, "192.0.2.1", "::1", "127.0.0.1"),
			order: []string{"192.0.2.1", "127.0.0.1"}},
		{name: "one address", sc: muslScenario(FamilyUnspec, 0, "2001:db8::1"), order: []string{"2001:db8::1"}},
		{name: "inet6, only IPv4 lines", sc: muslScenario(FamilyInet6, 0, "192.0.2.1"), err: "EAI_NONAME"},
		{name: "inet, only IPv6 lines", sc: muslScenario(FamilyInet, AIV4Mapped|AIAll, "::1"), err: "EAI_NONAME"},
		{name: "no line: DNS times out", sc: muslScenario(FamilyUnspec, 0), err: "EAI_AGAIN"},
		{name: "V4MAPPED: IPv6 exists, IPv4 dropped", sc: muslScenario(FamilyInet6, AIV4Mapped, "192.0.2.1", "::1", "10.0.0.1", "2001:db8::1"),
			set: []string{"2001:db8::1", "::1"}},
		{name: "V4MAPPED+ALL: mapped and kept", sc: muslScenario(FamilyInet6, AIV4Mapped|AIAll, "192.0.2.1", "::1"),
			set: []string{"::1", "::ffff:192.0.2.1"}},
		{name: "V4MAPPED: only IPv4, mapped", sc: muslScenario(FamilyInet6, AIV4Mapped, "192.0.2.1", "10.0.0.1"),
			set: []string{"::ffff:10.0.0.1", "::ffff:192.0.2.1"}},
		{name: "V4MAPPED with unspec: ignored", sc: muslScenario(FamilyUnspec, AIV4Mapped, "192.0.2.1", "10.0.0.1"),
			order: []string{"192.0.2.1", "10.0.0.1"}},
		{name: "ALL alone: ignored", sc: muslScenario(FamilyInet6, AIAll, "192.0.2.1", "2001:db8::1"),
			order: []string{"2001:db8::1"}},
		{name: "mapped text is AF_INET6 and sorted", sc: muslScenario(FamilyInet6, 0, "::ffff:10.0.0.1", "::1"),
			set: []string{"::1", "::ffff:10.0.0.1"}},
		{name: "mapped text is not inet", sc: muslScenario(FamilyInet, 0, "::ffff:10.0.0.1"), err: "EAI_NONAME"},
		{name: "named zone on a global address: line skipped", sc: muslScenario(FamilyUnspec, 0, "2001:db8::1%lo"), err: "EAI_NONAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := muslRun(tt.sc)
			assert.Equal(t, tt.err, r.Err.String())
			if tt.err != "" {
				assert.Empty(t, r.Dests)
				return
			}
			if tt.order != nil {
				assert.Equal(t, tt.order, muslOrder(r))
			}
			if tt.set != nil {
				assert.ElementsMatch(t, tt.set, muslOrder(r))
			}
			assert.Len(t, r.Decided, max(len(r.Dests)-1, 0))
		})
	}
}

func TestMuslUnsortedExplained(t *testing.T) {
	r := muslRun(muslScenario(FamilyUnspec, 0, "192.0.2.1", "10.1.1.1", "172.19.5.5"))
	assert.Equal(t, []Rule{RuleUnsorted, RuleUnsorted}, r.Decided)
	assert.Contains(t, muslNote(r, NoteUnsorted), "every address is IPv4")
	for i, d := range r.Dests {
		assert.Equal(t, i, d.Index)
		assert.Zero(t, d.Key, "no key: musl computed none")
	}
	r = muslRun(muslScenario(FamilyInet, 0, "192.0.2.1", "2001:db8::1", "10.1.1.1"))
	assert.Contains(t, muslNote(r, NoteUnsorted), "inet")
	assert.Contains(t, muslNote(r, NoteFiltered), "1 /etc/hosts line")
}

func TestMuslCap48(t *testing.T) {
	var dests []string
	for i := 0; i < 50; i++ {
		dests = append(dests, "2001:db8::"+strconv.FormatInt(int64(i+1), 16))
	}
	// Wrong-family lines do not count towards the 48.
	dests = append([]string{"192.0.2.1", "192.0.2.2"}, dests...)
	r := muslRun(muslScenario(FamilyInet6, 0, dests...))
	require.Empty(t, r.Err)
	require.Len(t, r.Dests, 48)
	got := muslOrder(r)
	assert.ElementsMatch(t, dests[2:50], got)
	assert.NotContains(t, got, "2001:db8::31")
	assert.NotContains(t, got, "2001:db8::32")
	note := muslNote(r, NoteTruncated)
	assert.Contains(t, note, "2001:db8::31 (line 51), 2001:db8::32 (line 52)")
	for _, d := range r.Dests {
		assert.Equal(t, d.Index, MuslKey(d.Key).Position(), "the order field is the array position")
	}

	// Exactly 48: nothing lost, no note.
	r = muslRun(muslScenario(FamilyUnspec, 0, dests[2:50]...))
	assert.Len(t, r.Dests, 48)
	assert.Empty(t, muslNote(r, NoteTruncated))
}

func TestMuslGaiConfNote(t *testing.T) {
	sc := muslContainer("fd00:dead:beef::7/64")
	r := muslRun(sc)
	assert.Empty(t, muslNote(r, NoteGaiConfIgnored))
	sc.GaiConf = "precedence ::ffff:0:0/96 100\n"
	r2 := muslRun(sc)
	assert.Contains(t, muslNote(r2, NoteGaiConfIgnored), "gai.conf")
	assert.Equal(t, muslOrder(r), muslOrder(r2))
}

func TestMuslContainer(t *testing.T) {
	for _, gai := range []string{"", "precedence ::ffff:0:0/96 10\nlabel fd00::/8 1\n", "precedence ::ffff:0:0/96 100\n"} {
		sc := muslContainer("fd00:dead:beef::7/64")
		sc.GaiConf = gai
		r := muslRun(sc)
		require.Empty(t, r.Err)
		assert.Equal(t, []string{"142.250.74.206", "2a00:1450:4001:82b::200e"}, muslOrder(r), "gai.conf %q", gai)
		assert.Equal(t, "0x72316230", MuslKey(r.Dests[0].Key).String())
		assert.Equal(t, "0x6281002f", MuslKey(r.Dests[1].Key).String())
		assert.Equal(t, []Rule{Rule5Label}, r.Decided)
	}
	r := muslRun(muslContainer("2001:db8:1::7/64"))
	assert.Equal(t, []string{"2a00:1450:4001:82b::200e", "142.250.74.206"}, muslOrder(r))
	assert.Equal(t, []Rule{Rule6Precedence}, r.Decided)
	// 2001:db8:1::7 vs 2a00:1450:...: 0x20 vs 0x2a share 4 bits.
	assert.Equal(t, MakeMuslKey(true, true, true, 40, 14, 4, 1), MuslKey(r.Dests[0].Key))
}

// TestMuslVectors replays the real musl's recorded answer of every
// curated and regress vector.
func TestMuslVectors(t *testing.T) { replayVectors(t, "musl", MuslModel{}, 10) }

func BenchmarkMusl(b *testing.B) {
	sc := muslContainer("fd00:dead:beef::7/64")
	sc.Destinations = nil
	for _, d := range []string{"142.250.74.206", "2a00:1450:4001:82b::200e", "172.19.5.5", "fd00:dead:beef::1",
		"2001:db8::1", "10.1.1.1", "::1", "127.0.0.1"} {
		sc.Destinations = append(sc.Destinations, netip.MustParseAddr(d))
	}
	h := NewHost(sc)
	var r Result
	m := MuslModel{}
	b.ReportAllocs()
	for b.Loop() {
		r.Reset("musl")
		m.Sort(sc, h, &r)
	}
}

// muslConns answers connect() from a table (what Host.Connect said once).
type muslConns map[netip.Addr]Conn

func (m muslConns) Connect(d netip.Addr) Conn { return m[d] }

// BenchmarkMuslKeysOnly is BenchmarkMusl without the host model's cost:
// the kernel's answers come from a table.
func BenchmarkMuslKeysOnly(b *testing.B) {
	sc := muslContainer("fd00:dead:beef::7/64")
	sc.Destinations = nil
	for _, d := range []string{"142.250.74.206", "2a00:1450:4001:82b::200e", "172.19.5.5", "fd00:dead:beef::1",
		"2001:db8::1", "10.1.1.1", "::1", "127.0.0.1"} {
		sc.Destinations = append(sc.Destinations, netip.MustParseAddr(d))
	}
	h := NewHost(sc)
	conns := muslConns{}
	for _, d := range sc.Destinations {
		conns[d] = h.Connect(d)
	}
	var r Result
	b.ReportAllocs()
	for b.Loop() {
		r.Reset("musl")
		muslSort(sc, h, conns, Musl123, &r)
	}
}

// TestMuslAddrConfig covers getaddrinfo.c's AI_ADDRCONFIG branches with
// made-up kernel answers for the loopback connects (in every scenario lo is
// up and both succeed, so the flag changes nothing there).
func TestMuslAddrConfig(t *testing.T) {
	lo4, lo6 := netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()
	v4, v6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	up := Conn{Source: lo4, SourceAddr: 0, Iface: 0}
	up6 := Conn{Source: lo6, SourceAddr: 1, Iface: 0}
	down := func(e string) Conn { return Conn{Err: e, SourceAddr: -1, Iface: -1} }
	tests := []struct {
		name     string
		family   Family
		lo4, lo6 Conn
		err      string
		order    []string
	}{
		{"both up", FamilyUnspec, up, up6, "", []string{"2001:db8::1", "192.0.2.1"}},
		{"no IPv6: unspec narrowed to inet", FamilyUnspec, up, down("ENETUNREACH"), "", []string{"192.0.2.1"}},
		{"no IPv4: unspec narrowed to inet6", FamilyUnspec, down("EADDRNOTAVAIL"), up6, "", []string{"2001:db8::1"}},
		{"inet6 asked, no IPv6", FamilyInet6, up, down("EHOSTUNREACH"), "EAI_NONAME", nil},
		{"inet asked, IPv6 down is not tested", FamilyInet, up, down("EACCES"), "", []string{"192.0.2.1"}},
		{"other errno", FamilyUnspec, up, down("EACCES"), "EAI_SYSTEM", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := muslScenario(tt.family, AIAddrConfig, "192.0.2.1", "2001:db8::1")
			conns := muslConns{lo4: tt.lo4, lo6: tt.lo6, v4: {Source: netip.MustParseAddr("192.0.2.7"), SourceAddr: -1},
				v6: {Source: netip.MustParseAddr("2001:db8::7"), SourceAddr: -1}}
			var r Result
			r.Reset("musl")
			muslSort(sc, NewHost(sc), conns, Musl123, &r)
			assert.Equal(t, tt.err, r.Err.String())
			assert.Equal(t, tt.order, muslOrder(&r))
		})
	}
}

func TestMuslRegistered(t *testing.T) {
	for n, want := range map[string]string{"musl": "musl-1.2.6", "musl-1.2.3": "musl-1.2.3", "musl-1.2.2": "musl-1.2.2", "musl-1.2.5": "musl-1.2.5"} {
		m, ok := LookupModel(n)
		require.True(t, ok, n)
		assert.Equal(t, want, m.Info().Name, "%s names the concrete version", n)
		assert.Equal(t, LibraryMusl, m.Info().Library)
	}
	names := ModelNames()
	assert.Equal(t, "musl-1.2.6", names[len(names)-1], "musl answers after rfc6724 and glibc, oldest version first")
	d := DefaultModels()
	assert.Equal(t, "musl-1.2.6", d[len(d)-1].Info().Name, "the default set has the newest musl")
}

// muslPolicyOfC is policyof as musl writes it: memcmp of len bytes, then
// one byte under mask; the model's mask form must agree with it.
func muslPolicyOfC(a *[16]byte) *muslPolicy {
	for i := range muslDefPolicy {
		p := &muslDefPolicy[i]
		if string(a[:p.len]) != string(p.addr[:p.len]) {
			continue
		}
		if a[p.len]&p.mask != p.addr[p.len] {
			continue
		}
		return p
	}
	return nil
}

func TestMuslPolicyMasks(t *testing.T) {
	var a [16]byte
	check := func() {
		if got, want := muslPolicyOf(&a), muslPolicyOfC(&a); got != want {
			t.Fatalf("%v: row %+v, musl's loop gives %+v", netip.AddrFrom16(a), *got, *want)
		}
	}
	// Every value of the first four bytes' interesting prefixes, and the
	// edges of ::1 and ::ffff:0:0/96.
	for _, b0 := range []byte{0, 0x20, 0x3f, 0xfc, 0xfd, 0xfe, 0xff, 0x21} {
		for b1 := 0; b1 < 256; b1++ {
			for _, b3 := range []byte{0, 1, 0x80} {
				a = [16]byte{0: b0, 1: byte(b1), 3: b3}
				check()
			}
		}
	}
	for _, s := range []string{"::1", "::", "::2", "::1:0:0:1", "::ffff:1.2.3.4", "::fffe:1.2.3.4", "::1:ffff:1.2.3.4", "1::1"} {
		a = netip.MustParseAddr(s).As16()
		check()
	}
}
