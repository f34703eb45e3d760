package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gaisort/gaisort/engine"
)

// The catalog is deterministic, sorted by id, and each entry's fragment
// opens exactly its scenario, on which the pair still diverges.
func TestCatalogDeterministic(t *testing.T) {
	a := build(1, 1500, 300, nil, "not asked", io.Discard)
	b := build(1, 1500, 300, nil, "not asked", io.Discard)
	ma, mb := markdown(a), markdown(b)
	require.True(t, bytes.Equal(ma, mb), "two runs with the same seed differ")
	ja, err := json.Marshal(a)
	require.NoError(t, err)
	jb, _ := json.Marshal(b)
	require.True(t, bytes.Equal(ja, jb))

	require.NotEmpty(t, a.Entries)
	ids := make([]string, len(a.Entries))
	for i, e := range a.Entries {
		ids[i] = e.Pair[0] + "/" + e.Pair[1] + " " + e.CauseID
		assert.NotContains(t, e.CauseID, "unclassified")
		assert.NotEmpty(t, e.Cause, e.ID)
		assert.True(t, strings.HasPrefix(e.Verdict, "not confirmed: oracle"), e.Verdict)

		frag, ok := strings.CutPrefix(e.Fragment, "scenario=")
		require.True(t, ok, e.Fragment)
		frag, models, _ := strings.Cut(frag, "&models=")
		for _, m := range e.Pair {
			// A pair outside the default models is named in the link.
			if dm, _ := engine.LookupModel(m); !engine.IsDefault(dm) {
				assert.Contains(t, strings.Split(models, ","), m, "the link of %s names %s", e.ID, m)
			}
		}
		doc, err := base64.RawURLEncoding.DecodeString(frag)
		require.NoError(t, err)
		assert.Equal(t, string(e.Scenario), string(doc), "fragment of %s", e.ID)
		sc, err := engine.ParseScenario(doc)
		require.NoError(t, err, e.ID)
		assert.Equal(t, string(doc), string(sc.AppendJSON(nil)), "not canonical: %s", e.ID)

		got := map[string]bool{}
		for _, m := range e.Pair {
			got[m] = true
		}
		assert.Len(t, e.Orders, len(engine.Models()))
		assert.NotEqual(t, e.Orders[e.Pair[0]].String(), e.Orders[e.Pair[1]].String(), "%s: the pair agrees on its minimal scenario", e.ID)
	}
	assert.True(t, sort.StringsAreSorted(ids), "entries not sorted by class")

	var back struct {
		Entries []struct {
			ID       string                     `json:"id"`
			Scenario map[string]any             `json:"scenario"`
			Fragment string                     `json:"fragment"`
			Orders   map[string]json.RawMessage `json:"orders"`
		} `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(ja, &back))
	for _, e := range back.Entries {
		for m, o := range e.Orders {
			s := string(o)
			assert.True(t, strings.HasPrefix(s, "[") || strings.HasPrefix(s, `{"error":`), "%s %s: %s", e.ID, m, s)
		}
	}
}
