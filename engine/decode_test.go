package engine

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/internal/msgtext"
)

// containerScenario is the example of docs/scenario.md.
const containerScenario = `{
  "version": 1,
  "interfaces": [
    {"name": "eth0",
     "addresses": [
       {"cidr": "172.19.0.7/16"},
       {"cidr": "fd00:dead:beef::7/64", "deprecated": false, "home": false}
     ]}
  ],
  "routes": [
    {"to": "default", "via": "172.19.0.1", "dev": "eth0"},
    {"to": "::/0", "via": "fd00:dead:beef::1", "dev": "eth0", "metric": 1024}
  ],
  "destinations": ["142.250.74.206", "2a00:1450:4001:82b::200e"],
  "gai_conf": "label fd00::/8 1\n",
  "hints": {"family": "unspec", "flags": ["AI_ADDRCONFIG"]}
}`

func TestParseContainerScenario(t *testing.T) {
	sc, err := ParseScenario([]byte(containerScenario))
	if err != nil {
		t.Fatal(err)
	}
	want := &Scenario{
		Version: 1,
		Interfaces: []Interface{{Name: "eth0", Addresses: []IfAddr{
			{Prefix: netip.MustParsePrefix("172.19.0.7/16")},
			{Prefix: netip.MustParsePrefix("fd00:dead:beef::7/64")},
		}}},
		Routes: []Route{
			{To: netip.MustParsePrefix("0.0.0.0/0"), Default: true, Via: netip.MustParseAddr("172.19.0.1"), Dev: "eth0"},
			{To: netip.MustParsePrefix("::/0"), Via: netip.MustParseAddr("fd00:dead:beef::1"), Dev: "eth0", Metric: 1024, HasMetric: true},
		},
		Destinations: []netip.Addr{netip.MustParseAddr("142.250.74.206"), netip.MustParseAddr("2a00:1450:4001:82b::200e")},
		GaiConf:      "label fd00::/8 1\n",
		Hints:        Hints{Family: FamilyUnspec, Flags: AIAddrConfig},
	}
	if !reflect.DeepEqual(sc, want) {
		t.Fatalf("got %+v\nwant %+v", sc, want)
	}
	got := string(sc.AppendJSON(nil))
	const canon = `{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"fd00:dead:beef::7/64"}]}],` +
		`"routes":[{"to":"default","via":"172.19.0.1","dev":"eth0"},{"to":"::/0","via":"fd00:dead:beef::1","dev":"eth0","metric":1024}],` +
		`"destinations":["142.250.74.206","2a00:1450:4001:82b::200e"],"gai_conf":"label fd00::/8 1\n","hints":{"flags":["AI_ADDRCONFIG"]}}`
	if got != canon {
		t.Fatalf("AppendJSON:\n got %s\nwant %s", got, canon)
	}
}

// Valid scenarios: each must parse, and its canonical encoding must parse
// to the same value and re-encode to the same bytes.
var validScenarios = []string{
	containerScenario,
	`{"destinations":["::1"]}`,
	`{"version":1,"interfaces":[],"routes":[],"destinations":["127.0.0.1","127.0.0.1"]}`,
	`{"interfaces":[{"name":"eth0"}],"routes":[{"to":"10.0.0.0/8","dev":"eth0"}],"destinations":["10.1.1.1"]}`,
	`{"interfaces":[{"name":"eth0","addresses":[{"cidr":"fe80::1/64"},{"cidr":"2001:db8::5/64","deprecated":true,"home":true},{"cidr":"10.0.0.2/31","deprecated":true}]},
	  {"name":"wlan0","addresses":[{"cidr":"192.168.1.10/24"}]}],
	 "routes":[{"to":"default","via":"fe80::99","dev":"eth0","src":"fe80::1","metric":0},
	           {"to":"default","via":"192.168.1.1","src":"10.0.0.2","metric":4294967295},
	           {"to":"10.9.0.0/16","dev":"wlan0"},
	           {"to":"10.10.0.0/16","via":"10.9.1.1"},
	           {"to":"10.11.0.0/16","via":"10.99.0.1","dev":"eth0","onlink":true},
	           {"to":"2001:db8:1::/48","via":"2001:db8::1"},
	           {"to":"2001:db8::/64","dev":"eth0","metric":100},
	           {"to":"172.16.0.0/12","dev":"lo"}],
	 "destinations":["fe80::2%eth0","ff02::1%wlan0","ff12::1%lo","ff01::1%eth0","::ffff:1.2.3.4","0.0.0.0","::","224.0.0.1","2001:db8::5"],
	 "gai_conf":"# \"quoted\" \\ tab\there \u00e9 \ud83d\ude00 \u2028 \u0001\nprecedence ::1/128 50\n",
	 "hints":{"family":"inet6","flags":["AI_ALL","AI_V4MAPPED","AI_ADDRCONFIG"]}}`,
	`{"hints":{"family":"inet"},"destinations":["1.2.3.4"]}`,
	`{"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.3.0.1/32"},{"cidr":"10.0.0.1/24"}]}],
	  "routes":[{"to":"10.3.0.1/32","dev":"eth0"},{"to":"10.9.0.0/16","via":"10.0.0.0"},{"to":"::1/128","dev":"lo","metric":256,"src":"::1"},
	            {"to":"10.11.0.0/16","dev":"eth0","src":"127.0.0.1"},{"to":"10.14.0.0/16","via":"10.99.0.9","dev":"eth0","onlink":true}],
	  "destinations":["10.3.0.1"]}`,
	"\t\r\n {\"destinations\" : [ \"1.2.3.4\" ] } \n",
	`{"\u0064estinations":["1.2.3.4"]}`,
}

