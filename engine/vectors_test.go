package engine

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedAnswer is one version's answer as a vector records it.
type recordedAnswer struct {
	Order []string `json:"order"`
	Error string   `json:"error"`
}

// vectorFile is a test vector: the scenario and each real version's answer,
// keyed by version ID ("glibc-2.41"; testdata/vectors/README.md).
type vectorFile struct {
	file     string
	Scenario json.RawMessage           `json:"scenario"`
	Recorded map[string]recordedAnswer `json:"recorded"`
}

// loadVectors reads every curated and regress vector under
// testdata/vectors.
func loadVectors(t *testing.T) []vectorFile {
	var files []string
	for _, set := range []string{"curated", "regress"} {
		f, err := filepath.Glob(filepath.Join("..", "testdata", "vectors", set, "*.json"))
		require.NoError(t, err)
		files = append(files, f...)
	}
	out := make([]vectorFile, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		v := vectorFile{file: f}
		require.NoError(t, json.Unmarshal(raw, &v), f)
		out = append(out, v)
	}
	return out
}

// modelVersion is the ID of the real version model m reproduces
// ("glibc-2.36"), the key of its answers in the vectors.
func modelVersion(m Model) string {
	info := m.Info()
	return info.Library.String() + "-" + info.Version
}

// checkRecorded runs m on the vector's scenario and compares its answer
// with want.
func checkRecorded(t *testing.T, m Model, v vectorFile, want recordedAnswer) {
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
}

// replayVectors checks model m of library lib against the answer its own
// real version (modelVersion: the library and the model's version) gave,
// as the oracle recorded it, for every curated and regress vector under
// testdata/vectors; there must be at least min of them.
func replayVectors(t *testing.T, lib string, m Model, min int) {
	require.Equal(t, lib, m.Info().Library.String(), "model %s", m.Info().Name)
	key := modelVersion(m)
	n := 0
	for _, v := range loadVectors(t) {
		want, ok := v.Recorded[key]
		if !ok {
			continue
		}
		n++
		t.Run(filepath.Base(v.file), func(t *testing.T) { checkRecorded(t, m, v, want) })
	}
	assert.GreaterOrEqual(t, n, min, "vectors with a recorded %s answer", key)
}

// TestVectorsEveryVersion checks, for every vector and every version it
// recorded, the model of that version's ID (LookupModel("glibc-2.41"))
// against that version's real answer. A recorded version with no model of
// its ID is counted and reported, not failed, only while the registry
// models one version per library (glibc 2.36 and musl 1.2.3, before the
// versioned models); once it models several versions of a library, every
// recorded version must have its model.
func TestVectorsEveryVersion(t *testing.T) {
	vs := loadVectors(t)
	require.NotEmpty(t, vs)
	missing := map[string]int{}
	checked := map[string]int{}
	for _, v := range vs {
		keys := make([]string, 0, len(v.Recorded))
		for k := range v.Recorded {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			m, ok := LookupModel(k)
			if !ok {
				missing[k]++
				continue
			}
			checked[k]++
			t.Run(filepath.Base(v.file)+"/"+k, func(t *testing.T) { checkRecorded(t, m, v, v.Recorded[k]) })
		}
	}
	t.Logf("answers checked per version: %v", checked)
	if len(missing) == 0 {
		return
	}
	versions := map[Library]map[string]bool{}
	versioned := false
	for _, m := range Models() {
		info := m.Info()
		if versions[info.Library] == nil {
			versions[info.Library] = map[string]bool{}
		}
		versions[info.Library][info.Version] = true
		versioned = versioned || (info.Library != LibraryRFC && len(versions[info.Library]) > 1)
	}
	if versioned {
		t.Errorf("recorded versions with no model of their ID: %v (vectors per version)", missing)
	} else {
		t.Logf("recorded versions with no model of their ID yet, not judged: %v (vectors per version)", missing)
	}
}
