package engine

// AppendCompactAnswer appends the compact answer for one scenario, the
// opt-in form for embedders who want throughput (`gaisort sort --compact`,
// the module's compact flag, docs/scenario.md "The compact answer"):
//
//	{"results":[{"model":"rfc6724","order":["...","..."],"decided":["rule5"]},
//	            {"model":"musl-1.2.6","error":"EAI_NONAME"}]}
//
// Each result has "model" and either "order" and "decided" (the rule IDs
// of Rule.ID, one per adjacent pair, as in the full answer's
// decided[i].rule) or "error". No "dests", no "why" sentences, no notes:
// the members it has are exactly the full answer's, so a reader of the
// full answer reads this one too.
//
// Its literals go through textOut's non-inlined writers (render.go): a
// few calls per result cost less time than their inlined appends cost
// module size.
func AppendCompactAnswer(dst []byte, results []Result) []byte {
	var w answerText // on the stack: see answerText
	t := &textOut{b: dst}
	t.s(`{"results":[`)
	for i := range results {
		r := &results[i]
		if i > 0 {
			t.s(`,{"model":`)
		} else {
			t.s(`{"model":`)
		}
		t.b = appendJSONString(t.b, r.Model)
		if r.Err != "" {
			t.s(`,"error":`)
			t.b = appendJSONString(t.b, string(r.Err))
			t.s("}")
			continue
		}
		t.s(`,"order":[`)
		for k := range r.Dests {
			if k > 0 {
				t.s(",")
			}
			t.b = w.addrString(t.b, r.Dests[k].Addr)
		}
		t.s(`],"decided":[`)
		for k, rule := range r.Decided {
			if k > 0 {
				t.s(`,"`)
			} else {
				t.s(`"`)
			}
			t.s(rule.ID()) // letters and digits
			t.s(`"`)
		}
		t.s("]}")
	}
	t.s("]}")
	return t.b
}
