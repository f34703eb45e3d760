package engine

// Validation of a decoded or Go-built scenario: what the reference set-up
// (docs/scenario.md, "The ground truth") could not build, or what
// the format forbids so that every scenario has one meaning. Each message
// says what Linux would do (its iproute2/kernel message, checked on Linux
// 6.18 with iproute2 6.1) or why the format forbids it.

import (
	"net/netip"
	"unicode/utf8"
)

// Validate checks a scenario against the format's rules: the limits, the
// interface names, the addresses, the routes (as Linux would accept them
// from `ip route add` after the addresses), the destinations and their
// zones, gai_conf and the hints. ParseScenario calls it; code that builds
// a Scenario in Go must call it before handing it to NewHost or a model
// (and must set Version to 1). Every error is a *ScenarioError whose Path
// is a JSON path into the scenario's encoding.
func (sc *Scenario) Validate() error {
	if err := sc.validate(); err != nil {
		return err
	}
	return nil
}

// verr and routePath are not inlined: error paths called from dozens of
// places, whose inlined copies only cost the module bytes (make size).
//
//go:noinline
func verr(path, msg string) *ScenarioError { return &ScenarioError{Path: path, Msg: msg} }

func ifPath(i int) string { return "interfaces[" + itoa(i) + "]" }
func addrPath(i, j int) string {
	return ifPath(i) + ".addresses[" + itoa(j) + "]"
}

//go:noinline
func routePath(i int) string { return "routes[" + itoa(i) + "]" }
func destPath(i int) string  { return "destinations[" + itoa(i) + "]" }

func familyName(a netip.Addr) string {
	if a.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

func (sc *Scenario) validate() *ScenarioError {
	if sc.Version != 1 {
		return verr("version", "version "+itoa(sc.Version)+" is not supported (this reader knows only version 1)")
	}
	if err := sc.validateInterfaces(); err != nil {
		return err
	}
	if err := sc.validateRoutes(); err != nil {
		return err
	}
	if err := sc.validateDestinations(); err != nil {
		return err
	}
	if len(sc.GaiConf) > MaxGaiConfBytes {
		return tooLarge("gai_conf", "gai.conf text of "+itoa(len(sc.GaiConf))+" bytes; the limit (MaxGaiConfBytes) is "+itoa(MaxGaiConfBytes))
	}
	if !utf8.ValidString(sc.GaiConf) {
		return verr("gai_conf", "not valid UTF-8 (a JSON document cannot carry it)")
	}
	if sc.Hints.Family > FamilyInet6 {
		return verr("hints.family", "unknown family "+sc.Hints.Family.String()+" (allowed: unspec, inet, inet6)")
	}
	if sc.Hints.Flags&^(AIAddrConfig|AIV4Mapped|AIAll) != 0 {
		return verr("hints.flags", "unknown flag bits 0x"+hexString(uint32(sc.Hints.Flags))+" (allowed: AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL)")
	}
	return nil
}

// validName checks an interface name as the kernel's dev_valid_name does
// (net/core/dev.c), plus the format's own restrictions.
func validName(name string) string {
	switch {
	case name == "":
		return "empty name (Linux names have 1 to 15 bytes)"
	case len(name) > 15:
		return quote(name) + " is " + itoa(len(name)) + " bytes; Linux allows at most 15 (IFNAMSIZ 16 with the NUL)"
	case name == "." || name == "..":
		return quote(name) + " is not a valid interface name in Linux"
	case name == "lo":
		return `"lo" is the loopback interface, which is always present: do not list it`
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '/' || c == ':':
			return quote(name) + " has " + quoteByte(c) + ", which Linux does not allow in an interface name"
		case c == '%':
			return quote(name) + " has '%', which the format keeps for zones (and ip link would take for a name template)"
		case c <= ' ' || c == 0x7f:
			return quote(name) + " has a space or control character, which Linux does not allow in an interface name"
		case c >= 0x80:
			return quote(name) + " is not ASCII (the format keeps interface names printable ASCII)"
		}
	}
	return ""
}

