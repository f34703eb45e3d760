package oracle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Version is one real library version the oracle runs: the Debian suite
// whose packages carry it, fetched with apt into the cache (Fetch) and run
// beside the machine's own libraries, never installed.
type Version struct {
	// ID names the version as the models and the vectors do
	// ("glibc-2.41"): the engine model of the same ID is judged against it.
	ID string
	// Lib is "glibc" or "musl"; Number the upstream version the packages
	// must carry ("2.41"): anything else is refused, loudly.
	Lib, Number string
	// Suite is the Debian suite that serves it.
	Suite string
	// Packages are the binary packages fetched: the run-time library and
	// what the probe links against (glibc's crt files, libc.so linker
	// script and headers; musl's libc.a, crt files and headers).
	Packages []string
}

// Versions are every version the oracle runs, in report order: one per
// model of the registry that names a Debian suite (engine.ModelInfo.Debian:
// bullseye (11), bookworm (12, this machine's), trixie (13), sid), so a new
// library version is judged as soon as it is modelled. sid moves: when it
// serves another upstream version than the model names, Fetch fails naming
// the version found, and the model must follow.
var Versions = func() []Version {
	var out []Version
	for _, m := range engine.Models() {
		info := m.Info()
		if info.Debian == "" {
			continue
		}
		v := Version{ID: info.Name, Lib: info.Library.String(), Number: info.Version, Suite: info.Debian}
		switch info.Library {
		case engine.LibraryGlibc:
			v.Packages = glibcPackages
		case engine.LibraryMusl:
			v.Packages = muslPackages
		}
		out = append(out, v)
	}
	return out
}()

var (
	glibcPackages = []string{"libc6", "libc6-dev"}
	muslPackages  = []string{"musl", "musl-dev"}
)

// HostGlibc and HostMusl are the versions of the oracle's reference
// environment (Debian 12, this machine's), which the vectors' old keys
// "glibc" and "musl" meant (internal/vectors reads them so), and against
// which the other versions of each library are compared in the reports.
var (
	HostGlibc = hostVersion(engine.LibraryGlibc)
	HostMusl  = hostVersion(engine.LibraryMusl)
)

// hostSuite is this machine's Debian suite, the reference environment.
const hostSuite = "bookworm"

// hostVersion is the ID of lib's version from the reference environment's
// suite.
func hostVersion(lib engine.Library) string {
	for _, m := range engine.Models() {
		if info := m.Info(); info.Library == lib && info.Debian == hostSuite {
			return info.Name
		}
	}
	return ""
}

// LookupVersion finds a version by its ID. The bare "glibc" and "musl" are
// refused: the engine's aliases name the newest version, the old vectors'
// keys the reference environment's; an ID says which.
func LookupVersion(id string) (Version, bool) {
	for _, v := range Versions {
		if v.ID == id {
			return v, true
		}
	}
	return Version{}, false
}

// ParseVersions reads a comma-separated list of version IDs; "" and "all"
// mean every version. An unknown ID is an error naming it and the known
// ones.
func ParseVersions(list string) ([]Version, error) {
	list = strings.TrimSpace(list)
	if list == "" || list == "all" {
		return Versions, nil
	}
	var out []Version
	seen := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		v, ok := LookupVersion(id)
		if !ok {
			return nil, fmt.Errorf("unknown library version %q (known: %s)", id, strings.Join(IDs(Versions), ", "))
		}
		if !seen[v.ID] {
			seen[v.ID] = true
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no library version named")
	}
	return out, nil
}

