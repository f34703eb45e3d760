package engine

import "net/netip"

// Host is the Linux host model of a scenario: its interfaces, addresses and
// routes as the kernel would hold them after the scenario's set-up, and the
// answer connect() + getsockname() would give on a UDP socket (Connect).
// Build one with NewHost; it is read-only afterwards and shared by every
// model answering the same scenario.
type Host struct {
	// Ifaces are the interface names in the kernel's device order: "lo"
	// first (index 0), then the scenario's interfaces as listed.
	Ifaces []string
	// Addrs are every address of the host: lo's 127.0.0.1/8 and ::1/128
	// first, then each interface's addresses in scenario order.
	Addrs []HostAddr

	v4local, v4main []route4
	v6local, v6main []route6
	// v6order lists, per interface, the indexes into Addrs of its IPv6
	// addresses in the kernel's list order (see ipv6_link_dev_addr).
	v6order [][]int
	// v4order lists, per interface, the indexes of its IPv4 addresses in
	// the kernel's list order (primaries first, see __inet_insert_ifa).
	v4order [][]int
}

// HostAddr is one address of the host.
type HostAddr struct {
	// Prefix is the address and its prefix length, host bits kept.
	Prefix netip.Prefix
	// Iface is the index into Host.Ifaces of the interface holding it.
	Iface int
	// Deprecated and Home are the address's flags.
	Deprecated bool
	Home       bool
	// Secondary: an IPv4 address in the same subnet (same prefix and
	// length) as an earlier address of the same interface. Linux gives it
	// no connected route and never picks it as a source by itself.
	Secondary bool
}

// Conn is what connect() on a UDP socket to a destination, then
// getsockname(), would report.
type Conn struct {
	// Err is the errno connect() fails with ("ENETUNREACH", "EINVAL",
	// "EACCES", "EADDRNOTAVAIL"), or "" when it succeeds.
	Err string
	// Source is the local address getsockname() reports: IPv4 for an IPv4
	// destination, IPv4-mapped for a mapped destination (an AF_INET6
	// socket connected to an IPv4 address), IPv6 otherwise. It can be
	// 0.0.0.0 when a route exists but the host has no IPv4 address Linux
	// would use. Zero Addr when Err is set.
	Source netip.Addr
	// SourceAddr is the index into Host.Addrs of the source, or -1 when
	// the source is no address of the host (0.0.0.0) or Err is set.
	SourceAddr int
	// Iface is the index into Host.Ifaces of the outgoing interface, -1
	// when Err is set.
	Iface int
}

// OK reports whether connect() succeeded.
func (c Conn) OK() bool { return c.Err == "" }

type route4 struct{}
type route6 struct{}

// NewHost builds the host model of a valid scenario (see ParseScenario).
func NewHost(sc *Scenario) *Host {
	// Implementation lands in the next commit.
	return &Host{Ifaces: []string{"lo"}}
}

// Connect models connect() + getsockname() on a UDP socket to dst.
func (h *Host) Connect(dst netip.Addr) Conn {
	return Conn{Err: "ENETUNREACH", SourceAddr: -1, Iface: -1}
}
