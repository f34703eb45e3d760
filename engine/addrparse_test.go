package engine

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// addrSpellings are tricky inputs for parseAddrFast: each must be refused
// or parsed as netip.ParseAddr parses it.
var addrSpellings = []string{
	"", ".", ":", "::", ":::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9", "1:2:3:4::5:6:7:8", "1::2::3", "1:::2", ":1::", "1:", ":1", "12345::", "0000::",
	"00000::", "fFfF::", "g::", "::ffff:1.2.3.4", "::ffff:102:304", "fe80::1%eth0", "fe80::1%", "1.2.3.4",
	"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3.0", "1.2.3", "1.2.3.4.5",
	"1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4%x", "1.2.3.4/8", "1234.1.1.1", "a.b.c.d", "1:2", "::1.2.3.4",
	"2a00:1450:4001:82b::200e", "fd00:dead:beef::7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::8",
	"1:2:3:4:5:6:1.2.3.4", "fe80::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::0:0", "1:2:3:4:5:6:7:",
	"\x00", "1.2.3.4\x00", "-1.2.3.4", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ",
}

func checkAddrFast(t *testing.T, s string) {
	t.Helper()
	got, ok := parseAddrFast([]byte(s))
	if !ok {
		return
	}
	want, err := netip.ParseAddr(s)
	if err != nil || got != want {
		t.Fatalf("parseAddrFast(%q) = %v; netip.ParseAddr: %v, %v", s, got, want, err)
	}
}

func TestParseAddrFast(t *testing.T) {
	accepted := 0
	for _, s := range addrSpellings {
		checkAddrFast(t, s)
	}
	// Random addresses in their canonical and expanded spellings, and
	// mutations of them.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b [16]byte
		for i := range b {
			if rng.IntN(3) > 0 { // zero bytes give "::"
				b[i] = byte(rng.Uint32())
			}
		}
		a := netip.AddrFrom16(b)
		if rng.IntN(2) == 0 {
			a = netip.AddrFrom4([4]byte(b[:4]))
		}
		for _, s := range []string{a.String(), a.StringExpanded(), strings.ToUpper(a.String())} {
			if _, ok := parseAddrFast([]byte(s)); ok {
				accepted++
			}
			checkAddrFast(t, s)
			m := []byte(s)
			m[rng.IntN(len(m))] = ".:0fFg%/ "[rng.IntN(9)]
			checkAddrFast(t, string(m))
			checkAddrFast(t, s[:rng.IntN(len(s))])
		}
	}
	if accepted < 55000 {
		t.Errorf("the fast path took only %d of 60000 canonical spellings", accepted)
	}
}

func FuzzParseAddrFast(f *testing.F) {
	for _, s := range addrSpellings {
		f.Add(s)
	}
	f.Fuzz(checkAddrFast)
}