// IDs lists the versions' IDs.
func IDs(vs []Version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// VersionError is a version that could not be fetched, checked or built:
// one line naming the version and why.
type VersionError struct {
	ID  string
	Err error
}

func (e *VersionError) Error() string { return e.ID + ": " + e.Err.Error() }
func (e *VersionError) Unwrap() error { return e.Err }

// Cache is the oracle's build directory (build/oracle by default):
//
//	apt/         a private apt configuration: sources.list, apt.conf,
//	             lists, cache; the machine's own apt state is never read
//	             nor written
//	debs/<suite> the downloaded packages, kept: a run whose packages are
//	             all there touches no network
//	libs/<id>/   each version's packages, unpacked (dpkg-deb -x)
//	probes/      the probes built against each version
type Cache struct {
	Dir string
	// Log receives one line per network step (apt-get update, download);
	// nil for none.
	Log io.Writer
	// Debian's mirror, as this machine's own sources name it.
	Mirror  string
	Keyring string
	updated bool
}

// NewCache returns the cache in dir ("" means DefaultDir()).
func NewCache(dir string) (*Cache, error) {
	if dir == "" {
		dir = DefaultDir()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Cache{Dir: dir, Mirror: "http://deb.debian.org/debian", Keyring: "/usr/share/keyrings/debian-archive-keyring.gpg"}, nil
}

// DefaultDir is build/oracle at the root of the module holding the working
// directory (found by its go.mod), else a directory under os.TempDir.
func DefaultDir() string {
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module github.com/gaisort/gaisort\n")) {
				return filepath.Join(d, "build", "oracle")
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return filepath.Join(os.TempDir(), "gaisort-oracle")
}

// Root is where version id's packages are unpacked.
func (c *Cache) Root(id string) string { return filepath.Join(c.Dir, "libs", id) }

func (c *Cache) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// aptConf is the private apt configuration, read through APT_CONFIG
// before anything else, so that apt reads none of the machine's apt.conf.d
// (Dir::Etc::parts), sources, lists, cache or dpkg status.
func (c *Cache) aptConf() string {
	a := filepath.Join(c.Dir, "apt")
	var b strings.Builder
	b.WriteString("// gaisort's oracle: a private apt configuration (internal/oracle/versions.go).\n")
	set := func(k, v string) { fmt.Fprintf(&b, "%s \"%s\";\n", k, v) }
	set("Dir::Etc::main", filepath.Join(a, "apt.conf"))
	set("Dir::Etc::parts", filepath.Join(a, "apt.conf.d"))
	set("Dir::Etc::sourcelist", filepath.Join(a, "sources.list"))
	set("Dir::Etc::sourceparts", filepath.Join(a, "sources.list.d"))
	set("Dir::Etc::preferences", filepath.Join(a, "preferences"))
	set("Dir::Etc::preferencesparts", filepath.Join(a, "preferences.d"))
	set("Dir::State", filepath.Join(a, "state"))
	set("Dir::State::status", filepath.Join(a, "state", "status"))
	set("Dir::Cache", filepath.Join(a, "cache"))
	// No package cache files on disk (230 MB for four suites): apt builds
	// it in memory, which is enough for a download.
	set("Dir::Cache::pkgcache", "")
	set("Dir::Cache::srcpkgcache", "")
	set("Debug::NoLocking", "true")
	// The downloads land in a directory of root's: no _apt sandbox.
	set("APT::Sandbox::User", "root")
	set("APT::Architecture", "amd64")
	b.WriteString("APT::Architectures { \"amd64\"; };\n")
	set("Acquire::Languages", "none")
	set("Acquire::GzipIndexes", "true")
	// The mirror this workplace reaches serves Release files whose
	// Valid-Until is past by the machine's clock (sid's, by weeks); the
	// machine's own apt configuration turns the check off for the same
	// reason. The signatures are still checked (signed-by).
	set("Acquire::Check-Valid-Until", "false")
	return b.String()
}

// apt runs an apt tool under the private configuration.
func (c *Cache) apt(dir, tool string, args ...string) *exec.Cmd {
	cmd := exec.Command(tool, append([]string{"-q"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "APT_CONFIG="+filepath.Join(c.Dir, "apt", "apt.conf"))
	return cmd
}

// writeAptConfig lays out the private apt configuration: every suite of
// Versions from the machine's mirror, signed by its archive keyring.
func (c *Cache) writeAptConfig() error {
	a := filepath.Join(c.Dir, "apt")
	for _, d := range []string{"apt.conf.d", "sources.list.d", "preferences.d", "state/lists/partial", "cache/archives/partial"} {
		if err := os.MkdirAll(filepath.Join(a, d), 0o755); err != nil {
			return err
		}
	}
	var src strings.Builder
	seen := map[string]bool{}
	for _, v := range Versions {
		if !seen[v.Suite] {
			seen[v.Suite] = true
			fmt.Fprintf(&src, "deb [arch=amd64 signed-by=%s] %s %s main\n", c.Keyring, c.Mirror, v.Suite)
		}
	}
	files := map[string]string{
		"sources.list": src.String(),
		"apt.conf":     c.aptConf(),
		"preferences":  "",
	}
	for name, text := range files {
		if err := writeIfChanged(filepath.Join(a, name), text); err != nil {
			return err
		}
	}
	status := filepath.Join(a, "state", "status")
	if _, err := os.Stat(status); err != nil {
		return os.WriteFile(status, nil, 0o644)
	}
	return nil
}

func writeIfChanged(path, text string) error {
	if b, err := os.ReadFile(path); err == nil && string(b) == text {
		return nil
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// update runs apt-get update under the private configuration, once per
// Cache.
func (c *Cache) update() error {
	if c.updated {
		return nil
	}
	if err := c.writeAptConfig(); err != nil {
		return err
	}
	c.logf("oracle: apt-get update (private lists under %s)", filepath.Join(c.Dir, "apt"))
	cmd := c.apt(c.Dir, "apt-get", "update")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("apt-get update: %v\n%s", err, tail(out, 10))
	}
	c.logFetched(out)
	c.updated = true
	return nil
}

// Policy returns apt-cache policy's table for the packages under the
// private configuration (running apt-get update first if its lists are
// missing): which version each suite serves.
func (c *Cache) Policy(pkgs ...string) (string, error) {
	if err := c.writeAptConfig(); err != nil {
		return "", err
	}
	if !c.haveLists() {
		if err := c.update(); err != nil {
			return "", err
		}
	}
	out, err := c.apt(c.Dir, "apt-cache", append([]string{"policy"}, pkgs...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("apt-cache policy: %v\n%s", err, out)
	}
	return string(out), nil
}

func (c *Cache) haveLists() bool {
	m, _ := filepath.Glob(filepath.Join(c.Dir, "apt", "state", "lists", "*_Packages*"))
	return len(m) > 0
}

// debFor returns the cached .deb of pkg for v: the one whose upstream
// version is v.Number ("" when none is there), and the versions of any
// other cached ones.
func (c *Cache) debFor(v Version, pkg string) (string, []string, error) {
	files, err := filepath.Glob(filepath.Join(c.Dir, "debs", v.Suite, pkg+"_*.deb"))
	if err != nil {
		return "", nil, err
	}
	sort.Strings(files)
	var others []string
	for _, f := range files {
		ver, err := debVersion(f)
		if err != nil {
			return "", nil, err
		}
		if upstream(ver) == v.Number {
			return f, nil, nil
		}
		others = append(others, ver)
	}
	return "", others, nil
}

// debVersion is the Version field of a .deb.
func debVersion(file string) (string, error) {
	out, err := exec.Command("dpkg-deb", "-f", file, "Version").Output()
	if err != nil {
		return "", fmt.Errorf("dpkg-deb -f %s Version: %v", file, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// upstream is the upstream part of a Debian version: "2.41-12+deb13u5" ->
// "2.41", "1:2.3-1" -> "2.3".
func upstream(v string) string {
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		v = v[:i]
	}
	return v
}

// Fetch makes sure every version of vs has its packages downloaded,
// checked and unpacked under libs/<id>: no network when they all are
// already there. A package that cannot be fetched, or whose upstream
// version is not the one the version names, is a *VersionError.
func (c *Cache) Fetch(vs []Version) error {
	// What is missing, by suite: one apt-get download per suite.
	missing := map[string][]string{}
	var suites []string
	for _, v := range vs {
		for _, p := range v.Packages {
			f, _, err := c.debFor(v, p)
			if err != nil {
				return &VersionError{v.ID, err}
			}
			if f == "" {
				if len(missing[v.Suite]) == 0 {
					suites = append(suites, v.Suite)
				}
				missing[v.Suite] = append(missing[v.Suite], p)
			}
		}
	}
	if len(suites) > 0 {
		if err := c.update(); err != nil {
			return &VersionError{idsOf(vs, suites...), err}
		}
	}
	for _, s := range suites {
		dir := filepath.Join(c.Dir, "debs", s)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		var args []string
		for _, p := range missing[s] {
			args = append(args, p+"/"+s)
		}
		c.logf("oracle: apt-get download %s", strings.Join(args, " "))
		cmd := c.apt(dir, "apt-get", append([]string{"download"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return &VersionError{idsOf(vs, s), fmt.Errorf("apt-get download %s: %v\n%s", strings.Join(args, " "), err, tail(out, 10))}
		} else {
			c.logFetched(out)
		}
	}
	for _, v := range vs {
		var debs []string
		for _, p := range v.Packages {
			f, others, err := c.debFor(v, p)
			if err != nil {
				return &VersionError{v.ID, err}
			}
			if f == "" {
				return &VersionError{v.ID, fmt.Errorf("Debian %s serves %s %s, not upstream %s", v.Suite, p, strings.Join(others, ", "), v.Number)}
			}
			debs = append(debs, f)
		}
		if err := c.unpack(v, debs); err != nil {
			return &VersionError{v.ID, err}
		}
	}
	return nil
}

// idsOf names the versions of vs served by the suites.
func idsOf(vs []Version, suites ...string) string {
	var ids []string
	for _, v := range vs {
		for _, s := range suites {
			if v.Suite == s {
				ids = append(ids, v.ID)
				break
			}
		}
	}
	return strings.Join(ids, ",")
}

// unpack extracts debs into libs/<id> unless a stamp says it was done with
// these very files. Absolute symbolic links are made relative to the root
// (libc6's /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-2.31.so
// would otherwise name the machine's own loader), and a merged-/usr tree
// (trixie, sid) gets /lib and /lib64 links, since libc.so's linker script
// names /lib64/ld-linux-x86-64.so.2.
func (c *Cache) unpack(v Version, debs []string) error {
	root := c.Root(v.ID)
	stamp := filepath.Join(root, ".gaisort-unpacked")
	want := strings.Join(debs, "\n") + "\n"
	if b, err := os.ReadFile(stamp); err == nil && string(b) == want {
		return nil
	}
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	for _, d := range debs {
		if out, err := exec.Command("dpkg-deb", "-x", d, root).CombinedOutput(); err != nil {
			return fmt.Errorf("dpkg-deb -x %s: %v\n%s", d, err, out)
		}
	}
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return err
		}
		t, err := os.Readlink(p)
		if err != nil || !filepath.IsAbs(t) {
			return err
		}
		rel, err := filepath.Rel(filepath.Dir(p), filepath.Join(root, t))
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.Symlink(rel, p)
	})
	if err != nil {
		return err
	}
	for _, d := range []string{"lib", "lib64"} {
		if _, err := os.Lstat(filepath.Join(root, d)); errors.Is(err, os.ErrNotExist) {
			if _, err := os.Stat(filepath.Join(root, "usr", d)); err == nil {
				if err := os.Symlink(filepath.Join("usr", d), filepath.Join(root, d)); err != nil {
					return err
				}
			}
		}
	}
	return os.WriteFile(stamp, []byte(want), 0o644)
}

// PackageVersions is the Debian version of each package of v as cached
// ("libc6 2.41-12+deb13u5"), for the vectors' environment line.
func (c *Cache) PackageVersions(v Version) string {
	f, _, err := c.debFor(v, v.Packages[0])
	if err != nil || f == "" {
		return ""
	}
	ver, err := debVersion(f)
	if err != nil {
		return ""
	}
	return v.Packages[0] + " " + ver
}

// logFetched logs apt's "Fetched 37.2 MB in 9s (4,100 kB/s)" line.
func (c *Cache) logFetched(out []byte) {
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Fetched ") {
			c.logf("oracle:   %s", strings.TrimSpace(l))
		}
	}
}

func tail(b []byte, n int) string {
	l := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
