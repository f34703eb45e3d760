package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type compactJSON struct {
	Results []struct {
		Model   string   `json:"model"`
		Order   []string `json:"order"`
		Error   string   `json:"error"`
		Decided []string `json:"decided"`
	} `json:"results"`
}

func TestSortCompact(t *testing.T) {
	code, out, errs := runCLI(t, demoScenario, "sort", "--compact")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, `{"results":[`+
		`{"model":"rfc6724","order":["142.250.74.206","2a00:1450:4001:82b::200e"],"decided":["rule5"]},`+
		`{"model":"glibc-2.43","order":["142.250.74.206","2a00:1450:4001:82b::200e"],"decided":["rule5"]},`+
		`{"model":"musl-1.2.6","order":["142.250.74.206","2a00:1450:4001:82b::200e"],"decided":["rule5"]}]}`+"\n", out)

	// A batch: an array of compact answers, as many as scenarios.
	batch := "[" + demoScenario + "," + strings.ReplaceAll(demoScenario, "fd00:dead:beef::", "2001:db8:1::") + "]"
	code, out, errs = runCLI(t, batch, "sort", "--compact", "--model", "musl")
	require.Equal(t, 0, code, errs)
	var as []compactJSON
	require.NoError(t, json.Unmarshal([]byte(out), &as))
	require.Len(t, as, 2)
	assert.Equal(t, []string{"rule5"}, as[0].Results[0].Decided)
	assert.Equal(t, "2a00:1450:4001:82b::200e", as[1].Results[0].Order[0])
	assert.Equal(t, []string{"rule6"}, as[1].Results[0].Decided)
}

// The compact answer is the full one cut down, on every vector and on
// generated scenarios: the same models, orders, errors and rule IDs.
func TestCompactMatchesFull(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i, sc := range generated(t, 300) {
		if i > 0 {
			b.WriteString(",")
		}
		b.Write(sc.AppendJSON(nil))
	}
	b.WriteString("]")
	code, full, errs := runCLI(t, b.String(), "sort", "--json", "--model", "rfc6724,glibc-2.31,glibc-2.43,musl-1.2.2,musl")
	require.Equal(t, 0, code, errs)
	code, compact, errs := runCLI(t, b.String(), "sort", "--compact", "--model", "rfc6724,glibc-2.31,glibc-2.43,musl-1.2.2,musl")
	require.Equal(t, 0, code, errs)
	var fs []struct {
		Results []struct {
			Model   string
			Order   []string
			Error   string
			Decided []struct{ Rule string }
		}
	}
	var cs []compactJSON
	require.NoError(t, json.Unmarshal([]byte(full), &fs))
	require.NoError(t, json.Unmarshal([]byte(compact), &cs))
	require.Len(t, cs, len(fs))
	errors := 0
	for i := range fs {
		require.Len(t, cs[i].Results, 5)
		for k, fr := range fs[i].Results {
			cr := cs[i].Results[k]
			assert.Equal(t, fr.Model, cr.Model)
			assert.Equal(t, fr.Order, cr.Order)
			assert.Equal(t, fr.Error, cr.Error)
			if fr.Error != "" {
				errors++
			}
			rules := []string{}
			if fr.Error != "" {
				rules = nil // no "decided" beside an error
			}
			for _, d := range fr.Decided {
				rules = append(rules, d.Rule)
			}
			assert.Equal(t, rules, cr.Decided)
		}
	}
	t.Logf("%d scenarios, %d errors among their answers", len(fs), errors)
}

// BenchmarkCommandCompact is `gaisort sort --compact` on a batch of the
// container scenario (testdata/bench/container8.json), the default
// models, one core: the budget is 60,000 scenarios/s (issue 17). It runs
// the command's whole path but the process start: read, parse, three
// models, the compact answers, written to a discarding writer.
// `make cmd-bench` runs it with -cpu 1.
func BenchmarkCommandCompact(b *testing.B) {
	doc, err := os.ReadFile("../../testdata/bench/container8.json")
	require.NoError(b, err)
	const n = 1000
	var in bytes.Buffer
	in.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			in.WriteString(",")
		}
		in.Write(doc)
	}
	in.WriteString("]")
	batch := in.Bytes()
	b.SetBytes(int64(len(batch)))
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"sort", "--compact"}, bytes.NewReader(batch), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	perSec := float64(n*b.N) / b.Elapsed().Seconds()
	b.ReportMetric(perSec, "scenarios/s")
	b.ReportMetric(60000, "budget-scenarios/s")
	b.ReportMetric(perSec/60000, "x-budget")
}
