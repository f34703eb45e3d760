package wasmbuild

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReadVersionFromTheTree(t *testing.T) {
	v, abi, err := ReadVersion("../..")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`).MatchString(v) {
		t.Errorf("Version %q is not MAJOR.MINOR.PATCH", v)
	}
	if abi != 1 {
		t.Errorf("ABIVersion %d; ABI.md describes version 1", abi)
	}
}

func writeMain(t *testing.T, src string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "wasm"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, MainFile), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestReadVersion(t *testing.T) {
	root := writeMain(t, "package main\n\nconst (\n\tVersion    = \"1.2.3\"\n\tABIVersion = 2\n)\n")
	v, abi, err := ReadVersion(root)
	if err != nil || v != "1.2.3" || abi != 2 {
		t.Errorf("grouped consts: %q %d %v", v, abi, err)
	}
	for _, tt := range []struct{ src, want string }{
		{"package main\nconst ABIVersion = 1\n", "no string literal const Version"},
		{"package main\nconst Version = 7\nconst ABIVersion = 1\n", "no string literal const Version"},
		{"package main\nconst Version = \"\"\nconst ABIVersion = 1\n", "const Version is empty"},
		{"package main\nconst Version = \"1.0.0\"\n", "no integer literal const ABIVersion"},
		{"package main\nconst Version = \"1.0.0\"\nconst ABIVersion = 0\n", "const ABIVersion = 0 is out of range"},
		{"package main\nconst Version = \"1.0.0\"\nconst ABIVersion = \n", "expected operand"},
	} {
		_, _, err := ReadVersion(writeMain(t, tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "main.go") {
			t.Errorf("%q: got %v, want an error naming main.go and %q", tt.src, err, tt.want)
		}
	}
}

func TestCommand(t *testing.T) {
	got := Command("go", "build/gaisort.wasm", Package)
	want := "GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOFLAGS= go build -trimpath -buildvcs=false -buildmode=c-shared '-ldflags=-s -w -buildid=' -o build/gaisort.wasm ./wasm"
	if got != want {
		t.Errorf("Command:\n got %s\nwant %s", got, want)
	}
	if q := shellQuote("it's"); q != `'it'\''s'` {
		t.Errorf("shellQuote(it's) = %s", q)
	}
}

func TestEnvOverridesTheCaller(t *testing.T) {
	t.Setenv("GOFLAGS", "-race")
	t.Setenv("GOOS", "windows")
	env := Env()
	last := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		last[k] = v // exec uses the last value of a duplicated name
	}
	if last["GOFLAGS"] != "" || last["GOOS"] != "wasip1" || last["GOARCH"] != "wasm" || last["CGO_ENABLED"] != "0" {
		t.Errorf("Env does not fix the build: %v", last)
	}
}

func TestSidecar(t *testing.T) {
	s := Sidecar("0.1.0", 1, "ab12", 42)
	var v struct {
		Gaisort string `json:"gaisort"`
		ABI     int    `json:"abi"`
		SHA256  string `json:"sha256"`
		Size    int    `json:"size"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	if v.Gaisort != "0.1.0" || v.ABI != 1 || v.SHA256 != "ab12" || v.Size != 42 || !strings.HasSuffix(s, "}\n") {
		t.Errorf("Sidecar: %q", s)
	}
}
