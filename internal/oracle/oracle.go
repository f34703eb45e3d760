// Package oracle runs the real glibc and musl getaddrinfo() on a scenario:
// the ground truth of docs/scenario.md. Each scenario gets a private
// network and mount namespace (unshare -m -n, as root) holding exactly
// loopback and the scenario's interfaces (veth pairs whose peers live in a
// second throwaway network namespace), its addresses and routes, and bind
// mounts over /etc/hosts, /etc/gai.conf, /etc/nsswitch.conf and
// /etc/resolv.conf. A small C program (gai.c), built against each real
// version of Versions (glibc 2.31, 2.36, 2.41, 2.43; musl 1.2.2, 1.2.3,
// 1.2.5, 1.2.6: Debian's packages, fetched into build/oracle by a private
// apt configuration, never installed), then calls getaddrinfo with the
// scenario's hints, once per version, in the same namespace.
package oracle

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gaisort/gaisort/engine"
)

//go:embed csrc/gai.c
var gaiSource []byte

// HostName is the name every destination is listed under in /etc/hosts.
const HostName = "gaisort-target"

// Answer is one library's answer: the addresses in the order getaddrinfo
// returned them (canonical form: IPv4 as 4 bytes, IPv4-mapped as
// ::ffff:a.b.c.d, a scope id as the zone naming the interface), or the
// error by name.
type Answer struct {
	Order []netip.Addr
	Err   string
}

// Equal reports whether a and b are the same answer.
func (a Answer) Equal(b Answer) bool {
	if a.Err != b.Err || len(a.Order) != len(b.Order) {
		return false
	}
	for i := range a.Order {
		if a.Order[i] != b.Order[i] {
			return false
		}
	}
	return true
}

// String renders the answer as the vectors write it.
func (a Answer) String() string {
	if a.Err != "" {
		return a.Err
	}
	s := make([]string, len(a.Order))
	for i, x := range a.Order {
		s[i] = x.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Available reports whether the oracle can run here, and if not, why.
func Available() (bool, string) {
	if runtime.GOOS != "linux" {
		return false, "not Linux"
	}
	if os.Geteuid() != 0 {
		return false, "not root (unshare -m -n and ip need root)"
	}
	// gcc builds every probe (musl's through its specs: no musl-gcc);
	// apt-get and dpkg-deb fetch and unpack the versions.
	for _, t := range []string{"unshare", "nsenter", "ip", "mount", "sh", "gcc", "apt-get", "dpkg-deb"} {
		if _, err := exec.LookPath(t); err != nil {
			return false, t + " not found"
		}
	}
	if out, err := exec.Command("unshare", "-m", "-n", "true").CombinedOutput(); err != nil {
		return false, "unshare -m -n fails: " + strings.TrimSpace(string(out)) + " " + err.Error()
	}
	return true, ""
}

// Runner runs scenarios through the real libraries. It is safe for
// concurrent use: every Run has its own namespaces and directory.
type Runner struct {
	// Probes are the versions run, in Versions order.
	Probes []Probe
	Cache  *Cache
	// Timeout bounds one scenario (musl waits for DNS when /etc/hosts has
	// no line of the asked family: 5 s with the reference resolv.conf).
	Timeout time.Duration
	env     string
	// MissingGaiConf: for a scenario without gai.conf, hide the whole of
	// /etc behind a directory holding only hosts, nsswitch.conf and
	// resolv.conf, instead of binding an empty /etc/gai.conf. Only for
	// checking that glibc treats both alike (TestEmptyGaiConfIsMissing).
	MissingGaiConf bool
}

// NewRunner fetches (Cache.Fetch: apt, into dir/apt and dir/debs, reused
// between runs), unpacks and builds the probe of every version of vs (all
// of Versions when vs is nil) into dir ("" means DefaultDir(): build/oracle
// of this module). A version that cannot be fetched, built or checked is
// an error naming it (*VersionError); nothing is skipped.
func NewRunner(dir string, vs []Version) (*Runner, error) {
	if vs == nil {
		vs = Versions
	}
	if len(vs) == 0 {
		return nil, errors.New("oracle: no library version to run")
	}
	c, err := NewCache(dir)
	if err != nil {
		return nil, err
	}
	c.Log = os.Stderr
	if err := c.Fetch(vs); err != nil {
		return nil, err
	}
	r := &Runner{Cache: c, Timeout: 60 * time.Second}
	// In Versions order, whatever the order asked.
	for _, v := range Versions {
		for _, w := range vs {
			if w.ID != v.ID {
				continue
			}
			p, err := c.Build(v)
			if err != nil {
				return nil, err
			}
			r.Probes = append(r.Probes, p)
		}
	}
	r.env = environment(c, r.Probes)
	return r, nil
}

// IDs lists the IDs of the versions the runner runs.
func (r *Runner) IDs() []string {
	out := make([]string, len(r.Probes))
	for i, p := range r.Probes {
		out[i] = p.ID
	}
	return out
}

// Environment is the string the vectors record: distribution, kernel, and
// the Debian package of each version run.
func (r *Runner) Environment() string { return r.env }

func environment(c *Cache, probes []Probe) string {
	var parts []string
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		name, ver := "", ""
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "NAME="); ok {
				name = strings.Fields(strings.Trim(v, `"`))[0]
			}
			if v, ok := strings.CutPrefix(l, "VERSION_ID="); ok {
				ver = strings.Trim(v, `"`)
			}
		}
		if name != "" {
			parts = append(parts, strings.TrimSpace(name+" "+ver))
		}
	}
	if out, err := exec.Command("uname", "-r").Output(); err == nil {
		k := strings.TrimSpace(string(out))
		if i := strings.IndexByte(k, '-'); i > 0 {
			k = k[:i]
		}
		parts = append(parts, "Linux "+k)
	}
	for _, p := range probes {
		if pv := c.PackageVersions(p.Version); pv != "" {
			parts = append(parts, p.ID+" "+pv+" ("+p.Suite+")")
		}
	}
	return strings.Join(parts, "; ")
}

