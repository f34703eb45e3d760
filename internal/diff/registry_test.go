package diff

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
	"github.com/gaisort/gaisort/internal/vectors"
)

// classifierScenarios are every shared vector's scenario and n generated
// ones.
func classifierScenarios(t *testing.T, n int) []*engine.Scenario {
	var out []*engine.Scenario
	for _, set := range []string{"curated", "regress"} {
		vs, err := vectors.Load(filepath.Join("..", "..", "testdata", "vectors", set))
		require.NoError(t, err)
		for i := range vs {
			out = append(out, vs[i].Scenario)
		}
	}
	require.Greater(t, len(out), 50, "the shared vectors")
	g := scengen.New(11)
	for range n {
		out = append(out, g.Next())
	}
	return out
}

// The classifier replays each model's own comparator (verdict, over
// Model.Compare) on the values the model reported. Its view must be the
// model's: for every adjacent pair of every answer, the rule the classifier
// finds is the rule the model's Sort recorded (Result.Decided), in the
// answer's direction; where the model says its sort algorithm decided, the
// comparator says the opposite. Also: a comparator uses only the rules its
// Info lists, is antisymmetric, and the built-in policy lookup gives the
// precedences and labels the model reported when no gai.conf replaced them.
func TestClassifierViewIsTheModels(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	var rn engine.Runner
	models := engine.Models()
	checked := map[string]int{}
	for _, sc := range classifierScenarios(t, n) {
		res := rn.Run(sc, models)
		for k := range res {
			m, r := models[k], &res[k]
			info := m.Info()
			for i := 0; i+1 < len(r.Dests); i++ {
				a, b := &r.Dests[i], &r.Dests[i+1]
				c, rule := verdict(m, a, b)
				c2, rule2 := verdict(m, b, a)
				if c != -c2 || rule != rule2 {
					t.Fatalf("%s: Compare is not antisymmetric on %s, %s: %d %s / %d %s\n%s", info.Name, a.Addr, b.Addr, c, rule.ID(), c2, rule2.ID(), sc.AppendJSON(nil))
				}
				if c0, r0 := m.Compare(a, b); c0 != 0 && !info.Rules.Has(r0) {
					t.Fatalf("%s: Compare decided by %s, not one of its rules", info.Name, r0.ID())
				}
				switch want := r.Decided[i]; want {
				case engine.RuleUnsorted:
					continue
				case engine.RuleAlgorithm:
					if c <= 0 {
						t.Fatalf("%s: the answer says the sort algorithm put %s before %s, yet Compare agrees (%s)\n%s", info.Name, a.Addr, b.Addr, rule.ID(), sc.AppendJSON(nil))
					}
				default:
					if c > 0 || rule != want {
						t.Fatalf("%s: %s before %s by %s, but the classifier's replay gives %d by %s\n%s", info.Name, a.Addr, b.Addr, want.ID(), c, rule.ID(), sc.AppendJSON(nil))
					}
				}
				checked[info.Name]++
			}
			if _, reads := m.(engine.GaiConfReader); reads && sc.GaiConf != "" {
				continue
			}
			for i := range r.Dests {
				d := &r.Dests[i]
				if d.Precedence < 0 {
					continue // not looked up (a list of one, say)
				}
				prec, label := m.Policy(d.Addr)
				if prec != d.Precedence || label != d.DestLabel {
					t.Fatalf("%s: Policy(%s) = %d, %d; the answer has precedence %d, label %d", info.Name, d.Addr, prec, label, d.Precedence, d.DestLabel)
				}
			}
		}
	}
	for _, m := range models {
		require.Greater(t, checked[m.Info().Name], n/2, "pairs checked for %s", m.Info().Name)
	}
	t.Logf("adjacent pairs checked: %v", checked)
}
