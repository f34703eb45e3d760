package engine

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// request8 is the container scenario (no gai.conf, no hints) with 8 destinations, the size the
// budgets are set for.
const request8 = `{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"fd00:dead:beef::7/64"}]}],` +
	`"routes":[{"to":"default","via":"172.19.0.1","dev":"eth0"},{"to":"::/0","via":"fd00:dead:beef::1","dev":"eth0"}],` +
	`"destinations":["2a00:1450:4001:82b::200e","142.250.74.206","2a00:1450:4001:82b::200f","142.250.74.207",` +
	`"2a00:1450:4001:82b::2010","142.250.74.208","2a00:1450:4001:82b::2011","142.250.74.209"]}`

func TestAppendAnswerIsJSON(t *testing.T) {
	sc, err := ParseScenario([]byte(request8))
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

// BenchmarkRequest is the whole of one request as the WebAssembly module
// serves it: parse, every model, encode.
func BenchmarkRequest(b *testing.B) {
	var rn Runner
	buf := make([]byte, 0, 64<<10)
	data := []byte(request8)
	b.ReportAllocs()
	for b.Loop() {
		sc, err := ParseScenario(data)
		if err != nil {
			b.Fatal(err)
		}
		buf = AppendAnswer(buf[:0], rn.Run(sc, Models()))
	}
	b.ReportMetric(float64(len(buf)), "answer-bytes")
}
