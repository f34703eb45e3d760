package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendAnswerIsJSON(t *testing.T) {
	sc, err := ParseScenario(benchScenario(t))
	require.NoError(t, err)
	var rn Runner
	out := AppendAnswer(nil, rn.Run(sc, Models()))
	var v struct {
		Results []struct {
			Model   string
			Order   []string
			Decided []struct{ Rule, Why string }
		}
	}
	require.NoError(t, json.Unmarshal(out, &v), string(out))
	require.Len(t, v.Results, len(Models()))
	for _, r := range v.Results {
		assert.Len(t, r.Order, 8, r.Model)
		require.Len(t, r.Decided, 7, r.Model)
		assert.Equal(t, Why(&rn.results[0], 0), v.Results[0].Decided[0].Why)
	}
}

func TestAppendAnswerEscapesZones(t *testing.T) {
	sc, err := ParseScenario([]byte(`{"interfaces":[{"name":"e\"\\x","addresses":[{"cidr":"fe80::7/64"}]}],"destinations":["fe80::1%e\"\\x","fe80::2%e\"\\x"]}`))
	require.NoError(t, err)
	var rn Runner
	out := AppendAnswer(nil, rn.Run(sc, []Model{RFC6724{}}))
	var v map[string]any
	require.NoError(t, json.Unmarshal(out, &v), string(out))
	assert.Contains(t, string(out), `fe80::1%e\"\\x`)
}

// benchScenario is testdata/bench/container8.json, the scenario every
// budget figure is measured on (the module's and the bindings' too).
func benchScenario(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "bench", "container8.json"))
	require.NoError(t, err)
	return data
}

// BenchmarkRequest is the whole of one request as the WebAssembly module
// serves it: parse, the default models (what gaisort_sort answers with no
// models named: the RFC and the newest glibc and musl), encode. `make
// wasm-ratio` runs it under each runtime and sets the module's round trip
// beside it.
func BenchmarkRequest(b *testing.B) {
	var rn Runner
	buf := make([]byte, 0, 64<<10)
	data := benchScenario(b)
	b.ReportAllocs()
	for b.Loop() {
		sc, err := ParseScenario(data)
		if err != nil {
			b.Fatal(err)
		}
		buf = AppendAnswer(buf[:0], rn.Run(sc, DefaultModels()))
	}
	b.ReportMetric(float64(len(buf)), "answer-bytes")
}

// BenchmarkAppendAnswer is the encoding part of BenchmarkRequest alone:
// the answer of the default models to the benchmark scenario.
func BenchmarkAppendAnswer(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	require.NoError(b, err)
	var rn Runner
	res := rn.Run(sc, DefaultModels())
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendAnswer(buf[:0], res)
	}
	b.SetBytes(int64(len(buf)))
}