func TestRoundTrip(t *testing.T) {
	for i, doc := range validScenarios {
		sc, err := ParseScenario([]byte(doc))
		if err != nil {
			t.Errorf("%d: %v", i, err)
			continue
		}
		enc := sc.AppendJSON(nil)
		sc2, err := ParseScenario(enc)
		if err != nil {
			t.Errorf("%d: re-parse of %s: %v", i, enc, err)
			continue
		}
		if !reflect.DeepEqual(sc, sc2) {
			t.Errorf("%d: round trip differs:\n %+v\n %+v", i, sc, sc2)
		}
		if enc2 := sc2.AppendJSON(nil); string(enc2) != string(enc) {
			t.Errorf("%d: re-encoding differs:\n %s\n %s", i, enc, enc2)
		}
		if err := sc.Validate(); err != nil {
			t.Errorf("%d: Validate after parse: %v", i, err)
		}
	}
}

func TestGoBuiltDefaultRoute(t *testing.T) {
	sc := &Scenario{Version: 1,
		Interfaces:   []Interface{{Name: "eth0", Addresses: []IfAddr{{Prefix: netip.MustParsePrefix("fd00::7/64")}}}},
		Routes:       []Route{{To: netip.MustParsePrefix("::/0"), Default: true, Via: netip.MustParseAddr("fd00::1")}},
		Destinations: []netip.Addr{netip.MustParseAddr("2001:db8::1")},
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := string(sc.AppendJSON(nil)); !strings.Contains(got, `{"to":"default","via":"fd00::1"}`) {
		t.Fatalf("AppendJSON = %s", got)
	}
	sc.Routes[0].Via = netip.Addr{}
	sc.Routes[0].Dev = "eth0"
	var se *ScenarioError
	if err := sc.Validate(); !errors.As(err, &se) || se.Path != "routes[0].to" {
		t.Fatalf("Validate = %v", err)
	}
	sc.Version = 0
	if err := sc.Validate(); err == nil || err.Error() != "version: version 0 is not supported (this reader knows only version 1)" {
		t.Fatalf("Validate = %v", err)
	}
}

// base wraps a fragment into a scenario with one interface and a
// destination; %s is replaced.
func withIfaces(ifaces string) string {
	return `{"interfaces":[` + ifaces + `],"destinations":["1.2.3.4"]}`
}

func withRoutes(routes string) string {
	return `{"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.1/24"},{"cidr":"fd00::1/64"},{"cidr":"fe80::1/64"}]},{"name":"eth1","addresses":[{"cidr":"192.168.5.1/24"}]}],` +
		`"routes":[` + routes + `],"destinations":["1.2.3.4"]}`
}

func withDests(dests string) string {
	return `{"interfaces":[{"name":"eth0"}],"destinations":[` + dests + `]}`
}

var malformed = []struct{ doc, err string }{
	// JSON syntax.
	{``, `the document is empty (expected a scenario object)`},
	{`{"destinations":["1.2.3.4"],}`, `invalid JSON at line 1, column 29 (byte 28): trailing comma before '}'`},
	{`{"destinations":["1.2.3.4",]}`, `destinations: invalid JSON at line 1, column 28 (byte 27): trailing comma before ']'`},
	{`{"destinations":["1.2.3.4"]} // hi`, `invalid JSON at line 1, column 30 (byte 29): unexpected '/' after the end of the document`},
	{"{\"destinations\":[\"1.2.3.4\"]}\n{}", `invalid JSON at line 2, column 1 (byte 29): unexpected '{' after the end of the document`},
	{`{/*c*/"destinations":["1.2.3.4"]}`, `invalid JSON at line 1, column 2 (byte 1): unexpected '/', expected a member name in double quotes`},
	{`{"version":01,"destinations":["1.2.3.4"]}`, `version: invalid JSON at line 1, column 13 (byte 12): leading zero in a number`},
	{`{"routes":[{"to":"default","dev":"eth0","metric":NaN}],"destinations":["1.2.3.4"]}`, `routes[0].metric: invalid JSON at line 1, column 50 (byte 49): unexpected 'N', expected a number`},
	{"{\"gai_conf\":\"a\tb\",\"destinations\":[\"1.2.3.4\"]}", `gai_conf: invalid JSON at line 1, column 15 (byte 14): control character 0x9 in a string must be escaped`},
	{`{"gai_conf":"\ud800x","destinations":["1.2.3.4"]}`, `gai_conf: invalid JSON at line 1, column 14 (byte 13): lone surrogate \ud800 (a high surrogate must be followed by a low one)`},
	{`{"gai_conf":"\udc00","destinations":["1.2.3.4"]}`, `gai_conf: invalid JSON at line 1, column 14 (byte 13): lone surrogate \udc00 (a low surrogate without a high one)`},
	{"{\"gai_conf\":\"\xff\",\"destinations\":[\"1.2.3.4\"]}", `gai_conf: invalid JSON at line 1, column 14 (byte 13): invalid UTF-8 in a string`},
	{`{"gai_conf":"\x41","destinations":["1.2.3.4"]}`, `gai_conf: invalid JSON at line 1, column 14 (byte 13): unknown escape '\x'`},
	{`{"destinations":["1.2.3.4"]`, `invalid JSON at line 1, column 28 (byte 27): unexpected end of input (unclosed object)`},
	// A NUL byte is no JSON, wherever it is (issue 12): not the end of the
	// document, not the end of the input.
	{"{\"destinations\":[\"192.0.2.1\"]}\x00garbage", `invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document`},
	{"{\"destinations\":[\"192.0.2.1\"]}\x00", `invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document`},
	{"{\"destinations\":[\"192.0.2.1\"]\x00}", `invalid JSON at line 1, column 30 (byte 29): unexpected byte 0x0, expected ',' or '}'`},
	{"{\"destinations\":\x00[\"192.0.2.1\"]}", `destinations: invalid JSON at line 1, column 17 (byte 16): unexpected byte 0x0, expected an array of addresses`},
	{"{\"destinations\":[\x00\"192.0.2.1\"]}", `destinations[0]: invalid JSON at line 1, column 18 (byte 17): unexpected byte 0x0, expected a string`},
	{"{\x00\"destinations\":[\"192.0.2.1\"]}", `invalid JSON at line 1, column 2 (byte 1): unexpected byte 0x0, expected a member name in double quotes`},
	{"\x00", `invalid JSON at line 1, column 1 (byte 0): unexpected byte 0x0, expected an object (a scenario)`},
	{"{\"destinations\":[\"1.2.3.4\"],\"\x7f\u0085\":1}", `["\u007f\u0085"]: unknown field (allowed: version, interfaces, routes, destinations, gai_conf, hints)`},
	{withDests(`"\u007f\u0085é"`), `destinations[0]: "\u007f\u0085é" is not an IP address (unable to parse IP)`},
	// Input echoed in a message is quoted (issue 18): the byte after a
	// backslash, an address's zone.
	{"{\"\\\r0", `invalid JSON at line 1, column 3 (byte 2): unknown escape: '\' followed by byte 0xd`},
	{"{\"gai_conf\":\"\\\xc3\xa9\",\"destinations\":[\"1.2.3.4\"]}", `gai_conf: invalid JSON at line 1, column 14 (byte 13): unknown escape: '\' followed by byte 0xc3`},
	{withDests(`"fe80::1%e\u0007\n/64"`), `destinations[0]: "fe80::1%e\u0007\n/64": the zone "e\u0007\n/64" names no interface of the scenario (nor lo)`},
	{withRoutes(`{"to":"default","via":"fe80::1%e\u0007/64"}`), `routes[0].via: "fe80::1%e\u0007/64" has a zone; a gateway or source takes none (name the interface in dev)`},
	{`{"destinations":["1.2.3.4"],"hints":{"flags":[]},"hints":{}}`, `hints: duplicate field (each field may appear once)`},
	{`{"version":true,"destinations":["1.2.3.4"]}`, `version: expected a number, got a boolean`},
	{strings.Repeat("[", 40), `expected an object (a scenario), got an array`},
	// Structure and types.
	{`[]`, `expected an object (a scenario), got an array`},
	{`{"version":2,"destinations":["1.2.3.4"]}`, `version: version 2 is not supported (this reader knows only version 1)`},
	{`{"version":1.0,"destinations":["1.2.3.4"]}`, `version: version 1.0 is not supported (this reader knows only version 1)`},
	{`{"interfaces":[]}`, `missing "destinations" (the addresses the name resolves to, at least one)`},
	{`{"destinations":[]}`, `destinations: no address; the name must resolve to at least one`},
	{`{"destinations":["1.2.3.4"],"Hints":{}}`, `Hints: unknown field (did you mean "hints"? allowed: version, interfaces, routes, destinations, gai_conf, hints)`},
	{`{"destinations":["1.2.3.4"],"a b\n":1}`, `["a b\n"]: unknown field (allowed: version, interfaces, routes, destinations, gai_conf, hints)`},
	{withIfaces(`{"name":"eth0","mtu":1500}`), `interfaces[0].mtu: unknown field (allowed: name, addresses)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/8","primary":true}]}`), `interfaces[0].addresses[0].primary: unknown field (allowed: cidr, deprecated, home)`},
	{withIfaces(`{"name":null}`), `interfaces[0].name: expected a string, got null`},
	{withIfaces(`{"addresses":[]}`), `interfaces[0]: missing "name" (the interface's name, e.g. eth0)`},
	{withIfaces(`{"name":"eth0","addresses":[{"deprecated":true}]}`), `interfaces[0].addresses[0]: missing "cidr" (the address and its prefix length, e.g. 172.19.0.7/16)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/8","deprecated":"yes"}]}`), `interfaces[0].addresses[0].deprecated: expected true or false, got a string`},
	{withIfaces(`{"name":"eth0","addresses":{"cidr":"10.0.0.1/8"}}`), `interfaces[0].addresses: expected an array of addresses, got an object`},
	{`{"interfaces":{"eth0":{}},"destinations":["1.2.3.4"]}`, `interfaces: expected an array of interfaces, got an object`},
	// Addresses.
	{withDests(`"10.0.0.1/8"`), `destinations[0]: "10.0.0.1/8" is a prefix; write the address alone: "10.0.0.1"`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/8"},{"cidr":"172.19.0.7"}]}`), `interfaces[0].addresses[1].cidr: "172.19.0.7" has no prefix length (write 172.19.0.7/24, say, or /32 for a single address)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/33"}]}`), `interfaces[0].addresses[0].cidr: "10.0.0.1/33": the prefix length 33 is too long for IPv4 (at most 32)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/08"}]}`), `interfaces[0].addresses[0].cidr: "10.0.0.1/08": the prefix length "08" is not a decimal number`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0/8"}]}`), `interfaces[0].addresses[0].cidr: "10.0.0/8" is not an address/length (IPv4 address too short)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"fe80::1%eth0/64"}]}`), `interfaces[0].addresses[0].cidr: "fe80::1%eth0/64" has a zone; an interface's address takes none (it is on its interface already)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"224.0.0.5/24"}]}`), `interfaces[0].addresses[0].cidr: "224.0.0.5/24" is multicast; the format takes only unicast interface addresses`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"ff02::5/64"}]}`), `interfaces[0].addresses[0].cidr: "ff02::5/64" is multicast (Linux: "Cannot assign multicast address")`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"::/64"}]}`), `interfaces[0].addresses[0].cidr: "::/64" is the unspecified address (Linux: "Invalid address")`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"127.0.0.2/8"}]}`), `interfaces[0].addresses[0].cidr: "127.0.0.2/8" is in 127.0.0.0/8, which belongs to lo (always present with 127.0.0.1/8)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"::1/128"}]}`), `interfaces[0].addresses[0].cidr: "::1/128" is loopback, which belongs to lo (Linux: "Cannot assign loopback address on this device")`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"::ffff:1.2.3.4/120"}]}`), `interfaces[0].addresses[0].cidr: "::ffff:1.2.3.4/120" is IPv4-mapped; write the IPv4 address (1.2.3.4/24)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/24"}]},{"name":"eth1","addresses":[{"cidr":"10.0.0.1/16"}]}`), `interfaces[1].addresses[0].cidr: 10.0.0.1 is already interfaces[0].addresses[0] (the format allows each address once on the host)`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"fd00::1/64"},{"cidr":"fd00::1/80"}]}`), `interfaces[0].addresses[1].cidr: fd00::1 is already interfaces[0].addresses[0] (Linux: "address already assigned")`},
	{withIfaces(`{"name":"eth0","addresses":[{"cidr":"10.0.0.1/24","home":true}]}`), `interfaces[0].addresses[0].home: home applies to IPv6 addresses only (ip addr: "home option can be set only for IPv6 addresses")`},
	// Interface names.
	{withIfaces(`{"name":""}`), `interfaces[0].name: empty name (Linux names have 1 to 15 bytes)`},
	{withIfaces(`{"name":"averyveryverylong"}`), `interfaces[0].name: "averyveryverylong" is 17 bytes; Linux allows at most 15 (IFNAMSIZ 16 with the NUL)`},
	{withIfaces(`{"name":"lo"}`), `interfaces[0].name: "lo" is the loopback interface, which is always present: do not list it`},
	{withIfaces(`{"name":"eth0:1"}`), `interfaces[0].name: "eth0:1" has ':', which Linux does not allow in an interface name`},
	{withIfaces(`{"name":"eth 0"}`), `interfaces[0].name: "eth 0" has a space or control character, which Linux does not allow in an interface name`},
	{withIfaces(`{"name":"eth%d"}`), `interfaces[0].name: "eth%d" has '%', which the format keeps for zones (and ip link would take for a name template)`},
	{withIfaces(`{"name":".."}`), `interfaces[0].name: ".." is not a valid interface name in Linux`},
	{withIfaces(`{"name":"eth0"},{"name":"eth0"}`), `interfaces[1].name: "eth0" is also the name of interfaces[0] (Linux: "File exists")`},
	// Routes.
	{withRoutes(`{"to":"10.1.0.1/16","dev":"eth0"}`), `routes[0].to: "10.1.0.1/16" has host bits set (Linux: "Invalid prefix for given prefix length"; write 10.1.0.0/16)`},
	{withRoutes(`{"to":"10.1.0.1","dev":"eth0"}`), `routes[0].to: "10.1.0.1" has no prefix length (write 10.1.0.1/32 for a host route)`},
	{withRoutes(`{"to":"10.1.0.0/16"}`), `routes[0]: a route needs via or dev (Linux: "No such device")`},
	{withRoutes(`{"to":"10.1.0.0/16","dev":"eth9"}`), `routes[0].dev: "eth9" is no interface of the scenario (ip route: "Cannot find device eth9")`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"fd00::9"}`), `routes[0].via: via fd00::9 is IPv6 but to 10.1.0.0/16 is IPv4 (the format has no gateways of the other family)`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"224.0.0.1"}`), `routes[0].via: 224.0.0.1 is not a unicast address (Linux: "Nexthop has invalid gateway")`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.0.0.255","dev":"eth0","onlink":true}`), `routes[0].via: 10.0.0.255 is the broadcast address of a connected network (Linux: "Nexthop has invalid gateway")`},
	{withRoutes(`{"to":"fd01::/64","via":"::","dev":"eth0"}`), `routes[0].via: :: is not a unicast address (Linux: "Invalid gateway address")`},
	{withRoutes(`{"to":"fd01::/64","via":"fd00::1"}`), `routes[0].via: fd00::1 is an address of this host (Linux: "Gateway can not be a local address")`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.0.0.1"}`), `routes[0].via: 10.0.0.1 is an address of this host; the format forbids a local gateway`},
	{withRoutes(`{"to":"fd01::/64","via":"::1"}`), `routes[0].via: ::1 is loopback (Linux: "Egress device can not be loopback device for this route")`},
	{withRoutes(`{"to":"fd01::/64","via":"fe80::9"}`), `routes[0].via: fe80::9 is link-local: give dev too (Linux: "Egress device not specified")`},
	{withRoutes(`{"to":"fd01::/64","via":"fe80::9%eth0","dev":"eth0"}`), `routes[0].via: "fe80::9%eth0" has a zone; a gateway or source takes none (name the interface in dev)`},
	{withRoutes(`{"to":"fd00:0:0:0:1::/80","via":"fe80::99","dev":"eth0"},{"to":"2001:db8::/32","via":"fd00::1:0:0:5"}`), `routes[1].via: fd00::1:0:0:5 is reached through another gateway (an earlier route with via is its most specific route; Linux: "No route to host")`},
	{`{"interfaces":[{"name":"eth0","addresses":[{"cidr":"169.254.174.115/16"}]},{"name":"eth1","addresses":[{"cidr":"169.254.174.114/30"}]}],"destinations":["1.2.3.4"]}`, `interfaces[0].addresses[0].cidr: 169.254.174.115 is the broadcast address of a connected network; the format forbids an address that is also a subnet's broadcast`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.77.0.1"}`), `routes[0].via: 10.77.0.1 is on no connected network or device route of any interface (Linux: "Nexthop has invalid gateway"; set onlink if it is on the link)`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.0.0.9","dev":"eth1"}`), `routes[0].via: 10.0.0.9 is on no connected network or device route of eth1 (Linux: "Nexthop has invalid gateway"; set onlink if it is on the link)`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.2.0.9","dev":"eth0"},{"to":"10.2.0.0/16","dev":"eth0"}`), `routes[0].via: 10.2.0.9 is on no connected network or device route of eth0 (Linux: "Nexthop has invalid gateway"; set onlink if it is on the link)`},
	{withRoutes(`{"to":"fd01::/64","via":"fd77::1","dev":"eth0"}`), `routes[0].via: fd77::1 is on no connected network or device route of eth0 (Linux: "No route to host"; set onlink if it is on the link)`},
	{withRoutes(`{"to":"10.1.0.0/16","via":"10.77.0.1","onlink":true}`), `routes[0].onlink: onlink needs dev (Linux: "Nexthop device required for onlink")`},
	{withRoutes(`{"to":"10.1.0.0/16","dev":"eth0","src":"10.0.0.99"}`), `routes[0].src: 10.0.0.99 is no address of the host (Linux: "Invalid prefsrc address")`},
	{withRoutes(`{"to":"fd01::/64","dev":"eth1","src":"fe80::1"}`), `routes[0].src: fe80::1 is not on eth1 (Linux: "Invalid source address")`},
	{withRoutes(`{"to":"fd01::/64","dev":"eth0","src":"10.0.0.1"}`), `routes[0].src: src 10.0.0.1 is IPv4 but the route is IPv6`},
	{withRoutes(`{"to":"10.0.0.0/24","dev":"eth1"}`), `routes[0]: 10.0.0.0/24 metric 0 is the connected route of interfaces[0].addresses[0] (Linux: "File exists"; give another metric)`},
	{withRoutes(`{"to":"10.5.0.0/16","dev":"eth0"},{"to":"10.5.0.0/16","dev":"eth1","metric":0}`), `routes[1]: the same destination and metric as routes[0] (Linux: "File exists", whatever the dev; give another metric)`},
	{withRoutes(`{"to":"default","via":"fd00::9","dev":"eth0"},{"to":"::/0","dev":"eth1","metric":1024}`), `routes[1]: the same destination and metric as routes[0] (Linux: "File exists", whatever the dev; give another metric)`},
	{withRoutes(`{"to":"fd05::/64","dev":"eth0","metric":0},{"to":"fd05::/64","dev":"eth1"}`), `routes[1]: the same destination and metric as routes[0] (Linux: "File exists", whatever the dev; give another metric)`},
	{withRoutes(`{"to":"fd00::/64","dev":"eth1","metric":256}`), `routes[0]: fd00::/64 metric 256 is the connected route of interfaces[0].addresses[1] (Linux: "File exists"; give another metric)`},
	{withRoutes(`{"to":"10.5.0.0/16","dev":"eth0","metric":4294967296}`), `routes[0].metric: 4294967296 is not an integer from 0 to 4294967295`},
	{withRoutes(`{"to":"10.5.0.0/16","dev":"eth0","metric":-1}`), `routes[0].metric: -1 is not an integer from 0 to 4294967295`},
	{withRoutes(`{"to":"10.5.0.0/16","dev":"eth0","metric":1e3}`), `routes[0].metric: 1e3 is not an integer from 0 to 4294967295`},
	{withRoutes(`{"via":"10.0.0.9"}`), `routes[0]: missing "to" (the destination prefix or "default")`},
	// Destinations.
	{withDests(`"10.0.0.1/8"`), `destinations[0]: "10.0.0.1/8" is a prefix; write the address alone: "10.0.0.1"`},
	{withDests(`"1.2.3.4","example.com"`), `destinations[1]: "example.com" is not an IP address (unexpected character (at "example.com"))`},
	{withDests(`"2001:db8::1%eth0"`), `destinations[0]: "2001:db8::1%eth0" has a zone, but only a link-local (fe80::/10) or interface- or link-local multicast address (ffx1::/16, ffx2::/16) takes one`},
	{withDests(`"fe80::1%2"`), `destinations[0]: "fe80::1%2" has a numeric zone; name the interface instead (interface indexes differ from host to host)`},
	{withDests(`"fe80::1%eth9"`), `destinations[0]: "fe80::1%eth9": the zone "eth9" names no interface of the scenario (nor lo)`},
	{withDests(`"::ffff:1.2.3.4%eth0"`), `destinations[0]: "::ffff:1.2.3.4%eth0" has a zone, but only a link-local (fe80::/10) or interface- or link-local multicast address (ffx1::/16, ffx2::/16) takes one`},
	{withDests(`1234`), `destinations[0]: expected a string, got a number`},
	// Hints.
	{`{"destinations":["1.2.3.4"],"hints":{"family":"AF_INET"}}`, `hints.family: unknown family "AF_INET" (allowed: unspec, inet, inet6)`},
	{`{"destinations":["1.2.3.4"],"hints":{"flags":["AI_ALL","AI_PASSIVE"]}}`, `hints.flags[1]: unknown flag "AI_PASSIVE" (allowed: AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL)`},
	{`{"destinations":["1.2.3.4"],"hints":{"flags":["AI_ALL","AI_ALL"]}}`, `hints.flags[1]: AI_ALL is listed twice`},
	{`{"destinations":["1.2.3.4"],"hints":{"flags":"AI_ALL"}}`, `hints.flags: expected an array of flag names, got a string`},
	// Limits.
	{`{"destinations":[` + strings.Repeat(`"1.2.3.4",`, MaxDestinations) + `"1.2.3.4"]}`, `destinations: more than 256 addresses (the limit, MaxDestinations)`},
	{`{"destinations":["1.2.3.4"],"gai_conf":"` + strings.Repeat("#", MaxGaiConfBytes+1) + `"}`, `gai_conf: gai.conf text of 65537 bytes; the limit (MaxGaiConfBytes) is 65536`},
	{`{"destinations":["1.2.3.4"],"gai_conf":"` + strings.Repeat("#", MaxDocumentBytes) + `"}`, `the document is 1048618 bytes; the limit (MaxDocumentBytes) is 1048576`},
}

