package vectors

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSharedVectors loads every set under testdata/vectors: each vector
// parses, has answers recorded from both libraries, and survives a write
// and read back unchanged.
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
			for _, lib := range []string{"glibc", "musl"} {
				a, ok := v.Recorded[lib]
				require.True(t, ok, "%s: nothing recorded for %s", v.File, lib)
				require.True(t, (a.Error == "") != (len(a.Order) == 0), "%s: %s needs exactly one of order and error", v.File, lib)
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
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		_, err := ReadFile(p)
		require.Error(t, err, name)
	}
}