func (sc *Scenario) validateInterfaces() *ScenarioError {
	if len(sc.Interfaces) > MaxInterfaces {
		return tooLarge("interfaces", "more than "+itoa(MaxInterfaces)+" interfaces (the limit, MaxInterfaces)")
	}
	for i := range sc.Interfaces {
		ifc := &sc.Interfaces[i]
		if msg := validName(ifc.Name); msg != "" {
			return verr(ifPath(i)+".name", msg)
		}
		for k := range i {
			if sc.Interfaces[k].Name == ifc.Name {
				return verr(ifPath(i)+".name", quote(ifc.Name)+" is also the name of "+ifPath(k)+` (Linux: "File exists")`)
			}
		}
		if len(ifc.Addresses) > MaxAddressesPerInterface {
			return tooLarge(ifPath(i)+".addresses", "more than "+itoa(MaxAddressesPerInterface)+" addresses (the limit, MaxAddressesPerInterface)")
		}
		for j := range ifc.Addresses {
			if msg := sc.validAddress(i, j); msg != "" {
				return verr(addrPath(i, j)+".cidr", msg)
			}
			if ifc.Addresses[j].Home && !ifc.Addresses[j].Prefix.Addr().Is6() {
				return verr(addrPath(i, j)+".home", "home applies to IPv6 addresses only (ip addr: \"home option can be set only for IPv6 addresses\")")
			}
		}
	}
	return nil
}

func (sc *Scenario) validAddress(i, j int) string {
	p := sc.Interfaces[i].Addresses[j].Prefix
	a := p.Addr()
	switch {
	case !p.IsValid():
		return "missing or invalid prefix"
	case a.Is4In6():
		return quote(p.String()) + " is IPv4-mapped; write the IPv4 address (" + netip.PrefixFrom(a.Unmap(), max(p.Bits()-96, 0)).String() + ")"
	case a.IsUnspecified():
		if a.Is6() {
			return quote(p.String()) + ` is the unspecified address (Linux: "Invalid address")`
		}
		return quote(p.String()) + " is the unspecified address, which no interface has"
	case a.IsMulticast():
		if a.Is6() {
			return quote(p.String()) + ` is multicast (Linux: "Cannot assign multicast address")`
		}
		return quote(p.String()) + " is multicast; the format takes only unicast interface addresses"
	case a.IsLoopback():
		if a.Is6() {
			return quote(p.String()) + ` is loopback, which belongs to lo (Linux: "Cannot assign loopback address on this device")`
		}
		return quote(p.String()) + " is in 127.0.0.0/8, which belongs to lo (always present with 127.0.0.1/8)"
	}
	if a.Is4() && sc.subnetBroadcast(a) {
		// Linux then holds a local and a broadcast route for the same /32
		// and answers by whichever came first; the format forbids it.
		return a.String() + " is the broadcast address of a connected network; the format forbids an address that is also a subnet's broadcast"
	}
	for k := 0; k <= i; k++ {
		for l, b := range sc.Interfaces[k].Addresses {
			if k == i && l >= j {
				break
			}
			if b.Prefix.Addr() == a {
				why := "the format allows each address once on the host"
				if k == i && a.Is6() {
					why = `Linux: "address already assigned"`
				}
				return a.String() + " is already " + addrPath(k, l) + " (" + why + ")"
			}
		}
	}
	return ""
}

// hostAddr returns the interface index (-1 for lo) holding a, or -2 when a
// is no address of the host.
func (sc *Scenario) hostAddr(a netip.Addr) int {
	if a == netip.AddrFrom4([4]byte{127, 0, 0, 1}) || a == netip.IPv6Loopback() {
		return -1
	}
	for i := range sc.Interfaces {
		for _, b := range sc.Interfaces[i].Addresses {
			if b.Prefix.Addr() == a {
				return i
			}
		}
	}
	return -2
}

// ifaceIndex returns the index of the interface named dev, -1 for lo, -2
// when there is none.
func (sc *Scenario) ifaceIndex(dev string) int {
	if dev == "lo" {
		return -1
	}
	for i := range sc.Interfaces {
		if sc.Interfaces[i].Name == dev {
			return i
		}
	}
	return -2
}

