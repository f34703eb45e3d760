package oracle

import (
	"fmt"
	"strings"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
)

// ModelAnswer runs model m on sc the way the CLI would (a fresh host
// model), turning a panic into an error answer so one bad scenario does not
// stop a long run.
func ModelAnswer(m engine.Model, sc *engine.Scenario) (a Answer) {
	defer func() {
		if p := recover(); p != nil {
			a = Answer{Err: fmt.Sprintf("PANIC(%v)", p)}
		}
	}()
	h := engine.NewHost(sc)
	var res engine.Result
	res.Reset(m.Info().Name)
	m.Sort(sc, h, &res)
	if res.Err != "" {
		return Answer{Err: res.Err.String()}
	}
	return Answer{Order: res.Order()}
}

// ModelVersion is the real version model m is judged against: the
// version of its ID ("glibc-2.41"), from its library and version; "" for a
// model with no real counterpart (the RFC's).
func ModelVersion(m engine.Model) string {
	info := m.Info()
	if info.Library != engine.LibraryGlibc && info.Library != engine.LibraryMusl {
		return ""
	}
	v, ok := LookupVersion(info.Library.String() + "-" + info.Version)
	if !ok {
		return ""
	}
	return v.ID
}

// Minimize shrinks sc while the model m still disagrees with the real
// version id (re-running the oracle for every candidate), keeping it
// valid. It gives up after budget oracle runs. It returns the smallest
// disagreeing scenario found and the real answers of every version on it.
func (r *Runner) Minimize(sc *engine.Scenario, id string, m engine.Model, budget int) (min *engine.Scenario, real Answers, runs int) {
	cur := sc.Clone()
	real, err := r.Run(cur)
	runs++
	if err != nil || ModelAnswer(m, cur).Equal(real[id]) {
		return cur, real, runs // not reproducible: leave as is
	}
	panicked, modelRuns := isPanic(ModelAnswer(m, cur)), 0
	finish := func() (*engine.Scenario, Answers, int) {
		if panicked {
			if a, err := r.Run(cur); err == nil {
				real = a
			}
			runs++
		}
		return cur, real, runs
	}
	for {
		progressed := false
		for _, c := range scengen.Simplifications(cur) {
			if runs >= budget {
				return finish()
			}
			if c.Validate() != nil {
				continue
			}
			if panicked {
				// A panic disagrees with any real answer: shrink while the
				// model still panics, asking the oracle only at the end.
				if modelRuns++; modelRuns > 20*budget {
					return finish()
				}
				if isPanic(ModelAnswer(m, c)) {
					cur, progressed = c, true
					break
				}
				continue
			}
			a, err := r.Run(c)
			runs++
			if err != nil {
				continue
			}
			if !ModelAnswer(m, c).Equal(a[id]) {
				cur, real = c, a
				progressed = true
				break
			}
		}
		if !progressed {
			return finish()
		}
	}
}

func isPanic(a Answer) bool { return strings.HasPrefix(a.Err, "PANIC(") }
