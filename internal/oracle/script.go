package oracle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Script returns the shell script that sets up sc's namespace and runs both
// programs; it is run as `unshare -m -n --propagation private sh -c SCRIPT`.
// dir is a scratch directory; the script mounts a tmpfs over it, so nothing
// it writes outlives the namespace.
//
// The set-up, in order:
//  1. tmpfs over dir; net.ipv6.conf.default.addr_gen_mode = 1 (none), so
//     no device of this namespace ever gets a link-local address by itself
//     (addrgenmode cannot be given to `ip link add`: the kernel rejects
//     IFLA_AF_SPEC at creation).
//  2. a second network namespace bound to dir/peerns (unshare --net=FILE),
//     which holds the veth peers: the scenario's namespace holds exactly lo
//     and the scenario's interfaces, in scenario order (ifindex 1, 2, ...).
//  3. batch a: each interface created up, its peer created in peerns;
//     batch b (in peerns): the peers up, so the interfaces have carrier.
//  4. batch c: lo up; addresses (IPv6 with nodad; preferred_lft 0 for
//     deprecated, either family; home); routes in order.
//  5. bind mounts over /etc/hosts, /etc/gai.conf (an empty file when the
//     scenario has none: glibc treats an empty and a missing file alike,
//     see TestEmptyGaiConfIsMissing), /etc/nsswitch.conf (hosts: files),
//     /etc/resolv.conf (nameserver 127.0.0.1) and /etc/host.conf ("multi
//     on", Debian's default: without it glibc's files backend stops at the
//     first matching line, so the answer would have one address).
//  6. every version's probe: the glibc ones one after another, each
//     through its own loader; the musl ones concurrently with them, each in
//     the background (musl waits for DNS, 5 s, when no /etc/hosts line has
//     the asked family). Each answer is printed as "@@run ID LINE", a
//     failing exit status as "@@exit ID STATUS".
//  7. `ip -o link show` and `ip -o addr show`, which the runner checks
//     against the scenario: exactly lo and the scenario's interfaces with
//     ifindex 1, 2, ... in scenario order, exactly lo's and the scenario's
//     addresses (no stray link-local address).
func (r *Runner) Script(sc *engine.Scenario, dir string) (string, error) {
	var a, b, c strings.Builder
	for i, in := range sc.Interfaces {
		if err := checkName(in.Name); err != nil {
			return "", err
		}
		peer := "gsp" + strconv.Itoa(i)
		fmt.Fprintf(&a, "link add name %s up type veth peer name %s netns %s/peerns\n", in.Name, peer, dir)
		fmt.Fprintf(&b, "link set %s up\n", peer)
	}
	c.WriteString("link set lo up\n")
	for _, in := range sc.Interfaces {
		for _, ad := range in.Addresses {
			fmt.Fprintf(&c, "addr add %s dev %s", ad.Prefix, in.Name)
			if ad.Prefix.Addr().Is6() {
				c.WriteString(" nodad")
				if ad.Home {
					c.WriteString(" home")
				}
			}
			if ad.Deprecated {
				c.WriteString(" preferred_lft 0")
			}
			c.WriteString("\n")
		}
	}
	for _, rt := range sc.Routes {
		fmt.Fprintf(&c, "route add %s", rt.To)
		if rt.Via.IsValid() {
			fmt.Fprintf(&c, " via %s", rt.Via)
		}
		if rt.Dev != "" {
			if err := checkName(rt.Dev); err != nil {
				return "", err
			}
			fmt.Fprintf(&c, " dev %s", rt.Dev)
		}
		if rt.Src.IsValid() {
			fmt.Fprintf(&c, " src %s", rt.Src)
		}
		if rt.HasMetric {
			fmt.Fprintf(&c, " metric %d", rt.Metric)
		}
		if rt.OnLink {
			c.WriteString(" onlink")
		}
		c.WriteString("\n")
	}

	var hosts strings.Builder
	for _, d := range sc.Destinations {
		fmt.Fprintf(&hosts, "%s %s\n", d, HostName)
	}
	fam := sc.Hints.Family.String()
	flags := strings.Join(sc.Hints.Flags.Names(), ",")
	if flags == "" {
		flags = "-"
	}

	var s strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&s, format, args...) }
	w("set -e\n")
	w("D=%s\n", quote(dir))
	w("mount -t tmpfs gaisort \"$D\"\n")
	w("echo 1 > /proc/sys/net/ipv6/conf/default/addr_gen_mode\n")
	if len(sc.Interfaces) > 0 {
		w(": > \"$D/peerns\"\n")
		w("unshare --net=\"$D/peerns\" true\n")
		w("printf '%%s' %s > \"$D/a\"\n", quote(a.String()))
		w("ip -batch \"$D/a\"\n")
		w("printf '%%s' %s > \"$D/b\"\n", quote(b.String()))
		w("nsenter --net=\"$D/peerns\" ip -batch \"$D/b\"\n")
	}
	w("printf '%%s' %s > \"$D/c\"\n", quote(c.String()))
	w("ip -batch \"$D/c\"\n")
	w("printf '%%s' %s > \"$D/hosts\"\n", quote(hosts.String()))
	w("printf '%%s' %s > \"$D/gai.conf\"\n", quote(sc.GaiConf))
	w("printf 'hosts: files\\n' > \"$D/nsswitch.conf\"\n")
	w("printf 'nameserver 127.0.0.1\\n' > \"$D/resolv.conf\"\n")
	// Debian's /etc/host.conf, fixed here: without "multi on" glibc's
	// files backend returns only the first matching line.
	w("printf 'multi on\\n' > \"$D/host.conf\"\n")
	if r.MissingGaiConf && sc.GaiConf == "" {
		// Verification mode: an /etc with no gai.conf at all.
		w("mkdir \"$D/etc\"\n")
		for _, f := range []string{"hosts", "nsswitch.conf", "resolv.conf", "host.conf"} {
			w("cp \"$D/%s\" \"$D/etc/%s\"\n", f, f)
		}
		w("mount --bind \"$D/etc\" /etc\n")
	} else {
		for _, f := range []string{"hosts", "gai.conf", "nsswitch.conf", "resolv.conf", "host.conf"} {
			w("mount --bind \"$D/%s\" /etc/%s\n", f, f)
		}
	}
	// A probe that dies (glibc 2.36 crashes on some gai.conf files) must
	// not end the script (set -e): its exit status is kept and printed, and
	// decode turns a death by signal into the signal's name.
	if len(r.Probes) == 0 {
		return "", fmt.Errorf("oracle: no probe to run")
	}
	args := fmt.Sprintf("%s %s %s", HostName, fam, flags)
	for _, p := range r.Probes {
		if p.Lib == "musl" {
			w("(%s %s > \"$D/%s.out\" 2>&1 || echo $? > \"$D/%s.status\") &\n", quoteAll(p.Argv), args, p.ID, p.ID)
		}
	}
	for _, p := range r.Probes {
		if p.Lib != "musl" {
			w("%s %s > \"$D/%s.out\" 2>&1 || echo $? > \"$D/%s.status\"\n", quoteAll(p.Argv), args, p.ID, p.ID)
		}
	}
	w("wait\n")
	// The kernel's source for each destination (connect + getsockname),
	// to judge the engine's host model: asked once, with the first probe.
	w("%s -c", quoteAll(r.Probes[0].Argv))
	for _, d := range sc.Destinations {
		w(" %s", quote(d.String()))
	}
	w(" > \"$D/connect.out\" 2>&1\n")
	w("printf '@@connect '; cat \"$D/connect.out\"\n")
	// One line each, even when a probe died before writing anything.
	for _, p := range r.Probes {
		w("printf '@@run %s %%s\\n' \"$(head -n 1 \"$D/%s.out\")\"\n", p.ID, p.ID)
		w("if [ -f \"$D/%s.status\" ]; then printf '@@exit %s %%s\\n' \"$(cat \"$D/%s.status\")\"; fi\n", p.ID, p.ID, p.ID)
	}
	// After the programs ran: the links and addresses they saw (none can
	// have gone since; a stray one, such as a link-local address the
	// kernel made by itself, would show).
	w("printf 'link show\\naddr show\\n' > \"$D/d\"\n")
	w("echo @@ip-begin\n")
	w("ip -o -batch \"$D/d\"\n")
	w("echo @@ip-end\n")
	return s.String(), nil
}

// checkName refuses names ip's batch parser or the kernel would read
// differently.
func checkName(n string) error {
	if n == "" || len(n) > 15 {
		return fmt.Errorf("oracle: bad interface name %q", n)
	}
	for _, c := range []byte(n) {
		if c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '"' || c == '\'' || c == '\\' || c == '#' {
			return fmt.Errorf("oracle: interface name %q not usable with ip -batch", n)
		}
	}
	return nil
}

// quoteAll quotes each word of argv for sh.
func quoteAll(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = quote(a)
	}
	return strings.Join(q, " ")
}

// quote single-quotes s for sh.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
