package engine

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The compact answer is the full one without dests, why sentences and
// notes: same models, orders, errors and rule IDs.
func TestCompactAnswerIsTheFullAnswerCut(t *testing.T) {
	for _, doc := range []string{
		string(benchScenario(t)),
		// A zone that needs escaping.
		`{"interfaces":[{"name":"e\"\\x","addresses":[{"cidr":"fe80::7/64"}]}],"destinations":["fe80::1%e\"\\x","fe80::2%e\"\\x"]}`,
		// getaddrinfo fails for every model (AI_ADDRCONFIG, nothing configured).
		`{"destinations":["2001:db8::1"],"hints":{"flags":["AI_ADDRCONFIG"]}}`,
	} {
		sc, err := ParseScenario([]byte(doc))
		require.NoError(t, err, doc)
		var rn Runner
		res := rn.Run(sc, Models())
		full := AppendAnswer(nil, res)
		compact := AppendCompactAnswer(nil, res)
		var f struct {
			Results []struct {
				Model   string
				Order   []string
				Error   string
				Decided []struct{ Rule string }
			}
		}
		require.NoError(t, json.Unmarshal(full, &f))
		var c struct {
			Results []map[string]json.RawMessage
		}
		require.NoError(t, json.Unmarshal(compact, &c), string(compact))
		require.Len(t, c.Results, len(f.Results))
		for i, fr := range f.Results {
			cr := c.Results[i]
			var model string
			require.NoError(t, json.Unmarshal(cr["model"], &model))
			assert.Equal(t, fr.Model, model)
			if fr.Error != "" {
				assert.Equal(t, `"`+fr.Error+`"`, string(cr["error"]))
				assert.Len(t, cr, 2, "model and error only: %s", compact)
				continue
			}
			assert.Len(t, cr, 3, "model, order and decided only: %s", compact)
			var order, decided []string
			require.NoError(t, json.Unmarshal(cr["order"], &order))
			require.NoError(t, json.Unmarshal(cr["decided"], &decided))
			assert.Equal(t, fr.Order, order)
			require.Len(t, decided, len(fr.Decided))
			for k := range decided {
				assert.Equal(t, fr.Decided[k].Rule, decided[k])
			}
		}
	}
}

func TestCompactAnswerError(t *testing.T) {
	res := []Result{{Model: "glibc-2.43", Err: EAINoName}}
	assert.Equal(t, `{"results":[{"model":"glibc-2.43","error":"EAI_NONAME"}]}`, string(AppendCompactAnswer(nil, res)))
	assert.Equal(t, `{"results":[]}`, string(AppendCompactAnswer(nil, nil)))
}

func BenchmarkAppendCompactAnswer(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	require.NoError(b, err)
	var rn Runner
	res := rn.Run(sc, DefaultModels())
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendCompactAnswer(buf[:0], res)
	}
}
