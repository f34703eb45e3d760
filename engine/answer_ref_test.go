package engine

// The answer writer as it was before the speed work (commit 47b40ba),
// kept verbatim under ref* names as the reference the fast writer must
// equal byte for byte (answer_fast_test.go). It formats every address
// with netip's AppendTo, escapes with a byte-by-byte loop and re-scans
// each "why" sentence: slow, obviously right.

import (
	"net/netip"
	"strconv"
	"unicode/utf8"
)

func refAppendAnswer(dst []byte, results []Result) []byte {
	dst = append(dst, `{"results":[`...)
	for i := range results {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = refAppendResult(dst, &results[i])
	}
	return append(dst, "]}"...)
}

func refAppendResult(dst []byte, r *Result) []byte {
	dst = append(dst, `{"model":`...)
	dst = refAppendJSONString(dst, r.Model)
	if r.Err != "" {
		dst = append(dst, `,"error":`...)
		dst = refAppendJSONString(dst, r.Err)
	} else {
		dst = append(dst, `,"order":[`...)
		for i := range r.Dests {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = refAppendAddrJSON(dst, r.Dests[i].Addr)
		}
		dst = append(dst, `],"dests":[`...)
		for i := range r.Dests {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = refAppendDest(dst, &r.Dests[i])
		}
		dst = append(dst, `],"decided":[`...)
		for i, rule := range r.Decided {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"rule":`...)
			dst = refAppendJSONString(dst, rule.ID())
			dst = append(dst, `,"why":`...)
			start := len(dst)
			dst = append(dst, '"')
			dst = refAppendWhy(dst, r, i)
			dst = refFinishJSONString(dst, start)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if len(r.Notes) > 0 {
		dst = append(dst, `,"notes":[`...)
		for i, n := range r.Notes {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"kind":`...)
			dst = refAppendJSONString(dst, n.Kind)
			if n.Line > 0 {
				dst = append(dst, `,"line":`...)
				dst = strconv.AppendInt(dst, int64(n.Line), 10)
			}
			dst = append(dst, `,"text":`...)
			dst = refAppendJSONString(dst, n.Text)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func refAppendDest(dst []byte, d *Dest) []byte {
	dst = append(dst, `{"address":`...)
	dst = refAppendAddrJSON(dst, d.Addr)
	dst = append(dst, `,"index":`...)
	dst = strconv.AppendInt(dst, int64(d.Index), 10)
	dst = append(dst, `,"usable":`...)
	dst = strconv.AppendBool(dst, d.Usable)
	if d.Unreachable != "" {
		dst = append(dst, `,"unreachable":`...)
		dst = refAppendJSONString(dst, d.Unreachable)
	}
	if d.Source.IsValid() {
		dst = append(dst, `,"source":`...)
		dst = refAppendAddrJSON(dst, d.Source)
	}
	if d.Interface != "" {
		dst = append(dst, `,"interface":`...)
		dst = refAppendJSONString(dst, d.Interface)
	}
	dst = refAppendIntField(dst, "source_prefix_len", d.SourcePrefixLen)
	if d.SourceDeprecated {
		dst = append(dst, `,"source_deprecated":true`...)
	}
	if d.SourceHome {
		dst = append(dst, `,"source_home":true`...)
	}
	dst = refAppendIntField(dst, "dest_scope", d.DestScope)
	dst = refAppendIntField(dst, "source_scope", d.SourceScope)
	dst = refAppendIntField(dst, "dest_label", d.DestLabel)
	dst = refAppendIntField(dst, "source_label", d.SourceLabel)
	dst = refAppendIntField(dst, "precedence", d.Precedence)
	dst = refAppendIntField(dst, "match_len", d.MatchLen)
	if d.Key != 0 {
		dst = append(dst, `,"key":"0x`...)
		dst = appendHex32(dst, d.Key)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

func refAppendIntField(dst []byte, name string, v int) []byte {
	if v < 0 {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return strconv.AppendInt(dst, int64(v), 10)
}

func refAppendWhy(dst []byte, r *Result, i int) []byte {
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
		dst = refAppendScopeName(dst, a.DestScope)
		dst = append(dst, " like its source "...)
		dst = a.Source.AppendTo(dst)
		dst = append(dst, "; "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = refAppendScopeName(dst, b.DestScope)
		dst = append(dst, " but its source "...)
		dst = b.Source.AppendTo(dst)
		dst = append(dst, " has scope "...)
		dst = refAppendScopeName(dst, b.SourceScope)
	case Rule3Deprecated:
		dst = refAppendSourceOf(dst, b, ", is deprecated; ")
		dst = refAppendSourceOf(dst, a, ", is not")
	case Rule4Home:
		dst = refAppendSourceOf(dst, a, ", is a home address; ")
		dst = refAppendSourceOf(dst, b, ", is not")
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
		dst = refAppendScopeName(dst, a.DestScope)
		dst = append(dst, ", "...)
		dst = b.Addr.AppendTo(dst)
		dst = append(dst, " has the wider scope "...)
		dst = refAppendScopeName(dst, b.DestScope)
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
		dst = refAppendMuslKey(dst, a.Key)
		dst = append(dst, " and "...)
		dst = refAppendMuslKey(dst, b.Key)
		dst = append(dst, " first differ in "...)
		dst = refAppendFirstDifference(MuslKey(a.Key), dst, MuslKey(b.Key))
	}
	return dst
}

func refAppendSourceOf(dst []byte, d *Dest, tail string) []byte {
	dst = append(dst, "the source of "...)
	dst = d.Addr.AppendTo(dst)
	dst = append(dst, ", "...)
	dst = d.Source.AppendTo(dst)
	return append(dst, tail...)
}

func refAppendScopeName(dst []byte, v int) []byte {
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

func refAppendMuslKey(dst []byte, k uint32) []byte {
	dst = append(dst, "0x"...)
	return appendHex32(dst, k)
}

func refFinishJSONString(dst []byte, start int) []byte {
	// dst[start] is the opening quote; dst[start+1:] the raw text.
	for _, c := range dst[start+1:] {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			// refAppendJSONString rewrites dst from start: copy the text first.
			return refAppendJSONString(dst[:start], string(dst[start+1:]))
		}
	}
	return append(dst, '"')
}

func refAppendAddrJSON(dst []byte, a netip.Addr) []byte {
	start := len(dst)
	dst = append(dst, '"')
	dst = a.AppendTo(dst)
	if a.Zone() == "" {
		return append(dst, '"')
	}
	return refFinishJSONString(dst, start)
}

func refAppendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		ru, n := utf8.DecodeRuneInString(s[i:])
		if ru == utf8.RuneError && n == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		if ru == '\u2028' || ru == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[ru&0xf])
			i += n
			start = i
			continue
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func refAppendFirstDifference(k MuslKey, dst []byte, next MuslKey) []byte {
	a, b := k.Fields(), next.Fields()
	for i := range a {
		if a[i].Raw == b[i].Raw {
			continue
		}
		dst = append(dst, a[i].Name...)
		if a[i].Hi != a[i].Lo {
			dst = append(dst, " (bits "...)
			dst = strconv.AppendInt(dst, int64(a[i].Hi), 10)
			dst = append(dst, '-')
		} else {
			dst = append(dst, " (bit "...)
		}
		dst = strconv.AppendInt(dst, int64(a[i].Lo), 10)
		dst = append(dst, "): "...)
		dst = strconv.AppendInt(dst, int64(a[i].Raw), 10)
		dst = append(dst, " vs "...)
		return strconv.AppendInt(dst, int64(b[i].Raw), 10)
	}
	return append(dst, "no field"...)
}
