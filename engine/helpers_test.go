package engine

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// host builds a scenario from a compact notation, for tests:
// ifaces "eth0=172.19.0.7/16,fd00::7/64!deprecated;eth1=..." (flags after
// '!': deprecated, home), routes "default via 172.19.0.1 dev eth0;
// ::/0 via fd00::1 dev eth0 metric 10; 10.0.0.0/8 dev eth1 src 1.2.3.4",
// dests "a b c".
func scenario(t testing.TB, ifaces, routes, dests string) *Scenario {
	t.Helper()
	sc := &Scenario{Version: 1}
	for _, part := range strings.Split(ifaces, ";") {
		if part == "" {
			continue
		}
		name, addrs, _ := strings.Cut(part, "=")
		ifc := Interface{Name: name}
		for _, a := range strings.Split(addrs, ",") {
			if a == "" {
				continue
			}
			cidr, flags, _ := strings.Cut(a, "!")
			ad := IfAddr{Prefix: netip.MustParsePrefix(cidr)}
			for _, f := range strings.Split(flags, "!") {
				switch f {
				case "deprecated":
					ad.Deprecated = true
				case "home":
					ad.Home = true
				}
			}
			ifc.Addresses = append(ifc.Addresses, ad)
		}
		sc.Interfaces = append(sc.Interfaces, ifc)
	}
	for _, r := range strings.Split(routes, ";") {
		f := strings.Fields(r)
		if len(f) == 0 {
			continue
		}
		var rt Route
		var to string
		to, f = f[0], f[1:]
		for len(f) >= 2 {
			switch f[0] {
			case "via":
				rt.Via = netip.MustParseAddr(f[1])
			case "dev":
				rt.Dev = f[1]
			case "src":
				rt.Src = netip.MustParseAddr(f[1])
			case "metric":
				m, err := strconv.Atoi(f[1])
				if err != nil {
					t.Fatal(err)
				}
				rt.Metric, rt.HasMetric = uint32(m), true
			}
			f = f[2:]
		}
		if len(f) == 1 && f[0] == "onlink" {
			rt.OnLink = true
		}
		if to == "default" {
			rt.Default = true
			if rt.Via.Is6() {
				rt.To = netip.MustParsePrefix("::/0")
			} else {
				rt.To = netip.MustParsePrefix("0.0.0.0/0")
			}
		} else {
			rt.To = netip.MustParsePrefix(to)
		}
		sc.Routes = append(sc.Routes, rt)
	}
	for _, d := range strings.Fields(dests) {
		sc.Destinations = append(sc.Destinations, netip.MustParseAddr(d))
	}
	return sc
}

// sortWith runs one model on sc.
func sortWith(m Model, sc *Scenario) *Result {
	var r Result
	r.Reset(m.Info().Name)
	m.Sort(sc, NewHost(sc), &r)
	return &r
}

func orderStrings(r *Result) []string {
	out := make([]string, len(r.Dests))
	for i, d := range r.Dests {
		out[i] = d.Addr.String()
	}
	return out
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
