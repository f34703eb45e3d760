// Package vectors reads and writes the shared test vectors of
// testdata/vectors/<set>/<name>.json: one scenario each, with what every
// real library version answered (recorded by the oracle, internal/oracle),
// keyed by version ID ("glibc-2.41", "musl-1.2.5"). Engine tests, the host
// tests and the bindings' tests share it.
package vectors

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Answer is one library's recorded answer: the order, or the error name.
type Answer struct {
	Order []netip.Addr `json:"order,omitempty"`
	Error string       `json:"error,omitempty"`
}

// Equal reports whether a is the answer err/order.
func (a Answer) Equal(err string, order []netip.Addr) bool {
	if a.Error != err || len(a.Order) != len(order) {
		return false
	}
	for i := range order {
		if a.Order[i] != order[i] {
			return false
		}
	}
	return true
}

// String renders the answer for messages.
func (a Answer) String() string {
	if a.Error != "" {
		return a.Error
	}
	s := make([]string, len(a.Order))
	for i, x := range a.Order {
		s[i] = x.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Vector is one test vector.
type Vector struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Raw is the scenario exactly as the file has it; Scenario is it
	// parsed by engine.ParseScenario.
	Raw      json.RawMessage  `json:"scenario"`
	Scenario *engine.Scenario `json:"-"`
	// Recorded holds each real version's answer, by version ID: the
	// library's name, a hyphen and its upstream version ("glibc-2.41",
	// "musl-1.2.5"; see VersionKey). The keys "glibc" and "musl" of older
	// files meant the reference environment's glibc 2.36 and musl 1.2.3;
	// ReadFile reads them as such.
	Recorded map[string]Answer `json:"recorded,omitempty"`
	// Environment is where the answers were recorded (distribution,
	// kernel, the Debian package of each version).
	Environment string `json:"environment,omitempty"`
	// File is the path the vector was loaded from.
	File string `json:"-"`
}

// Load reads every *.json file of dir (not recursive), sorted by name. A
// file that is not a vector, or whose scenario does not parse, is an
// error naming the file.
func Load(dir string) ([]Vector, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Vector, 0, len(names))
	for _, n := range names {
		v, err := ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// ReadFile reads one vector.
func ReadFile(path string) (*Vector, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v Vector
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(v.Raw) == 0 {
		return nil, fmt.Errorf("%s: no scenario", path)
	}
	sc, err := engine.ParseScenario(v.Raw)
	if err != nil {
		return nil, fmt.Errorf("%s: scenario: %v", path, err)
	}
	if v.Recorded, err = normalize(v.Recorded); err != nil {
		return nil, fmt.Errorf("%s: recorded: %v", path, err)
	}
	v.Scenario = sc
	v.File = path
	return &v, nil
}

// Legacy keys of recorded: the reference environment's versions (Debian 12),
// as files written before the oracle ran every version named them.
var legacy = map[string]string{"glibc": "glibc-2.36", "musl": "musl-1.2.3"}

// VersionKey reports whether k is a version ID as recorded keys are
// written: "glibc-" or "musl-" and a dotted number ("2.41", "1.2.5").
func VersionKey(k string) bool {
	lib, num, ok := strings.Cut(k, "-")
	if !ok || (lib != "glibc" && lib != "musl") || num == "" {
		return false
	}
	parts := strings.Split(num, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// normalize renames legacy keys and refuses unknown ones, and an answer
// with both or neither of order and error.
func normalize(rec map[string]Answer) (map[string]Answer, error) {
	if rec == nil {
		return nil, nil
	}
	out := make(map[string]Answer, len(rec))
	for k, a := range rec {
		if id, ok := legacy[k]; ok {
			if _, dup := rec[id]; dup {
				return nil, fmt.Errorf("both %q and %q", k, id)
			}
			k = id
		}
		if !VersionKey(k) {
			return nil, fmt.Errorf("key %q is not a version ID (glibc-X.Y, musl-X.Y.Z)", k)
		}
		if (a.Error == "") == (len(a.Order) == 0) {
			return nil, fmt.Errorf("%s: needs exactly one of order and error", k)
		}
		out[k] = a
	}
	return out, nil
}

// Marshal renders v as its file holds it: indented JSON, the scenario in
// engine's canonical encoding when v.Scenario is set.
func Marshal(v *Vector) ([]byte, error) {
	w := *v
	if w.Scenario != nil {
		w.Raw = w.Scenario.AppendJSON(nil)
	}
	b, err := json.MarshalIndent(&w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteFile writes v to path.
func WriteFile(path string, v *Vector) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Hash names a scenario: the first 12 hex digits of the SHA-256 of its
// canonical encoding.
func Hash(sc *engine.Scenario) string {
	s := sha256.Sum256(sc.AppendJSON(nil))
	return hex.EncodeToString(s[:6])
}
