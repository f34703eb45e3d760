package engine

// Runner answers scenarios with models, reusing its storage from call to
// call: one Runner serves one caller at a time. It keeps the last few
// gai.conf files it read, parsed and linted (see gaiConfCache), so that
// a file is read once, not at every call.
type Runner struct {
	host     Host
	results  []Result
	gaiConfs gaiConfCache
}

// Run answers sc with each model, in the given order. The results are
// valid until the next call.
func (rn *Runner) Run(sc *Scenario, models []Model) []Result {
	rn.host.Reset(sc)
	rn.host.gaiConfs = &rn.gaiConfs
	if cap(rn.results) < len(models) {
		rn.results = append(rn.results[:cap(rn.results)], make([]Result, len(models)-cap(rn.results))...)
	}
	rn.results = rn.results[:len(models)]
	for i, m := range models {
		r := &rn.results[i]
		r.Reset(m.Info().Name)
		m.Sort(sc, &rn.host, r)
	}
	return rn.results
}

// Host returns the host model of the last scenario Run answered.
func (rn *Runner) Host() *Host { return &rn.host }

// AppendAnswer appends the answer object of `gaisort sort --json` for one
// scenario: {"results":[{"model":..., "order":[...]} or {"model":...,
// "error":"EAI_..."}, ...]}. Besides the contract (order or error), each
// result carries its explanation: "dests" (what the model knew of each
// destination, in final order), "decided" (for each adjacent pair, the
// rule that put the first before the second, in words) and "notes".
func AppendAnswer(dst []byte, results []Result) []byte {
	var w answerText // on the stack: see answerText
	dst = append(dst, `{"results":[`...)
	for i := range results {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = w.result(dst, &results[i])
	}
	return append(dst, "]}"...)
}

// The writer puts the text it makes itself (member names, rule words and
// IDs, numbers) straight into dst: none of it needs escaping. Only what
// can hold any text goes through the escaper: names and errors a model
// gives, zones, interface names, notes.

func (w *answerText) result(dst []byte, r *Result) []byte {
	dst = append(dst, `{"model":`...)
	dst = appendJSONString(dst, r.Model)
	if r.Err != "" {
		dst = append(dst, `,"error":`...)
		dst = appendJSONString(dst, string(r.Err))
	} else {
		dst = append(dst, `,"order":[`...)
		for i := range r.Dests {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = w.addrString(dst, r.Dests[i].Addr)
		}
		dst = append(dst, `],"dests":[`...)
		for i := range r.Dests {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = w.dest(dst, &r.Dests[i])
		}
		dst = append(dst, `],"decided":[`...)
		for i, rule := range r.Decided {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"rule":"`...)
			dst = append(dst, rule.ID()...) // letters and digits
			dst = append(dst, `","why":"`...)
			dst = appendWhy(dst, r, i, w)
			dst = append(dst, `"}`...)
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
			dst = appendJSONString(dst, n.Kind.String())
			if n.Line > 0 {
				dst = append(dst, `,"line":`...)
				dst = appendInt(dst, n.Line)
			}
			dst = append(dst, `,"text":`...)
			dst = appendJSONString(dst, n.Text)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func (w *answerText) dest(dst []byte, d *Dest) []byte {
	dst = append(dst, `{"address":`...)
	dst = w.addrString(dst, d.Addr)
	dst = append(dst, `,"index":`...)
	dst = appendInt(dst, d.Index)
	if d.Usable {
		dst = append(dst, `,"usable":true`...)
	} else {
		dst = append(dst, `,"usable":false`...)
	}
	if d.Unreachable != "" {
		dst = append(dst, `,"unreachable":`...)
		dst = appendJSONString(dst, d.Unreachable)
	}
	if d.Source.IsValid() {
		dst = append(dst, `,"source":`...)
		dst = w.addrString(dst, d.Source)
	}
	if d.Interface != "" {
		dst = append(dst, `,"interface":`...)
		dst = appendJSONString(dst, d.Interface)
	}
	dst = appendIntField(dst, `,"source_prefix_len":`, d.SourcePrefixLen)
	if d.SourceDeprecated {
		dst = append(dst, `,"source_deprecated":true`...)
	}
	if d.SourceHome {
		dst = append(dst, `,"source_home":true`...)
	}
	dst = appendIntFields(dst, &destRuleMembers, [...]int{d.DestScope, d.SourceScope,
		d.DestLabel, d.SourceLabel, d.Precedence, d.MatchLen})
	if d.Key != 0 {
		dst = append(dst, `,"key":"0x`...)
		dst = appendHex32(dst, d.Key)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// destRuleMembers name the numbers the rules compare, in answer order.
var destRuleMembers = [...]string{`,"dest_scope":`, `,"source_scope":`,
	`,"dest_label":`, `,"source_label":`, `,"precedence":`, `,"match_len":`}

// appendIntFields writes appendIntField(members[i], v[i]) for each i, in
// one loop that writes numbers under 100 (all of these in practice)
// without a call: the module's speed budget, where each call costs ~12x.
func appendIntFields(dst []byte, members *[6]string, v [6]int) []byte {
	for i, n := range v {
		switch {
		case n < 0:
			continue
		case n < 10:
			dst = append(dst, members[i]...)
			dst = append(dst, byte('0'+n))
		case n < 100:
			dst = append(dst, members[i]...)
			dst = append(dst, byte('0'+n/10), byte('0'+n%10))
		default:
			dst = append(dst, members[i]...)
			dst = appendInt(dst, n)
		}
	}
	return dst
}

// appendIntField writes the member (`,"name":`) and v unless v is unknown
// (negative).
func appendIntField(dst []byte, member string, v int) []byte {
	if v < 0 {
		return dst
	}
	dst = append(dst, member...)
	return appendInt(dst, v)
}

// appendHex32 writes v as 8 lower-case hex digits.
func appendHex32(dst []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for s := 28; s >= 0; s -= 4 {
		dst = append(dst, digits[(v>>uint(s))&0xf])
	}
	return dst
}
