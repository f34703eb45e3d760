package vectors

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gaisort/gaisort/internal/oracle"
)

// TestSharedVectors loads every set under testdata/vectors: each vector
// parses, has an answer recorded from every version the oracle runs
// (oracle.Versions, by ID; no legacy key left), and survives a write and
// read back unchanged.
func TestSharedVectors(t *testing.T) {
	sets, err := filepath.Glob("../../testdata/vectors/*")
	require.NoError(t, err)
	require.NotEmpty(t, sets, "no vector sets found")
	tmp := t.TempDir()
	total := 0
	for _, set := range sets {
		vs, err := Load(set)
		require.NoError(t, err)
		for _, v := range vs {
			total++
			require.NotEmpty(t, v.Name, v.File)
			require.NoError(t, v.Scenario.Validate(), v.File)
			raw, err := os.ReadFile(v.File)
			require.NoError(t, err)
			for old := range legacy {
				require.NotContains(t, string(raw), `"`+old+`": {`, "%s: legacy key %q (go run ./cmd/oracle -record %s)", v.File, old, set)
			}
			for _, ver := range oracle.Versions {
				a, ok := v.Recorded[ver.ID]
				require.True(t, ok, "%s: nothing recorded for %s (go run ./cmd/oracle -record %s)", v.File, ver.ID, set)
				require.True(t, (a.Error == "") != (len(a.Order) == 0), "%s: %s needs exactly one of order and error", v.File, ver.ID)
			}
			require.NotEmpty(t, v.Environment, v.File)
			path := filepath.Join(tmp, filepath.Base(v.File))
			require.NoError(t, WriteFile(path, &v))
			back, err := ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, v.Scenario.AppendJSON(nil), back.Scenario.AppendJSON(nil), v.File)
			require.Equal(t, v.Recorded, back.Recorded, v.File)
		}
	}
	t.Logf("%d vectors in %d sets", total, len(sets))
}

func TestReadFileRejects(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"unknown-field.json": `{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"extra":1}`,
		"no-scenario.json":   `{"name":"x"}`,
		"bad-scenario.json":  `{"name":"x","scenario":{"version":1,"destinations":[]}}`,
		"bad-key.json":       `{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"glibc2.41":{"error":"EAI_NONAME"}}}`,
		"both-keys.json":     `{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"glibc":{"error":"EAI_NONAME"},"glibc-2.36":{"error":"EAI_NONAME"}}}`,
		"empty-answer.json":  `{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"musl-1.2.5":{}}}`,
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		_, err := ReadFile(p)
		require.Error(t, err, name)
	}
}

// The old keys "glibc" and "musl" read as the reference environment's
// versions.
func TestReadFileLegacyKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"glibc":{"error":"SIGSEGV"},"musl":{"order":["1.2.3.4"]},"glibc-2.41":{"error":"EAI_NONAME"}}}`), 0o644))
	v, err := ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, []string{"glibc-2.36", "glibc-2.41", "musl-1.2.3"}, keys(v.Recorded))
	require.Equal(t, "SIGSEGV", v.Recorded["glibc-2.36"].Error)
	for k, want := range map[string]bool{"glibc-2.41": true, "musl-1.2.5": true, "glibc-2": false, "glibc-2.41.1.1": false, "glibc": false, "uclibc-1.0": false, "musl-1.x.5": false, "musl-1..5": false} {
		require.Equal(t, want, VersionKey(k), k)
	}
}

func keys(m map[string]Answer) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
