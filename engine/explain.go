package engine

import (
	"net/netip"
	"strconv"
)

// Why says in plain words why r.Dests[i] comes before r.Dests[i+1]: the
// deciding rule (r.Decided[i]) and the values it compared.
func Why(r *Result, i int) string { return string(AppendWhy(nil, r, i)) }

// AppendWhy appends Why(r, i) to dst without allocating.
func AppendWhy(dst []byte, r *Result, i int) []byte {
	if i < 0 || i+1 >= len(r.Dests) || i >= len(r.Decided) {
		return dst
	}
	a, b := &r.Dests[i], &r.Dests[i+1]
	rule := r.Decided[i]
	dst = append(dst, rule.String()...)
	switch rule {
	case RuleUnsorted, RuleNone:
		return dst
	}
	dst = append(dst, ": "...)
	switch rule {
	case Rule1Usable:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " is reachable"...)
		if a.Source.IsValid() {
			dst = append(dst, " (source "...)
			dst = a.Source.AppendTo(dst)
			dst = append(dst, ')')
		}
		dst = append(dst, "; "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " is not"...)
		if b.Unreachable != "" {
			dst = append(dst, " (connect fails with "...)
			dst = append(dst, b.Unreachable...)
			dst = append(dst, ')')
		}
	case Rule2Scope:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, a.DestScope)
		dst = append(dst, " like its source "...)
		dst = a.Source.AppendTo(dst)
		dst = append(dst, "; "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, b.DestScope)
		dst = append(dst, " but its source "...)
		dst = b.Source.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, b.SourceScope)
	case Rule3Deprecated:
		dst = appendSourceOf(dst, b, ", is deprecated; ")
		dst = appendSourceOf(dst, a, ", is not")
	case Rule4Home:
		dst = appendSourceOf(dst, a, ", is a home address; ")
		dst = appendSourceOf(dst, b, ", is not")
	case Rule5Label:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " has label "...)
		dst = strconv.AppendInt(dst, int64(a.DestLabel), 10)
		dst = append(dst, " like its source "...)
		dst = a.Source.AppendTo(dst)
		dst = append(dst, "; "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has label "...)
		dst = strconv.AppendInt(dst, int64(b.DestLabel), 10)
		dst = append(dst, " but its source "...)
		dst = b.Source.AppendTo(dst)
		dst = append(dst, " has label "...)
		dst = strconv.AppendInt(dst, int64(b.SourceLabel), 10)
	case Rule6Precedence:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " has precedence "...)
		dst = strconv.AppendInt(dst, int64(a.Precedence), 10)
		dst = append(dst, ", "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has "...)
		dst = strconv.AppendInt(dst, int64(b.Precedence), 10)
	case Rule7Native:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " is reached natively, "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " through a tunnel"...)
	case Rule8Scope:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, a.DestScope)
		dst = append(dst, ", "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has the wider scope "...)
		dst = appendScopeName(dst, b.DestScope)
	case Rule9Prefix:
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " shares "...)
		dst = strconv.AppendInt(dst, int64(a.MatchLen), 10)
		dst = append(dst, " leading bits with its source "...)
		dst = a.Source.AppendTo(dst)
		dst = append(dst, ", "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " only "...)
		dst = strconv.AppendInt(dst, int64(b.MatchLen), 10)
		dst = append(dst, " with "...)
		dst = b.Source.AppendTo(dst)
	case Rule10Order:
		dst = append(dst, "no rule tells them apart, so "...)
		dst = a.Addr.AppendTo(dst)
		dst = append(dst, " keeps its place before "...)
		dst = b.Addr.AppendTo(dst)
	case RuleAlgorithm:
		dst = append(dst, "the comparator alone would put "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " first, but the library's sort algorithm did not ask it so"...)
	}
	if a.Key != 0 && b.Key != 0 {
		dst = append(dst, "; musl's keys "...)
		dst = appendMuslKey(dst, a.Key)
		dst = append(dst, " and "...)
		dst = appendMuslKey(dst, b.Key)
		dst = append(dst, " first differ in "...)
		dst = MuslKey(a.Key).AppendFirstDifference(dst, MuslKey(b.Key))
	}
	return dst
}

// appendSourceOf writes "the source of D, S" then tail.
func appendSourceOf(dst []byte, d *Dest, tail string) []byte {
	dst = append(dst, "the source of "...)
	dst = d.Addr.AppendTo(dst)
	dst = append(dst, ", "...)
	dst = d.Source.AppendTo(dst)
	return append(dst, tail...)
}

// appendScopeName writes a scope value with its RFC 4291 name.
func appendScopeName(dst []byte, v int) []byte {
	dst = strconv.AppendInt(dst, int64(v), 10)
	switch v {
	case 1:
		return append(dst, " (interface-local)"...)
	case 2:
		return append(dst, " (link-local)"...)
	case 5:
		return append(dst, " (site-local)"...)
	case 8:
		return append(dst, " (organization-local)"...)
	case 14:
		return append(dst, " (global)"...)
	}
	return dst
}

func appendMuslKey(dst []byte, k uint32) []byte {
	dst = append(dst, "0x"...)
	return appendHex32(dst, k)
}

// finishJSONString closes a JSON string whose raw text was appended to dst
// after the opening quote at dst[start], escaping it only when it needs it
// (no allocation in the common case of plain ASCII).
func finishJSONString(dst []byte, start int) []byte {
	// dst[start] is the opening quote; dst[start+1:] the raw text.
	for _, c := range dst[start+1:] {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			// appendJSONString rewrites dst from start: copy the text first.
			return appendJSONString(dst[:start], string(dst[start+1:]))
		}
	}
	return append(dst, '"')
}

// appendAddrJSON appends a's text as a JSON string.
func appendAddrJSON(dst []byte, a netip.Addr) []byte {
	start := len(dst)
	dst = append(dst, '"')
	dst = a.AppendTo(dst)
	if a.Zone() == "" {
		return append(dst, '"')
	}
	return finishJSONString(dst, start)
}
