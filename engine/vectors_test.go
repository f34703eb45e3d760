package engine

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replayVectors checks model m against the answer the real library lib
// gave, as the oracle recorded it, for every curated and regress vector
// under testdata/vectors; there must be at least min of them.
func replayVectors(t *testing.T, lib string, m Model, min int) {
	var files []string
	for _, set := range []string{"curated", "regress"} {
		f, err := filepath.Glob(filepath.Join("..", "testdata", "vectors", set, "*.json"))
		require.NoError(t, err)
		files = append(files, f...)
	}
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var v struct {
			Scenario json.RawMessage `json:"scenario"`
			Recorded map[string]struct {
				Order []string `json:"order"`
				Error string   `json:"error"`
			} `json:"recorded"`
		}
		require.NoError(t, json.Unmarshal(raw, &v), f)
		want, ok := v.Recorded[lib]
		if !ok {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := ParseScenario(v.Scenario)
			require.NoError(t, err)
			r := sortWith(m, sc)
			assert.Equal(t, want.Error, r.Err.String())
			if want.Error != "" {
				return
			}
			var order []string
			for _, s := range want.Order {
				order = append(order, netip.MustParseAddr(s).String())
			}
			assert.Equal(t, order, orderStrings(r))
			assert.Len(t, r.Decided, len(r.Dests)-1)
		})
	}
	assert.GreaterOrEqual(t, n, min, "vectors with a recorded %s answer", lib)
}
