package engine

import (
	"math/bits"
	"strconv"
)

// MuslKey is the 31-bit sort key musl 1.2.3 computes for each address in
// __lookup_name (src/network/lookup_name.c) before qsort()ing the list in
// descending key order. One key packs the whole comparison: two addresses
// compare as their keys do, the highest differing field decides.
//
//	bit  30     DAS_USABLE        connect() succeeded              (rule 1)
//	bit  29     DAS_MATCHINGSCOPE scopeof(src) == scopeof(dst)     (rule 2)
//	bit  28     DAS_MATCHINGLABEL labelof(src) == labelof(dst)     (rule 5)
//	bits 20-27  precedence of the destination, 0..50               (rule 6)
//	bits 16-19  15 - scope of the destination (smaller scope wins)  (rule 8)
//	bits  8-15  prefixmatch(src, dst), 0..128, uncapped            (rule 9)
//	bits  0-7   MAXADDRS - position = 48 - i (earlier wins)         (rule 10)
//
// Bit 31 is always 0 (musl's key is a positive int and addrcmp returns
// b->sortkey - a->sortkey). Every field value musl can produce fits its
// width, so the fields never carry into one another. The order field makes
// keys unique within a list, so musl's unstable qsort still gives one
// answer.
type MuslKey uint32

// The key's fields, as named in musl 1.2.3's lookup_name.c.
const (
	muslDASUsable        MuslKey = 0x40000000 // DAS_USABLE
	muslDASMatchingScope MuslKey = 0x20000000 // DAS_MATCHINGSCOPE
	muslDASMatchingLabel MuslKey = 0x10000000 // DAS_MATCHINGLABEL
	muslPrecShift                = 20         // DAS_PREC_SHIFT
	muslScopeShift               = 16         // DAS_SCOPE_SHIFT
	muslPrefixShift              = 8          // DAS_PREFIX_SHIFT
	muslOrderShift               = 0          // DAS_ORDER_SHIFT
	muslMaxAddrs                 = 48         // MAXADDRS (src/network/lookup.h)
)

// MakeMuslKey builds the key the way musl does (key |= field << shift):
// usable and the two matching bits, the destination's precedence and
// scope, the prefix match and the position i in the sorted array. Values
// outside what musl can produce are masked to their field's width.
func MakeMuslKey(usable, matchingScope, matchingLabel bool, precedence, scope, prefixMatch, i int) MuslKey {
	var k MuslKey
	if usable {
		k |= muslDASUsable
	}
	if matchingScope {
		k |= muslDASMatchingScope
	}
	if matchingLabel {
		k |= muslDASMatchingLabel
	}
	k |= MuslKey(precedence&0xff) << muslPrecShift
	k |= MuslKey((15-scope)&0xf) << muslScopeShift
	k |= MuslKey(prefixMatch&0xff) << muslPrefixShift
	k |= MuslKey((muslMaxAddrs-i)&0xff) << muslOrderShift
	return k
}

// Usable reports DAS_USABLE: connect() to the destination succeeded.
func (k MuslKey) Usable() bool { return k&muslDASUsable != 0 }

// MatchingScope reports DAS_MATCHINGSCOPE: source and destination scopes
// are equal.
func (k MuslKey) MatchingScope() bool { return k&muslDASMatchingScope != 0 }

// MatchingLabel reports DAS_MATCHINGLABEL: source and destination labels
// are equal.
func (k MuslKey) MatchingLabel() bool { return k&muslDASMatchingLabel != 0 }

// Precedence is the destination's precedence field.
func (k MuslKey) Precedence() int { return int(k>>muslPrecShift) & 0xff }

// Scope is the destination's scope (15 minus the scope field).
func (k MuslKey) Scope() int { return 15 - int(k>>muslScopeShift)&0xf }

// PrefixMatch is the prefixmatch field (0 when not usable).
func (k MuslKey) PrefixMatch() int { return int(k>>muslPrefixShift) & 0xff }

// Order is the order field, 48 minus the position.
func (k MuslKey) Order() int { return int(k>>muslOrderShift) & 0xff }

// Position is the address's position in the array musl sorted (48 minus
// the order field).
func (k MuslKey) Position() int { return muslMaxAddrs - k.Order() }