func TestMalformed(t *testing.T) {
	for _, tc := range malformed {
		sc, err := ParseScenario([]byte(tc.doc))
		if err == nil {
			t.Errorf("%s: accepted: %s", shorten(tc.doc), sc.AppendJSON(nil))
			continue
		}
		var se *ScenarioError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %T, not *ScenarioError", shorten(tc.doc), err)
		}
		if err.Error() != tc.err {
			t.Errorf("%s:\n got %s\nwant %s", shorten(tc.doc), err, tc.err)
		}
	}
}

// TestErrorCodes checks each error's code: TooLarge for every limit of
// limits.go, BadScenario for everything else.
func TestErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		code ErrorCode
		path string
	}{
		{`{"destinations":[` + strings.Repeat(`"1.2.3.4",`, MaxDestinations) + `"1.2.3.4"]}`, TooLarge, "destinations"},
		{`{"destinations":["1.2.3.4"],"gai_conf":"` + strings.Repeat("#", MaxGaiConfBytes+1) + `"}`, TooLarge, "gai_conf"},
		{`{"destinations":["1.2.3.4"],"gai_conf":"` + strings.Repeat("#", MaxDocumentBytes) + `"}`, TooLarge, ""},
		{withIfaces(strings.Repeat(`{"name":"e"},`, MaxInterfaces) + `{"name":"e"}`), TooLarge, "interfaces"},
		{withRoutes(strings.Repeat(`{"to":"default"},`, MaxRoutes) + `{"to":"default"}`), TooLarge, "routes"},
		{withIfaces(`{"name":"e","addresses":[` + strings.Repeat(`{"cidr":"10.0.0.1/8"},`, MaxAddressesPerInterface) + `{"cidr":"10.0.0.1/8"}]}`), TooLarge, "interfaces[0].addresses"},
		{`{"destinations":["1.2.3.4"],}`, BadScenario, ""},
		{withDests(`"1.2.3"`), BadScenario, "destinations[0]"},
		{"{\"destinations\":[\"192.0.2.1\"]}\x00garbage", BadScenario, ""},
	} {
		_, err := ParseScenario([]byte(tc.doc))
		var se *ScenarioError
		if !errors.As(err, &se) || se.Code != tc.code || se.Path != tc.path {
			t.Errorf("%s: got %#v, want code %v at %q", shorten(tc.doc), err, tc.code, tc.path)
		}
	}
	big := `[` + strings.Repeat(`{"destinations":["::1"]},`, MaxBatch) + `{"destinations":["::1"]}]`
	if _, err := ParseScenarios([]byte(big)); err.(*ScenarioError).Code != TooLarge {
		t.Errorf("MaxBatch: %v is not TooLarge", err)
	}
	if got := TooLarge.String() + " " + BadScenario.String() + " " + ErrorCode(9).String(); got != "too_large bad_scenario ErrorCode(9)" {
		t.Errorf("String: %s", got)
	}
}

func TestLimitsCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"interfaces":[`)
	for i := range MaxInterfaces + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"name":"e` + itoa(i) + `"}`)
	}
	b.WriteString(`],"destinations":["1.2.3.4"]}`)
	_, err := ParseScenario([]byte(b.String()))
	if err == nil || err.Error() != "interfaces: more than 16 interfaces (the limit, MaxInterfaces)" {
		t.Errorf("interfaces: %v", err)
	}
	deep := strings.Repeat(`{"destinations":[`, 1) + strings.Repeat("[", MaxDepth) + `]`
	_, err = ParseScenarios([]byte(`[` + deep))
	if err == nil || err.Error() != "[0].destinations[0]: expected a string, got an array" {
		t.Errorf("deep: %v", err)
	}
}

func TestParseScenarios(t *testing.T) {
	scs, err := ParseScenarios([]byte(` [ ` + containerScenario + `, {"destinations":["::1"]} ] `))
	if err != nil || len(scs) != 2 || scs[1].Destinations[0] != netip.IPv6Loopback() {
		t.Fatalf("got %v, %v", scs, err)
	}
	scs, err = ParseScenarios([]byte(containerScenario))
	if err != nil || len(scs) != 1 || scs[0].Interfaces[0].Name != "eth0" {
		t.Fatalf("got %v, %v", scs, err)
	}
	scs, err = ParseScenarios([]byte(`[]`))
	if err != nil || len(scs) != 0 {
		t.Fatalf("got %v, %v", scs, err)
	}
	for _, tc := range []struct{ doc, err string }{
		{`[{"destinations":["::1"]},{"destinations":["1.2.3"]}]`, `[1].destinations[0]: "1.2.3" is not an IP address (IPv4 address too short)`},
		{`[{"destinations":["::1"]},{"destinations":[]}]`, `[1].destinations: no address; the name must resolve to at least one`},
		{`[{"destinations":["::1"]},{}]`, `[1]: missing "destinations" (the addresses the name resolves to, at least one)`},
		{`[{"destinations":["::1"]},3]`, `[1]: expected an object (a scenario), got a number`},
		{`[{"destinations":["::1"]},]`, `invalid JSON at line 1, column 27 (byte 26): trailing comma before ']'`},
		{`[{"destinations":["::1"]}] x`, `invalid JSON at line 1, column 28 (byte 27): unexpected 'x' after the end of the document`},
		{`"x"`, `expected a scenario object or an array of them, got a string`},
		{`   `, `the document is empty (expected a scenario object or an array of them)`},
	} {
		_, err := ParseScenarios([]byte(tc.doc))
		if err == nil || err.Error() != tc.err {
			t.Errorf("%s:\n got %v\nwant %s", tc.doc, err, tc.err)
		}
	}
}