// connected reports whether an address's connected (prefix) route covers
// gw: on the interface dev (index, -2 for any interface). Linux adds no
// IPv4 prefix route for a /32 address (fib_add_ifaddr).
func (sc *Scenario) connected(gw netip.Addr, dev int) bool {
	for i := range sc.Interfaces {
		if dev != -2 && dev != i {
			continue
		}
		for _, b := range sc.Interfaces[i].Addresses {
			if b.Prefix.Addr().Is4() == gw.Is4() && (gw.Is6() || b.Prefix.Bits() < 32) && b.Prefix.Masked().Contains(gw) {
				return true
			}
		}
	}
	return false
}

// connectedRoute returns the address whose connected route is the same
// route as to with metric m in the main table (Linux: "File exists" when
// `ip route add` meets it): IPv4 prefix routes have metric 0, IPv6 ones
// 256 (IP6_RT_PRIO_ADDRCONF), also for a /128. (lo's ::1/128 route is in
// the local table only: `ip -6 route add ::1/128 dev lo metric 256`
// succeeds on Linux 6.18.)
func (sc *Scenario) connectedRoute(to netip.Prefix, m uint32) string {
	for i := range sc.Interfaces {
		for j, b := range sc.Interfaces[i].Addresses {
			a := b.Prefix.Addr()
			if a.Is4() != to.Addr().Is4() || b.Prefix.Masked() != to {
				continue
			}
			if a.Is4() && m == 0 && b.Prefix.Bits() < 32 || a.Is6() && m == 256 {
				return addrPath(i, j)
			}
		}
	}
	return ""
}

func (sc *Scenario) validateRoutes() *ScenarioError {
	if len(sc.Routes) > MaxRoutes {
		return tooLarge("routes", "more than "+itoa(MaxRoutes)+" routes (the limit, MaxRoutes)")
	}
	for i := range sc.Routes {
		if err := sc.validateRoute(i); err != nil {
			return err
		}
	}
	return nil
}

func (sc *Scenario) validateRoute(i int) *ScenarioError {
	rt := &sc.Routes[i]
	to := rt.To
	if !to.IsValid() {
		return verr(routePath(i)+".to", "missing or invalid prefix")
	}
	v6 := to.Addr().Is6()
	if rt.Default {
		want := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		if rt.Via.Is6() {
			want = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		}
		if to != want {
			return verr(routePath(i)+".to", `"default" means `+want.String()+` (the family of via, IPv4 without via), but To is `+to.String()+"; write "+to.String()+" instead of default")
		}
	}
	if to.Masked() != to {
		return verr(routePath(i)+".to", quote(to.String())+` has host bits set (Linux: "Invalid prefix for given prefix length"; write `+to.Masked().String()+")")
	}
	if rt.HasMetric == false && rt.Metric != 0 {
		return verr(routePath(i)+".metric", "Metric is "+itoa(int(rt.Metric))+" but HasMetric is false")
	}
	dev := -2
	if rt.Dev != "" {
		if dev = sc.ifaceIndex(rt.Dev); dev == -2 {
			return verr(routePath(i)+".dev", quote(rt.Dev)+` is no interface of the scenario (ip route: "Cannot find device `+quoteInner(rt.Dev)+`")`)
		}
	}
	if rt.Via.IsValid() {
		if err := sc.validateVia(i, dev); err != nil {
			return err
		}
	} else if rt.Dev == "" {
		return verr(routePath(i), `a route needs via or dev (Linux: "No such device")`)
	}
	if rt.OnLink && rt.Dev == "" {
		return verr(routePath(i)+".onlink", `onlink needs dev (Linux: "Nexthop device required for onlink")`)
	}
	if src := rt.Src; src.IsValid() {
		if src.Zone() != "" {
			return verr(routePath(i)+".src", quote(src.String())+" has a zone; a source takes none (name the interface in dev)")
		}
		if src.Is6() != v6 {
			return verr(routePath(i)+".src", "src "+src.String()+" is "+familyName(src)+" but the route is "+familyName(to.Addr()))
		}
		linuxMsg := `Linux: "Invalid prefsrc address"`
		if v6 {
			linuxMsg = `Linux: "Invalid source address"`
		}
		at := sc.hostAddr(src)
		if at == -2 {
			return verr(routePath(i)+".src", src.String()+" is no address of the host ("+linuxMsg+")")
		}
		// Linux checks a link- or host-scope IPv6 source on the route's
		// device only (ipv6_chk_addr from ip6_route_info_create).
		if v6 && (src.IsLinkLocalUnicast() || src.IsLoopback()) {
			if rt.Dev == "" {
				return verr(routePath(i)+".src", src.String()+" is link-local: give dev too (Linux checks it on the route's interface)")
			}
			if at != dev {
				return verr(routePath(i)+".src", src.String()+" is not on "+rt.Dev+" ("+linuxMsg+")")
			}
		}
	}
	m := kernelMetric(rt)
	if c := sc.connectedRoute(to, m); c != "" {
		return verr(routePath(i), to.String()+" metric "+itoa(int(m))+" is the connected route of "+c+` (Linux: "File exists"; give another metric)`)
	}
	for k := range i {
		o := &sc.Routes[k]
		if o.To == to && kernelMetric(o) == m {
			return verr(routePath(i), "the same destination and metric as "+routePath(k)+` (Linux: "File exists", whatever the dev; give another metric)`)
		}
	}
	return nil
}

