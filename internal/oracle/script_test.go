package oracle

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/stretchr/testify/require"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

// These tests need no root: they check the set-up script and the decoding
// of the probes' output.

func TestScriptSetUp(t *testing.T) {
	r := &Runner{Probes: testProbes}
	sc := &engine.Scenario{
		Version: 1,
		Interfaces: []engine.Interface{
			{Name: "eth0", Addresses: []engine.IfAddr{
				{Prefix: pfx("10.0.0.7/24"), Deprecated: true},
				{Prefix: pfx("2001:db8::7/64"), Home: true, Deprecated: true},
			}},
			{Name: "wlan0"},
		},
		Routes: []engine.Route{
			{To: pfx("0.0.0.0/0"), Default: true, Via: addr("10.0.0.1"), Dev: "eth0", Metric: 5, HasMetric: true},
			{To: pfx("2001:db8:9::/48"), Dev: "eth0", Src: addr("2001:db8::7"), OnLink: true},
		},
		Destinations: []netip.Addr{addr("fe80::1%eth0"), addr("::ffff:1.2.3.4")},
		GaiConf:      "label fd00::/8 1\n# it's\n",
		Hints:        engine.Hints{Family: engine.FamilyInet6, Flags: engine.AIV4Mapped | engine.AIAll},
	}
	s, err := r.Script(sc, "/tmp/d")
	require.NoError(t, err)
	for _, want := range []string{
		"echo 1 > /proc/sys/net/ipv6/conf/default/addr_gen_mode",
		"link add name eth0 up type veth peer name gsp0 netns /tmp/d/peerns\n",
		"link add name wlan0 up type veth peer name gsp1 netns /tmp/d/peerns\n",
		"link set gsp0 up\n",
		"addr add 10.0.0.7/24 dev eth0 preferred_lft 0\n",
		"addr add 2001:db8::7/64 dev eth0 nodad home preferred_lft 0\n",
		"route add 0.0.0.0/0 via 10.0.0.1 dev eth0 metric 5\n",
		"route add 2001:db8:9::/48 dev eth0 src 2001:db8::7 onlink\n",
		"fe80::1%eth0 gaisort-target\n::ffff:1.2.3.4 gaisort-target\n",
		`'label fd00::/8 1` + "\n" + `# it'\''s` + "\n'",
		// glibc through its own loader, musl in the background.
		`'/x/ld.so' '--library-path' '/x/lib' '/x/gai-glibc-2.41' gaisort-target inet6 AI_V4MAPPED,AI_ALL > "$D/glibc-2.41.out" 2>&1 || echo $? > "$D/glibc-2.41.status"` + "\n",
		`('/x/gai-musl-1.2.5' gaisort-target inet6 AI_V4MAPPED,AI_ALL > "$D/musl-1.2.5.out" 2>&1 || echo $? > "$D/musl-1.2.5.status") &` + "\n",
		`printf '@@run glibc-2.41 %s\n' "$(head -n 1 "$D/glibc-2.41.out")"`,
		`printf '@@run musl-1.2.5 %s\n' "$(head -n 1 "$D/musl-1.2.5.out")"`,
		// The kernel's answer asked with the first probe.
		`'/x/ld.so' '--library-path' '/x/lib' '/x/gai-glibc-2.41' -c 'fe80::1%eth0' '::ffff:1.2.3.4' > "$D/connect.out"`,
		`mount --bind "$D/gai.conf" /etc/gai.conf`,
		`mount --bind "$D/host.conf" /etc/host.conf`,
	} {
		require.Contains(t, s, want)
	}
	// lo up comes before the addresses, the link-local check after the
	// programs.
	require.Less(t, strings.Index(s, "link set lo up"), strings.Index(s, "addr add"))
	require.Less(t, strings.Index(s, "gai-glibc"), strings.Index(s, "addr show"))
	require.Less(t, strings.Index(s, "gai-musl-1.2.5' gaisort-target"), strings.Index(s, "gai-glibc-2.41' gaisort-target"))

	_, err = r.Script(&engine.Scenario{Version: 1, Interfaces: []engine.Interface{{Name: "a b"}}}, "/tmp/d")
	require.Error(t, err)
}

var testProbes = []Probe{
	{Version: Versions[2], Path: "/x/gai-glibc-2.41", Argv: []string{"/x/ld.so", "--library-path", "/x/lib", "/x/gai-glibc-2.41"}},
	{Version: Versions[6], Path: "/x/gai-musl-1.2.5", Argv: []string{"/x/gai-musl-1.2.5"}},
}

