package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

type answerJSON struct {
	Results []struct {
		Model string   `json:"model"`
		Order []string `json:"order"`
		Error string   `json:"error"`
	} `json:"results"`
}

func TestSortJSONContainer(t *testing.T) {
	code, out, errs := runCLI(t, demoScenario, "sort", "--json", "--model", "rfc6724")
	require.Equal(t, 0, code, errs)
	var a answerJSON
	require.NoError(t, json.Unmarshal([]byte(out), &a))
	require.Len(t, a.Results, 1)
	assert.Equal(t, "rfc6724", a.Results[0].Model)
	assert.Equal(t, []string{"142.250.74.206", "2a00:1450:4001:82b::200e"}, a.Results[0].Order)

	gua := strings.ReplaceAll(demoScenario, "fd00:dead:beef::", "2001:db8:1::")
	code, out, _ = runCLI(t, gua, "sort", "--model=rfc6724")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "rule 6: prefer higher precedence")
	assert.Regexp(t, `(?m)^ 1  2a00:1450:4001:82b::200e`, out)

	code, out, _ = runCLI(t, demoScenario, "sort", "-")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "rule 5: prefer matching label")
}

func TestSortBatch(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	const n = 10000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(demoScenario)
	}
	b.WriteString("]")
	code, out, errs := runCLI(t, b.String(), "sort", "--json")
	require.Equal(t, 0, code, errs)
	var as []answerJSON
	require.NoError(t, json.Unmarshal([]byte(out), &as))
	require.Len(t, as, n)
	assert.Equal(t, "142.250.74.206", as[n-1].Results[0].Order[0])
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown model", demoScenario, []string{"sort", "--model", "bionic"}, `unknown model "bionic" (known: rfc6724`},
		{"unknown command", "", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"no command", "", nil, "no command given"},
		{"unknown flag", "", []string{"sort", "--fast"}, `unknown flag "--fast"`},
		{"missing file", "", []string{"sort", "/nonexistent/x.json"}, "no such file"},
		{"not JSON", "hello", []string{"sort"}, "standard input: "},
		{"bad address", strings.Replace(demoScenario, "142.250.74.206", "142.250.74.300", 1), []string{"sort"},
			"destinations[1]"},
		{"unknown field", strings.Replace(demoScenario, `"version": 1,`, `"version": 1, "dns": [],`, 1), []string{"sort"},
			`dns`},
		// Issue 12: a NUL byte is an error naming its offset, after the
		// document or between tokens; issue 18: the byte after a
		// backslash is quoted.
		{"NUL after the document", "{\"destinations\":[\"192.0.2.1\"]}\x00garbage", []string{"sort"},
			"standard input: invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document"},
		{"NUL between tokens", "{\"destinations\":\x00[\"192.0.2.1\"]}", []string{"sort"},
			"standard input: destinations: invalid JSON at line 1, column 17 (byte 16): unexpected byte 0x0, expected an array of addresses"},
		{"unknown escape", "{\"\\\r0", []string{"sort"},
			`standard input: invalid JSON at line 1, column 3 (byte 2): unknown escape: '\' followed by byte 0xd`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, tt.want)
			assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
		})
	}
}

// endless is an endless input that counts what was read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.n += int64(len(p))
	return len(p), nil
}

// TestBoundedReads: every file a command reads is refused past the
// format's limit after reading at most limit+1 bytes of it, with a message
// naming the file and the limit (issue 12: lint read /dev/zero without
// bound).
func TestBoundedReads(t *testing.T) {
	dir := t.TempDir()
	bigConf := filepath.Join(dir, "gai.conf")
	require.NoError(t, os.WriteFile(bigConf, bytes.Repeat([]byte("#\n"), engine.MaxGaiConfBytes/2+1), 0o644))
	bigBatch := filepath.Join(dir, "batch.json")
	f, err := os.Create(bigBatch)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(engine.MaxBatchBytes+1)) // sparse: no 64 MiB written
	require.NoError(t, f.Close())
	lintMsg := "larger than the limit of 65536 bytes (MaxGaiConfBytes)"
	sortMsg := "larger than the limit of 67108864 bytes (MaxBatchBytes)"
	for _, tc := range []struct{ args []string }{
		{[]string{"lint", "/dev/zero"}},
		{[]string{"lint", bigConf}},
		{[]string{"sort", "/dev/zero"}},
		{[]string{"sort", bigBatch}},
	} {
		code, _, errs := runCLI(t, "", tc.args...)
		want := lintMsg
		if tc.args[0] == "sort" {
			want = sortMsg
		}
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Equal(t, "gaisort: "+tc.args[1]+": "+want+"\n", errs, "%v", tc.args)
	}
	for _, tc := range []struct {
		cmd   string
		limit int
	}{{"lint", engine.MaxGaiConfBytes}, {"sort", engine.MaxBatchBytes}} {
		in := &endless{}
		var out, errb bytes.Buffer
		code := run([]string{tc.cmd, "-"}, in, &out, &errb)
		assert.Equal(t, 2, code, tc.cmd)
		assert.Contains(t, errb.String(), "gaisort: standard input: larger than the limit of ")
		assert.LessOrEqual(t, in.n, int64(tc.limit)+1, "%s read %d bytes of an endless input", tc.cmd, in.n)
	}
}

func TestLint(t *testing.T) {
	code, out, _ := runCLI(t, "label fd00::/8 1\n", "lint", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "-:1: label lines replace glibc's whole built-in label table")
	assert.Contains(t, out, "rule 5 (matching label) never decides")

	code, out, _ = runCLI(t, "# all commented out\n#label fd00::/8 1\n", "lint", "-")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "no warnings")

	code, _, errs := runCLI(t, "", "lint", "/nonexistent/gai.conf")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no such file")
}

func TestContainerAllModels(t *testing.T) {
	code, out, errs := runCLI(t, demoScenario, "sort", "--json")
	require.Equal(t, 0, code, errs)
	var a answerJSON
	require.NoError(t, json.Unmarshal([]byte(out), &a))
	for _, r := range a.Results {
		assert.Equal(t, "142.250.74.206", r.Order[0], r.Model)
	}
}