// subnetBroadcast reports whether the IPv4 address a is the broadcast
// address (all host bits set) of an address's network: Linux adds a
// broadcast route for it (fib_add_ifaddr, for prefixes up to /30) and then
// refuses it as a gateway.
func (sc *Scenario) subnetBroadcast(a netip.Addr) bool {
	for i := range sc.Interfaces {
		for _, b := range sc.Interfaces[i].Addresses {
			p := b.Prefix
			if !p.Addr().Is4() || p.Bits() >= 31 || !p.Masked().Contains(a) {
				continue
			}
			v := a.As4()
			host := ^uint32(0) >> p.Bits()
			if (uint32(v[0])<<24|uint32(v[1])<<16|uint32(v[2])<<8|uint32(v[3]))&host == host {
				return true
			}
		}
	}
	return false
}

// kernelMetric is the metric Linux stores for a route: EffectiveMetric,
// except that an IPv6 route given metric 0 gets IP6_RT_PRIO_USER (1024),
// as ip6_route_info_create does (checked on Linux 6.18: `metric 0` lists
// as metric 1024 and collides with a route without metric).
func kernelMetric(rt *Route) uint32 {
	if rt.To.Addr().Is6() && rt.HasMetric && rt.Metric == 0 {
		return 1024
	}
	return rt.EffectiveMetric()
}