// String is the key in hex, as musl's int would print with %#010x.
func (k MuslKey) String() string {
	s := strconv.FormatUint(uint64(k), 16)
	const zeros = "00000000"
	return "0x" + zeros[:8-len(s)] + s
}

// MuslKeyField describes one field of a MuslKey.
type MuslKeyField struct {
	// Name is the field's name in musl's source ("DAS_USABLE",
	// "precedence", ...).
	Name string
	// Hi and Lo are the field's highest and lowest bit numbers.
	Hi, Lo int
	// Raw is the field's bits as stored; Value what they mean (the scope
	// for the scope field, which stores 15 - scope; Raw otherwise).
	Raw, Value int
	// Rule is the RFC 6724 rule the field stands for.
	Rule Rule
}

// muslFields are the key's fields from the highest bit down.
var muslFields = [...]struct {
	name   string
	hi, lo int
	rule   Rule
}{
	{"DAS_USABLE", 30, 30, Rule1Usable},
	{"DAS_MATCHINGSCOPE", 29, 29, Rule2Scope},
	{"DAS_MATCHINGLABEL", 28, 28, Rule5Label},
	{"precedence", 27, 20, Rule6Precedence},
	{"15-scope", 19, 16, Rule8Scope},
	{"prefixmatch", 15, 8, Rule9Prefix},
	{"48-position", 7, 0, Rule10Order},
}

// Fields breaks k into its seven fields, highest bits first.
func (k MuslKey) Fields() [7]MuslKeyField {
	var out [7]MuslKeyField
	for i, f := range muslFields {
		raw := int(uint32(k)>>f.lo) & (1<<(f.hi-f.lo+1) - 1)
		v := raw
		if f.lo == muslScopeShift {
			v = 15 - raw
		}
		out[i] = MuslKeyField{Name: f.name, Hi: f.hi, Lo: f.lo, Raw: raw, Value: v, Rule: f.rule}
	}
	return out
}

// FirstDifference names the highest field where k and next differ, with
// its bits and both values ("DAS_MATCHINGLABEL (bit 28): 1 vs 0"), or
// "no field" when they are equal.
func (k MuslKey) FirstDifference(next MuslKey) string {
	return string(k.AppendFirstDifference(nil, next))
}

// AppendFirstDifference appends FirstDifference(next) to dst. It reads
// the fields' bits straight from the keys rather than through Fields:
// every musl "why" sentence says this, and the module's speed budget (the
// gc wasm backend makes each step ~12x dearer) wants it cheap.
func (k MuslKey) AppendFirstDifference(dst []byte, next MuslKey) []byte {
	d := uint32(k ^ next)
	for _, f := range muslFields {
		width := uint(f.hi - f.lo + 1)
		if (d>>f.lo)&(1<<width-1) == 0 {
			continue
		}
		dst = append(dst, f.name...)
		if f.hi != f.lo {
			dst = append(dst, " (bits "...)
			dst = appendInt(dst, f.hi)
			dst = append(dst, '-')
		} else {
			dst = append(dst, " (bit "...)
		}
		dst = appendInt(dst, f.lo)
		dst = append(dst, "): "...)
		dst = appendInt(dst, int(uint32(k)>>f.lo&(1<<width-1)))
		dst = append(dst, " vs "...)
		return appendInt(dst, int(uint32(next)>>f.lo&(1<<width-1)))
	}
	return append(dst, "no field"...)
}

// Decides returns the rule whose field is the highest one where k and next
// differ: the rule that orders the two addresses. RuleNone when the keys
// are equal (never within one musl list).
func (k MuslKey) Decides(next MuslKey) Rule {
	d := uint32(k ^ next)
	if d == 0 {
		return RuleNone
	}
	return muslRuleOfBit[31-bits.LeadingZeros32(d)]
}

// muslRuleOfBit maps a key bit to the rule of the field holding it (bit
// 31, never set by musl, counts as the top field).
var muslRuleOfBit = func() (out [32]Rule) {
	for b := range out {
		out[b] = Rule1Usable
		for _, f := range muslFields {
			if b >= f.lo && b <= f.hi {
				out[b] = f.rule
			}
		}
	}
	return out
}()
