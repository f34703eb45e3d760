package wasmhost_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/wasmhost"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gaisort_sort_opts: the compact answer, the text and batches, byte for
// byte as the engine gives them natively, on every vector.
func checkSortOpts(t *testing.T, in *wasmhost.Instance) {
	vs := loadVectors(t)
	var rn engine.Runner
	var batch, wantCompact []byte
	batch = append(batch, '[')
	wantCompact = append(wantCompact, '[')
	n := 0
	for _, v := range vs {
		sc, err := engine.ParseScenario(v.Scenario)
		if err != nil {
			continue
		}
		for _, list := range []string{"", "rfc6724,glibc-2.31,musl-1.2.2"} {
			res := rn.Run(sc, modelsOf(t, list))
			want := engine.AppendCompactAnswer(nil, res)
			got, err := in.SortOptsAppend(nil, v.Scenario, list, wasmhost.FlagCompact)
			require.NoError(t, err, v.Name)
			assert.Equal(t, string(want), string(got), "%s (models %q): compact", v.Name, list)
			want = engine.AppendText(nil, res)
			got, err = in.SortOptsAppend(nil, v.Scenario, list, wasmhost.FlagText)
			require.NoError(t, err, v.Name)
			assert.Equal(t, string(want), string(got), "%s (models %q): text", v.Name, list)
		}
		if n > 0 {
			batch = append(batch, ',')
			wantCompact = append(wantCompact, ',')
		}
		res := rn.Run(sc, engine.DefaultModels())
		batch = append(batch, v.Scenario...)
		wantCompact = engine.AppendCompactAnswer(wantCompact, res)
		n++
	}
	batch = append(batch, ']')
	wantCompact = append(wantCompact, ']')
	require.Greater(t, n, 10)

	// One crossing for the whole batch: compact, full and text.
	got, err := in.SortOptsAppend(nil, batch, "", wasmhost.FlagBatch|wasmhost.FlagCompact)
	require.NoError(t, err)
	assert.Equal(t, string(wantCompact), string(got))
	got, err = in.SortOptsAppend(nil, batch, "", wasmhost.FlagBatch)
	require.NoError(t, err)
	var full []json.RawMessage
	require.NoError(t, json.Unmarshal(got, &full))
	require.Len(t, full, n)
	got, err = in.SortOptsAppend(nil, batch, "", wasmhost.FlagBatch|wasmhost.FlagText)
	require.NoError(t, err)
	assert.Equal(t, n, bytes.Count(got, []byte("\n=== scenario "))+1)
	assert.True(t, bytes.HasPrefix(got, []byte("=== scenario 1 of ")), "%.40s", got)
	t.Logf("%d scenarios compared as compact answers and text, and in one batch", n)

	// Without flags, the same bytes as gaisort_sort.
	got, err = in.SortOptsAppend(nil, []byte(wasmhost.Container8), "", 0)
	require.NoError(t, err)
	want, err := in.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestSortOptsWazero(t *testing.T) { checkSortOpts(t, newWazero(t)) }

func TestSortOptsErrors(t *testing.T) {
	in := newWazero(t)
	c8 := []byte(wasmhost.Container8)
	tests := []struct {
		name       string
		req        string
		flags      int
		code, path string
		msg        string
	}{
		{"unknown flag", wasmhost.Container8, 8, "bad_options", "", "the flags are 1 (compact), 2 (batch) and 4 (text)"},
		{"compact and text", wasmhost.Container8, wasmhost.FlagCompact | wasmhost.FlagText, "bad_options", "", "exclude each other"},
		{"batch of an object", wasmhost.Container8, wasmhost.FlagBatch, "bad_scenario", "", "a JSON array of scenarios"},
		{"array without batch", "[" + wasmhost.Container8 + "]", wasmhost.FlagCompact, "bad_scenario", "", "array"},
		{"bad scenario in a batch", "[" + wasmhost.Container8 + `,{"destinations":["1.2.3.400"]}]`, wasmhost.FlagBatch | wasmhost.FlagCompact,
			"bad_scenario", "[1].destinations[0]", "1.2.3.400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := in.SortOptsAppend(nil, []byte(tt.req), "", tt.flags)
			var e *wasmhost.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.path, e.Path)
			assert.Contains(t, e.Message, tt.msg)
		})
	}
	// The instance is still usable, and an empty batch is an empty answer.
	got, err := in.SortOptsAppend(nil, []byte(" [ ] "), "", wasmhost.FlagBatch|wasmhost.FlagCompact)
	require.NoError(t, err)
	assert.Equal(t, "[]", string(got))
	_, err = in.Sort(c8, "")
	require.NoError(t, err)
}

func TestLint(t *testing.T) {
	in := newWazero(t)
	for _, conf := range []string{"", "label fd00::/8 1\n", "precedence ::ffff:0:0/96 100\nbogus\n"} {
		for _, name := range []string{"", "/etc/gai.conf"} {
			got, err := in.Lint([]byte(conf), name)
			require.NoError(t, err)
			var v struct {
				Warnings int
				Text     string
			}
			require.NoError(t, json.Unmarshal(got, &v), string(got))
			notes := engine.LintGaiConf(conf)
			shown := name
			if shown == "" {
				shown = "gai.conf"
			}
			assert.Equal(t, len(notes), v.Warnings, conf)
			assert.Equal(t, string(engine.AppendLintText(nil, shown, notes)), v.Text)
		}
	}
	_, err := in.Lint(make([]byte, engine.MaxGaiConfBytes+1), "x")
	var e *wasmhost.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "too_large", e.Code)
}
