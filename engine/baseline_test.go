package engine

import (
	"encoding/json"
	"net/netip"
	"testing"
)

// BenchmarkEncodingJSONBaseline decodes the same document with
// encoding/json into plain strings, without any checking: the yardstick
// ParseScenario (which also validates) is compared against.
func BenchmarkEncodingJSONBaseline(b *testing.B) {
	data := benchScenario(b)
	type addr struct {
		Cidr       string `json:"cidr"`
		Deprecated bool   `json:"deprecated"`
		Home       bool   `json:"home"`
	}
	type S struct {
		Version    int `json:"version"`
		Interfaces []struct {
			Name      string `json:"name"`
			Addresses []addr `json:"addresses"`
		} `json:"interfaces"`
		Routes []struct {
			To, Via, Dev, Src string
			Metric            *uint32
		} `json:"routes"`
		Destinations []netip.Addr `json:"destinations"`
		GaiConf      string       `json:"gai_conf"`
		Hints        struct {
			Family string   `json:"family"`
			Flags  []string `json:"flags"`
		} `json:"hints"`
	}
	b.ReportAllocs()
	for b.Loop() {
		var s S
		if err := json.Unmarshal(data, &s); err != nil {
			b.Fatal(err)
		}
	}
}