func TestMessagesPrintable(t *testing.T) {
	for _, tc := range malformed {
		if _, err := ParseScenario([]byte(tc.doc)); err == nil || !msgtext.Printable(err.Error()) {
			t.Errorf("%q: %v", tc.doc, err)
		}
	}
}

func FuzzParseScenario(f *testing.F) {
	for _, s := range validScenarios {
		f.Add([]byte(s))
	}
	for _, tc := range malformed[:60] {
		f.Add([]byte(tc.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data)
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) || se.Msg == "" {
				t.Fatalf("bad error %#v", err)
			}
			if !msgtext.Printable(se.Error()) {
				t.Fatalf("%q: the message %q holds a control character or invalid UTF-8", data, se.Error())
			}
			return
		}
		enc := sc.AppendJSON(nil)
		sc2, err := ParseScenario(enc)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", enc, err)
		}
		if !reflect.DeepEqual(sc, sc2) {
			t.Fatalf("round trip differs:\n %+v\n %+v", sc, sc2)
		}
		if enc2 := sc2.AppendJSON(nil); string(enc2) != string(enc) {
			t.Fatalf("re-encoding differs:\n %s\n %s", enc, enc2)
		}
	})
}

func BenchmarkParseScenario(b *testing.B) {
	data := benchScenario(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseScenario(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	buf := sc.AppendJSON(nil)
	b.ReportAllocs()
	for b.Loop() {
		buf = sc.AppendJSON(buf[:0])
	}
}

// TestDecodeDocs gives engine_test the documents of decode_test.go.
func TestDecodeDocs(t *testing.T) {
	if len(DecodeDocs()) < len(validScenarios)+len(malformed) {
		t.Fatal("DecodeDocs misses documents")
	}
}

// DecodeDocs returns the valid and malformed documents of decode_test.go.
func DecodeDocs() [][]byte {
	var out [][]byte
	for _, s := range validScenarios {
		out = append(out, []byte(s))
	}
	for _, tc := range malformed {
		out = append(out, []byte(tc.doc))
	}
	return out
}
