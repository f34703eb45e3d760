package engine

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

type muslFakeK map[string]struct {
	Src string `json:"src"`
	Err string `json:"err"`
}

func (f muslFakeK) Connect(d netip.Addr) Conn {
	p, ok := f[d.String()]
	if !ok {
		panic("no probe for " + d.String())
	}
	if p.Err != "" {
		return Conn{Err: p.Err, SourceAddr: -1, Iface: -1}
	}
	return Conn{Source: netip.MustParseAddr(p.Src), SourceAddr: -1, Iface: 0}
}

func TestMuslDiffLocal(t *testing.T) {
	files, _ := filepath.Glob("/tmp/mtest/rand/*.json")
	if len(files) == 0 {
		t.Skip()
	}
	n, bad, hostBad, hostSortBad, invalid := 0, 0, 0, 0, 0
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		var v muslVector
		json.Unmarshal(raw, &v)
		sc, perr := ParseScenario(v.Scenario)
		if perr != nil {
			invalid++
			continue
		}
		araw, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".ans")
		if err != nil {
			continue
		}
		n++
		var ans struct {
			Musl struct {
				Order []string `json:"order"`
				Error string   `json:"error"`
			} `json:"musl"`
			Probe muslFakeK `json:"probe"`
		}
		if err := json.Unmarshal(araw, &ans); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		h := &Host{Ifaces: []string{"lo"}}
		for _, i := range sc.Interfaces {
			h.Ifaces = append(h.Ifaces, i.Name)
		}
		var r Result
		r.Reset("musl")
		muslSort(sc, h, ans.Probe, &r)
		hh := NewHost(sc)
		for key, p := range ans.Probe {
			a := netip.MustParseAddr(key)
			c := hh.Connect(a)
			ks := c.Err
			if c.OK() {
				ks = c.Source.String()
			}
			kk := p.Err
			if kk == "" {
				kk = netip.MustParseAddr(p.Src).String()
			}
			if ks != kk {
				hostBad++
				t.Logf("HOST %s: connect %s: kernel %s, host model %s", f, key, kk, ks)
			}
		}
		var r2 Result
		r2.Reset("musl")
		MuslModel{}.Sort(sc, hh, &r2)
		var want []string
		for _, s := range ans.Musl.Order {
			want = append(want, netip.MustParseAddr(s).String())
		}
		got := muslOrder(&r)
		if got2 := muslOrder(&r2); r2.Err != ans.Musl.Error || strings.Join(got2, " ") != strings.Join(got, " ") {
			hostSortBad++
			t.Logf("HOSTSORT %s", f)
		}
		if r.Err != ans.Musl.Error || strings.Join(got, " ") != strings.Join(want, " ") {
			bad++
			t.Errorf("%s: musl %v %q, model %v %q", f, want, ans.Musl.Error, got, r.Err)
		}
	}
	t.Logf("%d invalid skipped; %d scenarios, %d disagree given the kernel's probes; with the host model: %d sorts differ, %d probes differ", invalid, n, bad, hostSortBad, hostBad)
}

func BenchmarkMuslConnectOnly(b *testing.B) {
	sc := muslContainer("fd00:dead:beef::7/64")
	sc.Destinations = nil
	for _, d := range []string{"142.250.74.206", "2a00:1450:4001:82b::200e", "172.19.5.5", "fd00:dead:beef::1",
		"2001:db8::1", "10.1.1.1", "::1", "127.0.0.1"} {
		sc.Destinations = append(sc.Destinations, netip.MustParseAddr(d))
	}
	h := NewHost(sc)
	for b.Loop() {
		for _, d := range sc.Destinations {
			h.Connect(d)
		}
	}
}

func TestMuslSizes(t *testing.T) {
	t.Logf("Dest %d bytes", unsafe.Sizeof(Dest{}))
}
