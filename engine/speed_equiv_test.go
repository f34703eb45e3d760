package engine_test

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
)

// What the speed work changed must not change an answer: the Runner's
// gai.conf cache gives the bytes a model reading the file itself gives,
// and the RFC model's merge sort the order its insertion sort gave.

// answerAlone is the answer of every model to sc with no Runner: each
// model on a Host of its own, so each reads gai.conf itself.
func answerAlone(sc *engine.Scenario) []byte {
	res := make([]engine.Result, len(engine.Models()))
	for i, m := range engine.Models() {
		res[i].Reset(m.Info().Name)
		m.Sort(sc, engine.NewHost(sc), &res[i])
	}
	return engine.AppendAnswer(nil, res)
}

// TestRunnerGaiConfCache: one Runner answering generated scenarios, whose
// gai.conf files come back now and then (hits), change (misses) and
// outnumber the cache (evictions), answers byte for byte as the models
// reading each file afresh.
func TestRunnerGaiConfCache(t *testing.T) {
	var rn engine.Runner
	g := scengen.New(17)
	var texts []string // the files seen so far, to bring back
	hits := 0
	for i := range 3000 {
		sc := g.Next()
		if sc.GaiConf != "" {
			texts = append(texts, sc.GaiConf)
		}
		if i%3 == 0 && len(texts) > 0 {
			// An earlier file: recent ones (in the cache) more often.
			k := len(texts) - 1 - (i/3)%min(len(texts), 12)
			sc.GaiConf = texts[k]
			hits++
		}
		got := engine.AppendAnswer(nil, rn.Run(sc, engine.Models()))
		if want := answerAlone(sc); !bytes.Equal(got, want) {
			t.Fatalf("scenario %d, gai.conf %q:\nRunner: %s\nalone:  %s", i, sc.GaiConf, got, want)
		}
	}
	if len(texts) < 500 || hits < 500 {
		t.Fatalf("only %d files, %d brought back", len(texts), hits)
	}
}

// TestRFC6724SortIsInsertionSort replays the RFC model's answers with the
// stable insertion sort it used before, on the model's own Compare: the
// same order, on generated scenarios and on lists of up to 256 of their
// destinations.
func TestRFC6724SortIsInsertionSort(t *testing.T) {
	m := engine.RFC6724{}
	var rn engine.Runner
	g := scengen.New(6724)
	var pool []netip.Addr
	for i := range 4000 {
		sc := g.Next()
		pool = append(pool, sc.Destinations...)
		if i%10 == 9 {
			// A long list from the destinations seen so far.
			n := min(len(pool), 16+i%241)
			sc.Destinations = append([]netip.Addr(nil), pool[len(pool)-n:]...)
		}
		res := rn.Run(sc, []engine.Model{m})[0]
		if res.Err != "" {
			continue
		}
		// The list before the sort: Index is the position in it.
		list := make([]*engine.Dest, len(res.Dests))
		for k := range res.Dests {
			list[res.Dests[k].Index] = &res.Dests[k]
		}
		for a := 1; a < len(list); a++ {
			for b := a; b > 0; b-- {
				if c, _ := m.Compare(list[b], list[b-1]); c >= 0 {
					break
				}
				list[b], list[b-1] = list[b-1], list[b]
			}
		}
		for k := range list {
			if list[k] != &res.Dests[k] {
				t.Fatalf("scenario %d (%d destinations): position %d is %s, the insertion sort puts %s there", i, len(list), k, res.Dests[k].Addr, list[k].Addr)
			}
		}
	}
}