func TestParseOutput(t *testing.T) {
	sc := &engine.Scenario{Version: 1, Interfaces: []engine.Interface{{Name: "eth0", Addresses: []engine.IfAddr{{Prefix: pfx("fe80::7/64")}}}},
		Destinations: []netip.Addr{addr("fe80::1%eth0"), addr("8.8.8.8")}}
	out := `@@connect {"connect":[["fe800000000000000000000000000007",2],{"errno":"ENETUNREACH"}]}
@@run glibc-2.41 {"libc":"2.41","order":[["c0000209",0],["00000000000000000000ffff01020304",0],["fe800000000000000000000000000001",2],["fe800000000000000000000000000001",9]]}
@@run musl-1.2.5 {"libc":"1.2.5","error":"EAI_SYSTEM","errno":"ECONNREFUSED"}
@@ip-begin
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN
2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
2: eth0    inet6 fe80::7/64 scope link nodad \       valid_lft forever preferred_lft forever
@@ip-end
`
	tr := &Trace{Output: out}
	require.NoError(t, tr.parse(sc, testProbes))
	g := tr.Answers["glibc-2.41"]
	require.Equal(t, []netip.Addr{addr("192.0.2.9"), addr("::ffff:1.2.3.4"), addr("fe80::1%eth0"), addr("fe80::1%9")}, g.Order)
	require.Equal(t, "::ffff:1.2.3.4", g.Order[1].String())
	require.Equal(t, Answer{Err: "EAI_SYSTEM"}, tr.Answers["musl-1.2.5"])
	require.Equal(t, []Conn{{Source: addr("fe80::7%eth0")}, {Err: "ENETUNREACH"}}, tr.Conns)

	// A stray link-local address is an error.
	stray := strings.Replace(out, "@@ip-end", "2: eth0    inet6 fe80::abcd/64 scope link \\       valid_lft forever preferred_lft forever\n@@ip-end", 1)
	require.ErrorContains(t, (&Trace{Output: stray}).parse(sc, testProbes), "fe80::abcd/64")
	// So is a missing or extra interface.
	sc2 := &engine.Scenario{Version: 1, Destinations: sc.Destinations}
	require.ErrorContains(t, (&Trace{Output: out}).parse(sc2, testProbes), "links")
	// An answer from another version than asked is refused, naming both.
	other := strings.Replace(out, `{"libc":"2.41",`, `{"libc":"2.36",`, 1)
	require.ErrorContains(t, (&Trace{Output: other}).parse(sc, testProbes), "glibc-2.41: the probe ran glibc 2.36: refused")
	// So is an answer that names no version, and a missing answer.
	unnamed := strings.Replace(out, `{"libc":"1.2.5",`, `{`, 1)
	require.ErrorContains(t, (&Trace{Output: unnamed}).parse(sc, testProbes), "musl-1.2.5")
	missing := strings.Replace(out, "@@run musl-1.2.5", "@@run musl-1.2.6", 1)
	require.ErrorContains(t, (&Trace{Output: missing}).parse(sc, testProbes), "musl-1.2.5: no output")
}

// A probe's run: a death by signal is an answer (the signal's name), any
// other failing exit an error, and exit 0 the JSON line.
func TestDecodeRun(t *testing.T) {
	a, _, err := decodeRun("139", "", nil) // sh: 128 + SIGSEGV
	require.NoError(t, err)
	require.Equal(t, Answer{Err: "SIGSEGV"}, a)
	a, _, err = decodeRun("134", "partial", nil)
	require.NoError(t, err)
	require.Equal(t, Answer{Err: "SIGABRT"}, a)
	for _, exit := range []string{"1", "2", "127", "128", "200", "x"} {
		_, _, err := decodeRun(exit, `{"libc":"2.36","error":"EAI_NONAME"}`, nil)
		require.Error(t, err, "exit %q", exit)
	}
	a, ver, err := decodeRun("", `{"libc":"2.36","error":"EAI_NONAME"}`, nil)
	require.NoError(t, err)
	require.Equal(t, "EAI_NONAME", a.Err)
	require.Equal(t, "2.36", ver)
}

func TestParseVersions(t *testing.T) {
	all, err := ParseVersions("")
	require.NoError(t, err)
	require.Equal(t, []string{"glibc-2.31", "glibc-2.36", "glibc-2.41", "glibc-2.43", "musl-1.2.2", "musl-1.2.3", "musl-1.2.5", "musl-1.2.6"}, IDs(all))
	two, err := ParseVersions("glibc-2.41, musl-1.2.5,glibc-2.41")
	require.NoError(t, err)
	require.Equal(t, []string{"glibc-2.41", "musl-1.2.5"}, IDs(two))
	_, err = ParseVersions("glibc")
	require.ErrorContains(t, err, `unknown library version "glibc"`)
	_, err = ParseVersions("glibc-2.39")
	require.ErrorContains(t, err, `unknown library version "glibc-2.39"`)
	_, err = ParseVersions(",")
	require.Error(t, err)
}

func TestUpstream(t *testing.T) {
	for v, want := range map[string]string{
		"2.41-12+deb13u5":   "2.41",
		"1.2.5-3.1~deb13u1": "1.2.5",
		"2.31-13+deb11u11":  "2.31",
		"1:2.3-1":           "2.3",
		"1.2.6":             "1.2.6",
	} {
		require.Equal(t, want, upstream(v), v)
	}
}

// The private apt configuration names only its own directories: none of
// the machine's apt state is read or written.
func TestAptConfIsPrivate(t *testing.T) {
	c := &Cache{Dir: "/b/oracle"}
	conf := c.aptConf()
	for _, k := range []string{"Dir::Etc::parts", "Dir::Etc::sourcelist", "Dir::Etc::sourceparts", "Dir::State", "Dir::State::status", "Dir::Cache", "Dir::Etc::preferencesparts"} {
		require.Contains(t, conf, k+` "/b/oracle/apt/`)
	}
	require.NotContains(t, conf, "/etc/apt")
	require.NotContains(t, conf, "/var/")
}

// A built probe that reports another version than its own is refused.
func TestProbeCheckRefusesOtherVersion(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "gai")
	require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\necho '{\"libc\":\"glibc\",\"version\":\"2.36\"}'\n"), 0o755))
	p := Probe{Version: Versions[2], Path: fake, Argv: []string{fake}}
	require.EqualError(t, p.check(), "the probe runs glibc 2.36, not glibc 2.41: refused")
	p.Version = Versions[1]
	require.NoError(t, p.check())
	p.Version = Versions[5] // musl-1.2.3
	require.ErrorContains(t, p.check(), "refused")
}