// Answers are the real answers of one scenario, by version ID.
type Answers map[string]Answer

// Trace is everything one run did: for -dump and for error messages.
type Trace struct {
	Script string // the shell script run under unshare -m -n
	Output string // its stdout and stderr
	// Answers are the probes' answers, by version ID.
	Answers Answers
	// Raw are the probes' JSON lines, Exit their exit statuses as the shell
	// reported them (absent when they exited with 0), by version ID.
	Raw, Exit map[string]string
	// Conns is the kernel's answer for each destination, in scenario
	// order: connect() + getsockname() on a UDP socket (what the sorting
	// code of both libraries asks), for judging engine.Host.Connect.
	Conns      []Conn
	ConnectRaw string
	// Links maps ifindex to interface name in the scenario's namespace.
	Links map[int]string
	// Addrs are the `ip -o addr show` lines after the set-up.
	Addrs []string
	Took  time.Duration
}

// Run answers sc with every version of the runner.
func (r *Runner) Run(sc *engine.Scenario) (Answers, error) {
	t, err := r.Trace(sc)
	if err != nil {
		return nil, err
	}
	return t.Answers, nil
}

// Trace runs sc and returns the full trace.
func (r *Runner) Trace(sc *engine.Scenario) (*Trace, error) {
	start := time.Now()
	dir, err := os.MkdirTemp("", "gaisort-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script, err := r.Script(sc, dir)
	if err != nil {
		return nil, err
	}
	t := &Trace{Script: script}
	ctx, cancel := context.WithTimeout(context.Background(), r.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "-m", "-n", "--propagation", "private", "sh", "-c", script)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	t.Output = out.String()
	t.Took = time.Since(start)
	if err != nil {
		return t, fmt.Errorf("oracle: set-up or run failed: %v\n%s", err, t.Output)
	}
	if err := t.parse(sc, r.Probes); err != nil {
		return t, fmt.Errorf("oracle: %v\n%s", err, t.Output)
	}
	return t, nil
}

func (t *Trace) parse(sc *engine.Scenario, probes []Probe) error {
	t.Links = map[int]string{}
	t.Raw, t.Exit, t.Answers = map[string]string{}, map[string]string{}, Answers{}
	var names []string
	inIP := false
	for _, line := range strings.Split(t.Output, "\n") {
		switch {
		case line == "@@ip-begin":
			inIP = true
		case line == "@@ip-end":
			inIP = false
		case inIP && (strings.Contains(line, " inet ") || strings.Contains(line, " inet6 ")):
			t.Addrs = append(t.Addrs, line)
		case strings.HasPrefix(line, "@@run "):
			id, raw, _ := strings.Cut(strings.TrimPrefix(line, "@@run "), " ")
			t.Raw[id] = raw
		case strings.HasPrefix(line, "@@exit "):
			id, st, _ := strings.Cut(strings.TrimPrefix(line, "@@exit "), " ")
			t.Exit[id] = st
		case strings.HasPrefix(line, "@@connect "):
			t.ConnectRaw = strings.TrimPrefix(line, "@@connect ")
		case inIP && strings.Contains(line, "<"):
			// "2: eth0@if2: <BROADCAST,..."
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			idx, err := strconv.Atoi(strings.TrimSuffix(f[0], ":"))
			if err != nil {
				continue
			}
			name := strings.TrimSuffix(f[1], ":")
			if i := strings.IndexByte(name, '@'); i > 0 {
				name = name[:i]
			}
			t.Links[idx] = name
			names = append(names, name)
		}
	}
	// The namespace must hold exactly lo and the scenario's interfaces,
	// in that order.
	want := []string{"lo"}
	for _, in := range sc.Interfaces {
		want = append(want, in.Name)
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		return fmt.Errorf("namespace has links %q, want %q", names, want)
	}
	for i, n := range want {
		if t.Links[i+1] != n {
			return fmt.Errorf("namespace has %q at ifindex %d, want %q", t.Links[i+1], i+1, n)
		}
	}
	// And exactly the scenario's addresses (plus lo's): no stray
	// link-local address.
	if err := checkAddrs(sc, t.Addrs); err != nil {
		return err
	}
	var err error
	for _, p := range probes {
		a, ver, err := decodeRun(t.Exit[p.ID], t.Raw[p.ID], t.Links)
		if err != nil {
			return fmt.Errorf("%s: %v", p.ID, err)
		}
		// A probe that answered names the library that ran it: another
		// version than asked is refused (a crash has no line to check).
		if ver != "" && ver != p.Number {
			return fmt.Errorf("%s: the probe ran %s %s: refused", p.ID, p.Lib, ver)
		}
		t.Answers[p.ID] = a
	}
	if t.Conns, err = decodeConns(t.ConnectRaw, t.Links); err != nil {
		return fmt.Errorf("connect probe: %v", err)
	}
	if len(t.Conns) != len(sc.Destinations) {
		return fmt.Errorf("connect probe: %d answers for %d destinations", len(t.Conns), len(sc.Destinations))
	}
	return nil
}

func checkAddrs(sc *engine.Scenario, lines []string) error {
	want := map[string]int{"lo 127.0.0.1/8": 1, "lo ::1/128": 1}
	for _, in := range sc.Interfaces {
		for _, a := range in.Addresses {
			want[in.Name+" "+a.Prefix.String()]++
		}
	}
	got := map[string]int{}
	for _, l := range lines {
		// "2: eth0    inet6 fd00::7/64 scope global nodad ..."
		f := strings.Fields(l)
		if len(f) < 4 {
			continue
		}
		got[strings.TrimSuffix(f[1], ":")+" "+f[3]]++
	}
	for k, n := range got {
		if want[k] != n {
			return fmt.Errorf("namespace has address %q (x%d), scenario has it x%d", k, n, want[k])
		}
	}
	for k, n := range want {
		if got[k] != n {
			return fmt.Errorf("scenario address %q missing in namespace", k)
		}
	}
	return nil
}

type rawAnswer struct {
	Libc  string               `json:"libc"`
	Order [][2]json.RawMessage `json:"order"`
	Error string               `json:"error"`
	Errno string               `json:"errno"`
}

// Conn is the kernel's answer to connect() + getsockname() on a UDP socket
// to one destination: the source address (scope id as the zone), or the
// errno name.
type Conn struct {
	Source netip.Addr
	Err    string
}

func decodeConns(line string, links map[int]string) ([]Conn, error) {
	var raw struct {
		Connect []json.RawMessage `json:"connect"`
	}
	if line == "" {
		return nil, errors.New("no output")
	}
	if err := json.Unmarshal([]byte(line), &raw); err != nil {
		return nil, fmt.Errorf("bad output %q: %v", line, err)
	}
	out := make([]Conn, len(raw.Connect))
	for i, e := range raw.Connect {
		var obj struct {
			Errno string `json:"errno"`
		}
		if json.Unmarshal(e, &obj) == nil && obj.Errno != "" {
			out[i].Err = obj.Errno
			continue
		}
		a, err := decode(`{"order":[`+string(e)+`]}`, links)
		if err != nil || len(a.Order) != 1 {
			return nil, fmt.Errorf("bad entry %s", e)
		}
		out[i].Source = a.Order[0]
	}
	return out, nil
}

// decodeRun reads one probe's run: its exit status as the shell printed
// it ("" for 0) and its output line. A probe killed by a signal answers
// the signal's name (glibc 2.36 dies with SIGSEGV on a gai.conf scopev4
// line without /LEN): the scenario format's answer vocabulary extended by
// the crash the real library gives. Any other failing exit is an error.
// The version is the one the probe reported having run ("" for a crash).
func decodeRun(exit, line string, links map[int]string) (Answer, string, error) {
	if exit == "" {
		a, ver, err := decodeVersioned(line, links)
		if err == nil && ver == "" {
			err = fmt.Errorf("the probe's answer %q names no library version: refused", line)
		}
		return a, ver, err
	}
	status, err := strconv.Atoi(exit)
	if err != nil {
		return Answer{}, "", fmt.Errorf("bad exit status %q", exit)
	}
	// sh reports death by signal n as 128+n.
	if name := signalName(status - 128); status > 128 && name != "" {
		return Answer{Err: name}, "", nil
	}
	return Answer{}, "", fmt.Errorf("the probe exited with status %d; output %q", status, line)
}

// signalName names the signals a crashing C program dies of.
func signalName(n int) string {
	switch syscall.Signal(n) {
	case syscall.SIGSEGV:
		return "SIGSEGV"
	case syscall.SIGABRT:
		return "SIGABRT"
	case syscall.SIGBUS:
		return "SIGBUS"
	case syscall.SIGFPE:
		return "SIGFPE"
	case syscall.SIGILL:
		return "SIGILL"
	}
	return ""
}

func decode(line string, links map[int]string) (Answer, error) {
	a, _, err := decodeVersioned(line, links)
	return a, err
}

func decodeVersioned(line string, links map[int]string) (Answer, string, error) {
	if line == "" {
		return Answer{}, "", errors.New("no output")
	}
	var raw rawAnswer
	if err := json.Unmarshal([]byte(line), &raw); err != nil {
		return Answer{}, "", fmt.Errorf("bad output %q: %v", line, err)
	}
	if raw.Error != "" {
		return Answer{Err: raw.Error}, raw.Libc, nil
	}
	a := Answer{Order: []netip.Addr{}}
	for _, e := range raw.Order {
		var hx string
		var scope uint32
		if err := json.Unmarshal(e[0], &hx); err != nil {
			return Answer{}, "", fmt.Errorf("bad address in %q", line)
		}
		if err := json.Unmarshal(e[1], &scope); err != nil {
			return Answer{}, "", fmt.Errorf("bad scope in %q", line)
		}
		b, err := hex.DecodeString(hx)
		if err != nil {
			return Answer{}, "", fmt.Errorf("bad address %q", hx)
		}
		var x netip.Addr
		switch len(b) {
		case 4:
			x = netip.AddrFrom4([4]byte(b))
		case 16:
			x = netip.AddrFrom16([16]byte(b))
			if scope != 0 {
				name, ok := links[int(scope)]
				if !ok {
					name = strconv.FormatUint(uint64(scope), 10)
				}
				x = x.WithZone(name)
			}
		default:
			return Answer{}, "", fmt.Errorf("bad address %q", hx)
		}
		a.Order = append(a.Order, x)
	}
	return a, raw.Libc, nil
}
