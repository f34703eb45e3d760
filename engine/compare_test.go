package engine_test

import (
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
)

// musl's Compare reads the values its key was made of; the key itself
// (Dest.Key, addrcmp's descending order) must give the same verdict and
// the same deciding field for every pair of an answer, not only the
// adjacent ones the answers record.
func TestMuslCompareIsTheKey(t *testing.T) {
	m, ok := engine.LookupModel("musl")
	if !ok {
		t.Fatal("no musl model")
	}
	var rn engine.Runner
	g := scengen.New(5)
	pairs := 0
	for range 3000 {
		res := rn.Run(g.Next(), []engine.Model{m})[0]
		if len(res.Decided) > 0 && res.Decided[0] == engine.RuleUnsorted {
			continue
		}
		for i := range res.Dests {
			for j := range res.Dests {
				a, b := &res.Dests[i], &res.Dests[j]
				c, r := m.Compare(a, b)
				ka, kb := engine.MuslKey(a.Key), engine.MuslKey(b.Key)
				want := 0
				switch {
				case ka > kb:
					want = -1
				case ka < kb:
					want = 1
				}
				if sign(c) != want || (want != 0 && r != ka.Decides(kb)) {
					t.Fatalf("%s vs %s: Compare %d by %s; keys %s, %s give %d by %s", a.Addr, b.Addr, c, r.ID(), ka, kb, want, ka.Decides(kb).ID())
				}
				pairs++
			}
		}
	}
	if pairs < 10000 {
		t.Fatalf("only %d pairs", pairs)
	}
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}
