package engine

// Why says in plain words why r.Dests[i] comes before r.Dests[i+1]: the
// deciding rule (r.Decided[i]) and the values it compared.
func Why(r *Result, i int) string {
	if i < 0 || i+1 >= len(r.Dests) || i >= len(r.Decided) {
		return ""
	}
	a, b := &r.Dests[i], &r.Dests[i+1]
	rule := r.Decided[i]
	an, bn := a.Addr.String(), b.Addr.String()
	s := rule.String() + ": "
	switch rule {
	case Rule1Usable:
		s += an + " is reachable"
		if a.Source.IsValid() {
			s += " (source " + a.Source.String() + ")"
		}
		s += "; " + bn + " is not"
		if b.Unreachable != "" {
			s += " (connect fails with " + b.Unreachable + ")"
		}
	case Rule2Scope:
		s += an + " has scope " + scopeName(a.DestScope) + " like its source " + a.Source.String() +
			"; " + bn + " has scope " + scopeName(b.DestScope) + " but its source " + b.Source.String() +
			" has scope " + scopeName(b.SourceScope)
	case Rule3Deprecated:
		s += "the source of " + bn + ", " + b.Source.String() + ", is deprecated; the source of " + an +
			", " + a.Source.String() + ", is not"
	case Rule4Home:
		s += "the source of " + an + ", " + a.Source.String() + ", is a home address; the source of " + bn +
			", " + b.Source.String() + ", is not"
	case Rule5Label:
		s += an + " has label " + itoa(a.DestLabel) + " like its source " + a.Source.String() +
			"; " + bn + " has label " + itoa(b.DestLabel) + " but its source " + b.Source.String() +
			" has label " + itoa(b.SourceLabel)
	case Rule6Precedence:
		s += an + " has precedence " + itoa(a.Precedence) + ", " + bn + " has " + itoa(b.Precedence)
	case Rule7Native:
		s += an + " is reached natively, " + bn + " through a tunnel"
	case Rule8Scope:
		s += an + " has scope " + scopeName(a.DestScope) + ", " + bn + " has the wider scope " + scopeName(b.DestScope)
	case Rule9Prefix:
		s += an + " shares " + itoa(a.MatchLen) + " leading bits with its source " + a.Source.String() +
			", " + bn + " only " + itoa(b.MatchLen) + " with " + b.Source.String()
	case Rule10Order:
		s += "no rule tells them apart, so " + an + " keeps its place before " + bn
	case RuleUnsorted:
		s = rule.String()
	case RuleAlgorithm:
		s += "the comparator alone would put " + bn + " first, but the library's sort algorithm did not ask it so"
	default:
		s = rule.String()
	}
	if a.Key != 0 && b.Key != 0 {
		s += "; musl's keys " + MuslKey(a.Key).String() + " and " + MuslKey(b.Key).String() +
			" first differ in " + MuslKey(a.Key).FirstDifference(MuslKey(b.Key))
	}
	return s
}

// scopeName writes a scope value with its RFC 4291 name.
func scopeName(v int) string {
	n := itoa(v)
	switch v {
	case 1:
		return n + " (interface-local)"
	case 2:
		return n + " (link-local)"
	case 5:
		return n + " (site-local)"
	case 8:
		return n + " (organization-local)"
	case 14:
		return n + " (global)"
	}
	return n
}
