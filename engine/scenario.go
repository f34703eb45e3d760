package engine

import "net/netip"

// Scenario is one question in the format of docs/scenario.md (v1):
// on this host, with this configuration, in what order does getaddrinfo()
// return these addresses? ParseScenario decodes and validates one; the
// models take it as it is and never change it.
type Scenario struct {
	// Version is the format version; only 1 exists.
	Version int
	// Interfaces are the host's interfaces besides loopback, which is
	// always present (lo with 127.0.0.1/8 and ::1/128) and never listed.
	Interfaces []Interface
	// Routes are added as `ip route add` would add them, after the
	// connected, local and loopback routes every address brings.
	Routes []Route
	// Destinations are what the name resolves to, in the order the name
	// service returned them. Duplicates are kept. An IPv6 address may
	// carry a zone naming one of the interfaces.
	Destinations []netip.Addr
	// GaiConf is the full text of /etc/gai.conf; empty means none.
	GaiConf string
	// Hints are getaddrinfo's hints (socket type SOCK_STREAM).
	Hints Hints
}

// Clone returns a deep copy of sc: changing the copy's slices leaves sc as
// it was.
func (sc *Scenario) Clone() *Scenario {
	c := *sc
	c.Interfaces = append([]Interface(nil), sc.Interfaces...)
	for i := range c.Interfaces {
		c.Interfaces[i].Addresses = append([]IfAddr(nil), c.Interfaces[i].Addresses...)
	}
	c.Routes = append([]Route(nil), sc.Routes...)
	c.Destinations = append([]netip.Addr(nil), sc.Destinations...)
	return &c
}

// Interface is one non-loopback network interface and exactly the addresses
// it has: no link-local address is added implicitly.
type Interface struct {
	Name      string
	Addresses []IfAddr
}

// IfAddr is one address assigned to an interface.
type IfAddr struct {
	// Prefix is the address with its prefix length, as written
	// (172.19.0.7/16): the host bits are kept.
	Prefix netip.Prefix
	// Deprecated: preferred lifetime 0 (IFA_F_DEPRECATED), either family.
	Deprecated bool
	// Home: an RFC 6275 home address (IFA_F_HOMEADDRESS), IPv6 only.
	Home bool
}

// Route is one route as `ip route add` takes it.
type Route struct {
	// To is the destination prefix; for "default" it is 0.0.0.0/0 or ::/0
	// (the family of Via, IPv4 when there is no Via) and Default is set.
	To      netip.Prefix
	Default bool
	// Via is the gateway; the zero Addr when the route has none.
	Via netip.Addr
	// Dev names the outgoing interface ("lo" is allowed); empty when the
	// kernel is left to find it from Via.
	Dev string
	// Src is the preferred source; the zero Addr when not set.
	Src netip.Addr
	// Metric is the route's priority; HasMetric tells whether it was
	// given. See EffectiveMetric.
	Metric    uint32
	HasMetric bool
	// OnLink: the gateway is on the link even though no connected prefix
	// covers it.
	OnLink bool
}

// EffectiveMetric is the metric the kernel stores: the given one, else 0
// for IPv4 and 1024 (IP6_RT_PRIO_USER) for IPv6. IPv6 has no metric 0:
// ip6_route_info_create turns it into 1024 (measured on Linux 6.18).
func (r *Route) EffectiveMetric() uint32 {
	if r.To.Addr().Is6() && (!r.HasMetric || r.Metric == 0) {
		return 1024
	}
	return r.Metric
}

// Family is getaddrinfo's ai_family hint.
type Family uint8

const (
	FamilyUnspec Family = iota // AF_UNSPEC
	FamilyInet                 // AF_INET
	FamilyInet6                // AF_INET6
)

var familyNames = [...]string{"unspec", "inet", "inet6"}

// String returns the family as the scenario format writes it.
func (f Family) String() string {
	if int(f) < len(familyNames) {
		return familyNames[f]
	}
	return "family(" + itoa(int(f)) + ")"
}

// ParseFamily is the inverse of Family.String.
func ParseFamily(s string) (Family, bool) {
	for i, n := range familyNames {
		if n == s {
			return Family(i), true
		}
	}
	return 0, false
}

// Flags is the set of getaddrinfo ai_flags a scenario can set.
type Flags uint8

const (
	AIAddrConfig Flags = 1 << iota // AI_ADDRCONFIG
	AIV4Mapped                     // AI_V4MAPPED
	AIAll                          // AI_ALL
)

var flagNames = [...]string{"AI_ADDRCONFIG", "AI_V4MAPPED", "AI_ALL"}

// Has reports whether every flag of x is set in f.
func (f Flags) Has(x Flags) bool { return f&x == x }

// ParseFlag returns the flag the scenario format names s.
func ParseFlag(s string) (Flags, bool) {
	for i, n := range flagNames {
		if n == s {
			return 1 << i, true
		}
	}
	return 0, false
}

// Names lists the set flags in the scenario format's spelling, in a fixed
// order.
func (f Flags) Names() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Hints are getaddrinfo's hints. The zero value is family unspec and no
// flags (not glibc's NULL-hints default).
type Hints struct {
	Family Family
	Flags  Flags
}
