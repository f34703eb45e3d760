//go:build wasmtime

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary run as wasiexec itself (see below).
func TestMain(m *testing.M) {
	if os.Getenv("WASIEXEC_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// The probe (testdata/probe), built for wasip1 and run by wasiexec, sees
// its arguments, the host's environment and the host's files, and its exit
// code comes back.
func TestRunsACommandModule(t *testing.T) {
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe.wasm")
	build := exec.Command("go", "build", "-o", probe, "./testdata/probe")
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	file := filepath.Join(dir, "input.txt")
	require.NoError(t, os.WriteFile(file, []byte("hello"), 0o644))

	// wasmtime hands the module the process's own descriptors, so the
	// runner runs as a child process: this test binary, as main.
	cmd := exec.Command(os.Args[0], probe, file, "a b", "c")
	cmd.Env = append(os.Environ(), "WASIEXEC_AS_MAIN=1", "WASIEXEC_PROBE=from-the-host")
	stdout, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 3, exit.ExitCode())
	require.Equal(t, "args=[\"a b\" \"c\"] env=from-the-host file=hello\n", string(stdout))
}

func TestNoStartExport(t *testing.T) {
	// A module without _start (the empty module) is refused with a message.
	path := filepath.Join(t.TempDir(), "empty.wasm")
	require.NoError(t, os.WriteFile(path, []byte("\x00asm\x01\x00\x00\x00"), 0o644))
	require.Equal(t, 1, run(path, []string{path}))
}
