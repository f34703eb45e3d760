package engine

import (
	"math/bits"
	"net/netip"
)

// PolicyRow is one row of a policy table: a prefix over the 128-bit IPv6
// form of an address (IPv4 in IPv4-mapped form) and the value it gives.
type PolicyRow struct {
	Prefix netip.Prefix
	Value  int
}

// PolicyTable is a policy table scanned in row order, first match wins.
// A table sorted by prefix length, longest first, is a longest-match table
// (RFC 6724 section 2.1); glibc's built-in tables are scanned in their own
// array order, which this type keeps. Compile it for repeated lookups.
type PolicyTable []PolicyRow

// Lookup returns the value of the first row whose prefix contains a (IPv4
// looked up in mapped form, any zone ignored), and false when none does.
func (t PolicyTable) Lookup(a netip.Addr) (int, bool) {
	x := addr128Of(a)
	for i := range t {
		if prefix128Of(t[i].Prefix).contains(x) {
			return t[i].Value, true
		}
	}
	return 0, false
}

// Compile returns the table in a form that looks up without allocating
// or re-reading the prefixes.
func (t PolicyTable) Compile() CompiledPolicy {
	c := CompiledPolicy{prefixes: make([]prefix128, len(t)), values: make([]int, len(t))}
	for i, r := range t {
		c.prefixes[i] = prefix128Of(r.Prefix)
		c.values[i] = r.Value
	}
	// Index the rows by the first byte an address can have under them,
	// in row order: most addresses then meet one or two rows instead of
	// all of them (the hot path of every model).
	for b := range c.first {
		for i, p := range c.prefixes {
			if byte(b)&byte(p.mask.hi>>56) == byte(p.addr.hi>>56) {
				c.first[b] = append(c.first[b], uint8(i))
			}
		}
	}
	return c
}

// CompiledPolicy is a PolicyTable ready for fast lookups. It holds at
// most 256 rows.
type CompiledPolicy struct {
	prefixes []prefix128
	values   []int
	first    [256][]uint8 // rows that can match, by the address's first byte
}

// Lookup is PolicyTable.Lookup.
func (c *CompiledPolicy) Lookup(a netip.Addr) (int, bool) {
	return c.lookup128(addr128Of(a))
}

func (c *CompiledPolicy) lookup128(x addr128) (int, bool) {
	if i := c.row(x); i >= 0 {
		return c.values[i], true
	}
	return 0, false
}

// row returns the first row containing x, -1 for none.
func (c *CompiledPolicy) row(x addr128) int {
	for _, i := range c.first[x.hi>>56] {
		if c.prefixes[i].contains(x) {
			return int(i)
		}
	}
	return -1
}

// addr128 is an address in its 128-bit form, as two big-endian halves.
type addr128 struct{ hi, lo uint64 }

// addr128Of returns a in its 128-bit form: IPv4 becomes IPv4-mapped IPv6,
// as every policy table and rule 9 see it; the zone is dropped.
func addr128Of(a netip.Addr) addr128 {
	b := a.As16()
	return addr128{be64(b[:8]), be64(b[8:])}
}

func be64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

// prefix128 is a prefix over the 128-bit form: an address and a mask.
type prefix128 struct{ addr, mask addr128 }

// prefix128Of converts p; an IPv4 prefix becomes its IPv4-mapped form.
func prefix128Of(p netip.Prefix) prefix128 {
	n := p.Bits()
	if p.Addr().Is4() {
		n += 96
	}
	return maskedPrefix128(addr128Of(p.Addr()), n)
}

// maskedPrefix128 is the prefix of the first n bits (0..128) of a.
func maskedPrefix128(a addr128, n int) prefix128 {
	if n < 0 {
		n = 0
	}
	var m addr128
	switch {
	case n >= 128:
		m = addr128{^uint64(0), ^uint64(0)}
	case n > 64:
		m = addr128{^uint64(0), ^uint64(0) << (128 - n)}
	case n > 0:
		m = addr128{^uint64(0) << (64 - n), 0}
	}
	return prefix128{addr128{a.hi & m.hi, a.lo & m.lo}, m}
}

func (p prefix128) contains(x addr128) bool {
	return x.hi&p.mask.hi == p.addr.hi && x.lo&p.mask.lo == p.addr.lo
}

// cpl128 counts the leading bits x and y have in common over their
// 128-bit forms (0..128); IPv4 pairs count the 96 bits of ::ffff:.
func cpl128(x, y addr128) int {
	if d := x.hi ^ y.hi; d != 0 {
		return bits.LeadingZeros64(d)
	}
	return 64 + bits.LeadingZeros64(x.lo^y.lo)
}

// mustPrefix parses a prefix of a built-in table.
// Not inlined: the policy tables call it some fifty times at start-up.
//
//go:noinline
func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
