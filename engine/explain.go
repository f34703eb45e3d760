package engine

// Why says in plain words why r.Dests[i] comes before r.Dests[i+1]: the
// deciding rule (r.Decided[i]) and the values it compared.
func Why(r *Result, i int) string { return string(AppendWhy(nil, r, i)) }

// AppendWhy appends Why(r, i) to dst without allocating.
func AppendWhy(dst []byte, r *Result, i int) []byte { return appendWhy(dst, r, i, nil) }

// appendWhy writes the sentence through w: raw for a nil w (Why), else
// escaped for the inside of a JSON string (the answers), with no re-scan
// of the text the sentence is made of (rule words, numbers, keys), which
// never needs escaping.
func appendWhy(dst []byte, r *Result, i int, w *answerText) []byte {
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
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " is reachable"...)
		if a.Source.IsValid() {
			dst = append(dst, " (source "...)
			dst = w.addr(dst, a.Source)
			dst = append(dst, ')')
		}
		dst = append(dst, "; "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " is not"...)
		if b.Unreachable != "" {
			dst = append(dst, " (connect fails with "...)
			dst = w.text(dst, b.Unreachable)
			dst = append(dst, ')')
		}
	case Rule2Scope:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, a.DestScope)
		dst = append(dst, " like its source "...)
		dst = w.addr(dst, a.Source)
		dst = append(dst, "; "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, b.DestScope)
		dst = append(dst, " but its source "...)
		dst = w.addr(dst, b.Source)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, b.SourceScope)
	case Rule3Deprecated:
		dst = appendSourceOf(dst, w, b, ", is deprecated; ")
		dst = appendSourceOf(dst, w, a, ", is not")
	case Rule4Home:
		dst = appendSourceOf(dst, w, a, ", is a home address; ")
		dst = appendSourceOf(dst, w, b, ", is not")
	case Rule5Label:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " has label "...)
		dst = appendInt(dst, a.DestLabel)
		dst = append(dst, " like its source "...)
		dst = w.addr(dst, a.Source)
		dst = append(dst, "; "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " has label "...)
		dst = appendInt(dst, b.DestLabel)
		dst = append(dst, " but its source "...)
		dst = w.addr(dst, b.Source)
		dst = append(dst, " has label "...)
		dst = appendInt(dst, b.SourceLabel)
	case Rule6Precedence:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " has precedence "...)
		dst = appendInt(dst, a.Precedence)
		dst = append(dst, ", "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " has "...)
		dst = appendInt(dst, b.Precedence)
	case Rule7Native:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " is reached natively, "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " through a tunnel"...)
	case Rule8Scope:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " has scope "...)
		dst = appendScopeName(dst, a.DestScope)
		dst = append(dst, ", "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " has the wider scope "...)
		dst = appendScopeName(dst, b.DestScope)
	case Rule9Prefix:
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " shares "...)
		dst = appendInt(dst, a.MatchLen)
		dst = append(dst, " leading bits with its source "...)
		dst = w.addr(dst, a.Source)
		dst = append(dst, ", "...)
		dst = w.addr(dst, b.Addr)
		dst = append(dst, " only "...)
		dst = appendInt(dst, b.MatchLen)
		dst = append(dst, " with "...)
		dst = w.addr(dst, b.Source)
	case Rule10Order:
		dst = append(dst, "no rule tells them apart, so "...)
		dst = w.addr(dst, a.Addr)
		dst = append(dst, " keeps its place before "...)
		dst = w.addr(dst, b.Addr)
	case RuleAlgorithm:
		dst = append(dst, "the comparator alone would put "...)
		dst = w.addr(dst, b.Addr)
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
func appendSourceOf(dst []byte, w *answerText, d *Dest, tail string) []byte {
	dst = append(dst, "the source of "...)
	dst = w.addr(dst, d.Addr)
	dst = append(dst, ", "...)
	dst = w.addr(dst, d.Source)
	return append(dst, tail...)
}

// appendScopeName writes a scope value with its RFC 4291 name.
func appendScopeName(dst []byte, v int) []byte {
	dst = appendInt(dst, v)
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
