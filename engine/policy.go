package engine

import "net/netip"

// PolicyRow is one row of a policy table: a prefix over the 128-bit IPv6
// form of an address (IPv4 in IPv4-mapped form) and the value it gives.
type PolicyRow struct {
	Prefix netip.Prefix
	Value  int
}

// PolicyTable is a policy table scanned in row order, first match wins.
// A table sorted by prefix length, longest first, is a longest-match table
// (RFC 6724 section 2.1); glibc's built-in tables are scanned in their own
// array order, which this type keeps.
type PolicyTable []PolicyRow

// Lookup returns the value of the first row whose prefix contains a (IPv4
// looked up in mapped form, any zone ignored), and false when none does.
func (t PolicyTable) Lookup(a netip.Addr) (int, bool) {
	a = as16(a)
	for i := range t {
		if t[i].Prefix.Contains(a) {
			return t[i].Value, true
		}
	}
	return 0, false
}

// as16 returns a in its 128-bit form without zone: IPv4 becomes
// IPv4-mapped IPv6, as every policy table and rule 9 see it.
func as16(a netip.Addr) netip.Addr {
	if a.Is4() {
		return netip.AddrFrom16(a.As16())
	}
	return a.WithZone("")
}

// mustPrefix parses a prefix of a built-in table.
func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// commonPrefixLen counts the leading bits a and b have in common over
// their 128-bit forms (0..128); IPv4 pairs count the 96 bits of ::ffff:.
func commonPrefixLen(a, b netip.Addr) int {
	x, y := as16(a).As16(), as16(b).As16()
	n := 0
	for i := 0; i < 16; i++ {
		d := x[i] ^ y[i]
		if d == 0 {
			n += 8
			continue
		}
		for d&0x80 == 0 {
			n++
			d <<= 1
		}
		return n
	}
	return n
}
