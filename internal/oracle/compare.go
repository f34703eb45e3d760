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

// Pick returns the answer of the library named lib ("glibc", "musl").
func Pick(lib string, glibc, musl Answer) Answer {
	if lib == "musl" {
		return musl
	}
	return glibc
}

// Minimize shrinks sc while the model m still disagrees with the real
// library lib (re-running the oracle for every candidate), keeping it
// valid. It gives up after budget oracle runs. It returns the smallest
// disagreeing scenario found and the final answers.
func (r *Runner) Minimize(sc *engine.Scenario, lib string, m engine.Model, budget int) (min *engine.Scenario, glibc, musl Answer, runs int) {
	cur := sc.Clone()
	glibc, musl, err := r.Run(cur)
	runs++
	if err != nil || ModelAnswer(m, cur).Equal(Pick(lib, glibc, musl)) {
		return cur, glibc, musl, runs // not reproducible: leave as is
	}
	panicked, modelRuns := isPanic(ModelAnswer(m, cur)), 0
	finish := func() (*engine.Scenario, Answer, Answer, int) {
		if panicked {
			if g, mu, err := r.Run(cur); err == nil {
				glibc, musl = g, mu
			}
			runs++
		}
		return cur, glibc, musl, runs
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
			g, mu, err := r.Run(c)
			runs++
			if err != nil {
				continue
			}
			if !ModelAnswer(m, c).Equal(Pick(lib, g, mu)) {
				cur, glibc, musl = c, g, mu
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
