package engine

import (
	"net/netip"
	"testing"
)

// Scenarios built in Go can hold what no JSON document decodes to; Validate
// must reject those too, so that AppendJSON round-trips every valid one.
func TestValidateGoBuilt(t *testing.T) {
	base := func() *Scenario {
		return &Scenario{Version: 1,
			Interfaces: []Interface{{Name: "eth0", Addresses: []IfAddr{
				{Prefix: netip.MustParsePrefix("10.0.0.7/24")},
				{Prefix: netip.MustParsePrefix("fe80::7/64")},
			}}},
			Routes:       []Route{{To: netip.MustParsePrefix("0.0.0.0/0"), Default: true, Via: netip.MustParseAddr("10.0.0.1")}},
			Destinations: []netip.Addr{netip.MustParseAddr("192.0.2.1")},
		}
	}
	if err := base().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		edit func(sc *Scenario)
		err  string
	}{
		{func(sc *Scenario) { sc.Routes[0].Metric = 5 }, `routes[0].metric: Metric is 5 but HasMetric is false`},
		{func(sc *Scenario) { sc.Routes[0].To = netip.MustParsePrefix("10.0.0.0/8") }, `routes[0].to: "default" means 0.0.0.0/0 (the family of via, IPv4 without via), but To is 10.0.0.0/8; write 10.0.0.0/8 instead of default`},
		{func(sc *Scenario) { sc.Routes[0].To = netip.Prefix{} }, `routes[0].to: missing or invalid prefix`},
		{func(sc *Scenario) { sc.Routes[0].Src = netip.MustParseAddr("fe80::7%eth0") }, `routes[0].src: "fe80::7%eth0" has a zone; a source takes none (name the interface in dev)`},
		{func(sc *Scenario) {
			sc.Routes[0] = Route{To: netip.MustParsePrefix("::/0"), Default: true, Via: netip.MustParseAddr("fe80::1%eth0"), Dev: "eth0"}
		}, `routes[0].via: "fe80::1%eth0" has a zone; a gateway takes none (name the interface in dev)`},
		{func(sc *Scenario) {
			sc.Routes[0] = Route{To: netip.MustParsePrefix("::/0"), Default: true, Dev: "eth0"}
		}, `routes[0].to: "default" means 0.0.0.0/0 (the family of via, IPv4 without via), but To is ::/0; write ::/0 instead of default`},
		{func(sc *Scenario) { sc.Interfaces[0].Addresses[0].Prefix = netip.Prefix{} }, `interfaces[0].addresses[0].cidr: missing or invalid prefix`},
		{func(sc *Scenario) { sc.Destinations = append(sc.Destinations, netip.Addr{}) }, `destinations[1]: invalid address (the zero netip.Addr)`},
		{func(sc *Scenario) { sc.GaiConf = "label \xff" }, `gai_conf: not valid UTF-8 (a JSON document cannot carry it)`},
		{func(sc *Scenario) { sc.Hints.Family = 7 }, `hints.family: unknown family family(7) (allowed: unspec, inet, inet6)`},
		{func(sc *Scenario) { sc.Hints.Flags = 0x10 }, `hints.flags: unknown flag bits 0x0010 (allowed: AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL)`},
		{func(sc *Scenario) { sc.Interfaces[0].Name = "ethé" }, `interfaces[0].name: "ethé" is not ASCII (the format keeps interface names printable ASCII)`},
		{func(sc *Scenario) { sc.Interfaces = make([]Interface, MaxInterfaces+1) }, `interfaces: more than 16 interfaces (the limit, MaxInterfaces)`},
		{func(sc *Scenario) { sc.Routes = make([]Route, MaxRoutes+1) }, `routes: more than 64 routes (the limit, MaxRoutes)`},
		{func(sc *Scenario) { sc.Destinations = make([]netip.Addr, MaxDestinations+1) }, `destinations: more than 256 addresses (the limit, MaxDestinations)`},
	} {
		sc := base()
		tc.edit(sc)
		err := sc.Validate()
		if err == nil || err.Error() != tc.err {
			t.Errorf("got %v\nwant %s", err, tc.err)
		}
	}
}