func (sc *Scenario) validateVia(i, dev int) *ScenarioError {
	rt := &sc.Routes[i]
	gw := rt.Via
	v6 := gw.Is6()
	switch {
	case gw.Zone() != "":
		return verr(routePath(i)+".via", quote(gw.String())+" has a zone; a gateway takes none (name the interface in dev)")
	case v6 != rt.To.Addr().Is6():
		return verr(routePath(i)+".via", "via "+gw.String()+" is "+familyName(gw)+" but to "+rt.To.String()+" is "+familyName(rt.To.Addr())+" (the format has no gateways of the other family)")
	case !v6 && (gw.IsUnspecified() || gw.IsMulticast() || gw == netip.AddrFrom4([4]byte{255, 255, 255, 255})):
		return verr(routePath(i)+".via", gw.String()+` is not a unicast address (Linux: "Nexthop has invalid gateway")`)
	case v6 && (gw.IsUnspecified() || gw.IsMulticast() || gw.Is4In6()):
		return verr(routePath(i)+".via", gw.String()+` is not a unicast address (Linux: "Invalid gateway address")`)
	case gw.IsLoopback() && v6:
		return verr(routePath(i)+".via", gw.String()+` is loopback (Linux: "Egress device can not be loopback device for this route")`)
	case gw.IsLoopback():
		return verr(routePath(i)+".via", gw.String()+` is a loopback address (Linux: "Nexthop has invalid gateway")`)
	case !v6 && sc.subnetBroadcast(gw):
		return verr(routePath(i)+".via", gw.String()+` is the broadcast address of a connected network (Linux: "Nexthop has invalid gateway")`)
	case sc.hostAddr(gw) != -2:
		if v6 {
			return verr(routePath(i)+".via", gw.String()+` is an address of this host (Linux: "Gateway can not be a local address")`)
		}
		return verr(routePath(i)+".via", gw.String()+" is an address of this host; the format forbids a local gateway")
	}
	if v6 && gw.IsLinkLocalUnicast() {
		if rt.Dev == "" {
			return verr(routePath(i)+".via", gw.String()+` is link-local: give dev too (Linux: "Egress device not specified")`)
		}
		return nil
	}
	if rt.OnLink {
		return nil
	}
	// Linux (fib_check_nh_v4_gw, ip6_route_check_nh) looks the gateway up
	// and wants a route without gateway on the device: a connected prefix
	// or an earlier device route. IPv6 looks the gateway up among all
	// routes: when the most specific one has a gateway itself, it refuses
	// ("No route to host"; IPv4's lookup skips gateway routes by scope).
	if v6 && sc.gatewayBehindGateway(i, gw) {
		return verr(routePath(i)+".via", gw.String()+` is reached through another gateway (an earlier route with via is its most specific route; Linux: "No route to host")`)
	}
	if sc.connected(gw, dev) {
		return nil
	}
	for k := range i {
		o := &sc.Routes[k]
		if !o.Via.IsValid() && o.To.Contains(gw) && (dev == -2 || o.Dev == rt.Dev) {
			return nil
		}
	}
	where := "any interface"
	if rt.Dev != "" {
		where = rt.Dev
	}
	linuxMsg := `"Nexthop has invalid gateway"`
	if v6 {
		linuxMsg = `"No route to host"`
	}
	return verr(routePath(i)+".via", gw.String()+" is on no connected network or device route of "+where+" (Linux: "+linuxMsg+"; set onlink if it is on the link)")
}

// gatewayBehindGateway reports whether the most specific of the connected
// prefixes and the routes before routes[i] that covers the IPv6 gw is a
// route with a gateway.
func (sc *Scenario) gatewayBehindGateway(i int, gw netip.Addr) bool {
	best, viaBest := -1, false
	for k := range sc.Interfaces {
		for _, b := range sc.Interfaces[k].Addresses {
			if b.Prefix.Addr().Is6() && b.Prefix.Masked().Contains(gw) && b.Prefix.Bits() > best {
				best, viaBest = b.Prefix.Bits(), false
			}
		}
	}
	for k := range i {
		o := &sc.Routes[k]
		if o.To.Addr().Is6() && o.To.Contains(gw) && o.To.Bits() > best {
			best, viaBest = o.To.Bits(), o.Via.IsValid()
		}
	}
	return viaBest
}

func (sc *Scenario) validateDestinations() *ScenarioError {
	switch {
	case len(sc.Destinations) == 0:
		return verr("destinations", "no address; the name must resolve to at least one")
	case len(sc.Destinations) > MaxDestinations:
		return tooLarge("destinations", "more than "+itoa(MaxDestinations)+" addresses (the limit, MaxDestinations)")
	}
	for i, d := range sc.Destinations {
		if !d.IsValid() {
			return verr(destPath(i), "invalid address (the zero netip.Addr)")
		}
		z := d.Zone()
		if z == "" {
			continue
		}
		if d.Is4In6() || !(d.IsLinkLocalUnicast() || d.IsLinkLocalMulticast() || d.IsInterfaceLocalMulticast()) {
			return verr(destPath(i), quote(d.String())+" has a zone, but only a link-local (fe80::/10) or interface- or link-local multicast address (ffx1::/16, ffx2::/16) takes one")
		}
		numeric := true
		for k := 0; k < len(z); k++ {
			if z[k] < '0' || z[k] > '9' {
				numeric = false
			}
		}
		if numeric {
			return verr(destPath(i), quote(d.String())+" has a numeric zone; name the interface instead (interface indexes differ from host to host)")
		}
		if sc.ifaceIndex(z) == -2 {
			return verr(destPath(i), quote(d.String())+": the zone "+quote(z)+" names no interface of the scenario (nor lo)")
		}
	}
	return nil
}
