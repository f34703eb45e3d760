package oracle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Probe is gai.c built against one version, and how to run it.
type Probe struct {
	Version
	// Path is the built program.
	Path string
	// Argv runs it, before the probe's own arguments: for glibc, that
	// version's own loader with its own library directory
	// (ld-linux-x86-64.so.2 --library-path DIR PROGRAM); for musl, the
	// static program itself.
	Argv []string
}

// Command is the probe's command line with args.
func (p Probe) Command(args ...string) []string {
	return append(append([]string(nil), p.Argv...), args...)
}

// glibcLibPath is the library directories of a glibc root, in the order its
// own ld.so.conf would give them.
func glibcLibPath(root string) string {
	return filepath.Join(root, "lib", "x86_64-linux-gnu") + ":" + filepath.Join(root, "usr", "lib", "x86_64-linux-gnu")
}

// Build builds the probe for v (its packages fetched and unpacked by
// Fetch) unless it is already built from the same source and packages,
// then checks it: run with -v, it must report v's version, else it is
// refused.
//
// glibc: compiled against that version's own headers (-nostdinc; the
// kernel's headers, linux/ asm/ asm-generic/, from the machine) and linked
// against its own crt files and libc.so linker script (--sysroot makes the
// script's absolute paths name files of the root; -B and -L put the root's
// crt files and libraries before the machine's), so that glibc 2.31's
// probe asks for no GLIBC_2.34 symbol. Run through that version's own
// loader.
//
// musl: linked statically against that version's own libc.a, with the
// specs musl-gcc uses (musl's tools/musl-gcc.specs.sh, as Debian ships it
// in /usr/lib/x86_64-linux-musl/musl-gcc.specs) with its paths changed to
// the root. The link is traced and must have used the root's libc.a; the
// version the probe reports is the one that version's own loader
// (ld-musl-x86_64.so.1) prints, compiled in, since a static musl carries
// no version string of its own.
func (c *Cache) Build(v Version) (Probe, error) {
	root := c.Root(v.ID)
	stamp, err := os.ReadFile(filepath.Join(root, ".gaisort-unpacked"))
	if err != nil {
		return Probe{}, &VersionError{v.ID, fmt.Errorf("not unpacked: %v", err)}
	}
	h := sha256.New()
	h.Write(gaiSource)
	h.Write(stamp)
	h.Write([]byte(buildRecipe))
	tag := hex.EncodeToString(h.Sum(nil)[:6])
	dir := filepath.Join(c.Dir, "probes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Probe{}, err
	}
	p := Probe{Version: v, Path: filepath.Join(dir, "gai-"+v.ID+"-"+tag)}
	if v.Lib == "glibc" {
		p.Argv = []string{filepath.Join(root, "lib64", "ld-linux-x86-64.so.2"), "--library-path", glibcLibPath(root), p.Path}
	} else {
		p.Argv = []string{p.Path}
	}
	if _, err := os.Stat(p.Path); err != nil {
		if err := c.build(v, root, p.Path); err != nil {
			return Probe{}, &VersionError{v.ID, err}
		}
	}
	if err := p.check(); err != nil {
		return Probe{}, &VersionError{v.ID, err}
	}
	return p, nil
}

// buildRecipe changes when the way probes are built does: it is part of
// their cache tag.
const buildRecipe = "recipe 1: glibc sysroot -nostdinc; musl specs + trace"

func (c *Cache) build(v Version, root, out string) error {
	src := filepath.Join(c.Dir, "probes", "gai.c")
	if err := writeIfChanged(src, string(gaiSource)); err != nil {
		return err
	}
	var args []string
	switch v.Lib {
	case "glibc":
		kinc, err := c.kernelHeaders()
		if err != nil {
			return err
		}
		gccInc, err := exec.Command("gcc", "-print-file-name=include").Output()
		if err != nil {
			return fmt.Errorf("gcc -print-file-name=include: %v", err)
		}
		lib := filepath.Join(root, "usr", "lib", "x86_64-linux-gnu")
		args = []string{
			"--sysroot=" + root, "-nostdinc",
			"-isystem", filepath.Join(root, "usr", "include", "x86_64-linux-gnu"),
			"-isystem", filepath.Join(root, "usr", "include"),
			"-isystem", strings.TrimSpace(string(gccInc)),
			"-isystem", kinc,
			"-B", lib + "/", "-L" + lib, "-L" + filepath.Join(root, "lib", "x86_64-linux-gnu"),
			"-static-libgcc",
		}
	case "musl":
		ver, err := muslLoaderVersion(root)
		if err != nil {
			return err
		}
		if ver != v.Number {
			return fmt.Errorf("the packages' musl loader says version %s, not %s", ver, v.Number)
		}
		specs := out + ".specs"
		if err := os.WriteFile(specs, []byte(muslSpecs(root)), 0o644); err != nil {
			return err
		}
		args = []string{"-specs", specs, "-static", fmt.Sprintf("-DGAI_LIBC_VERSION=%q", ver)}
	default:
		return fmt.Errorf("unknown library %q", v.Lib)
	}
	args = append(args, "-O2", "-Wall", "-Wl,--trace", "-o", out+".tmp", src)
	b, err := exec.Command("gcc", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("gcc %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	// The link must have used the root's C library and nothing of the
	// machine's.
	want := map[string]string{
		"glibc": filepath.Join(root, "usr", "lib", "x86_64-linux-gnu", "libc_nonshared.a"),
		"musl":  filepath.Join(root, "usr", "lib", "x86_64-linux-musl", "libc.a"),
	}[v.Lib]
	used := false
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		base := filepath.Base(l)
		if !strings.HasPrefix(base, "libc.") && !strings.HasPrefix(base, "libc_") && !strings.HasPrefix(base, "ld-") {
			continue
		}
		if !strings.HasPrefix(l, root+"/") {
			return fmt.Errorf("the link used %s, outside %s", l, root)
		}
		used = used || l == want
	}
	if !used {
		return fmt.Errorf("the link did not use %s:\n%s", want, b)
	}
	return os.Rename(out+".tmp", out)
}

// kernelHeaders is a directory holding only the machine's kernel headers
// (linux/, asm/, asm-generic/ from linux-libc-dev), which glibc's headers
// include and no glibc package ships.
func (c *Cache) kernelHeaders() (string, error) {
	d := filepath.Join(c.Dir, "kernel-include")
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	for name, target := range map[string]string{
		"linux":       "/usr/include/linux",
		"asm-generic": "/usr/include/asm-generic",
		"asm":         "/usr/include/x86_64-linux-gnu/asm",
	} {
		if _, err := os.Stat(target); err != nil {
			return "", fmt.Errorf("kernel headers: %v (Debian package linux-libc-dev)", err)
		}
		l := filepath.Join(d, name)
		if t, err := os.Readlink(l); err == nil && t == target {
			continue
		}
		os.Remove(l)
		if err := os.Symlink(target, l); err != nil {
			return "", err
		}
	}
	return d, nil
}

var muslVersionLine = regexp.MustCompile(`(?m)^Version ([0-9][0-9.]*)$`)

// muslLoaderVersion runs the root's musl loader (libc.so), which prints
// "musl libc (x86_64)\nVersion 1.2.5\n..." when run with no argument.
func muslLoaderVersion(root string) (string, error) {
	for _, p := range []string{"lib/ld-musl-x86_64.so.1", "usr/lib/ld-musl-x86_64.so.1", "usr/lib/x86_64-linux-musl/libc.so"} {
		f := filepath.Join(root, p)
		if _, err := os.Stat(f); err != nil {
			continue
		}
		out, _ := exec.Command(f).CombinedOutput() // exits 1 by design
		if m := muslVersionLine.FindSubmatch(out); m != nil {
			return string(m[1]), nil
		}
		return "", fmt.Errorf("%s printed no version: %q", f, out)
	}
	return "", errors.New("no musl loader (ld-musl-x86_64.so.1) in the musl package")
}

// muslSpecs is musl-gcc.specs with root's paths.
func muslSpecs(root string) string {
	lib := filepath.Join(root, "usr", "lib", "x86_64-linux-musl")
	inc := filepath.Join(root, "usr", "include", "x86_64-linux-musl")
	return `%rename cpp_options old_cpp_options

*cpp_options:
-nostdinc -isystem ` + inc + ` -isystem include%s %(old_cpp_options)

*cc1:
%(cc1_cpu) -nostdinc -isystem ` + inc + ` -isystem include%s

*link_libgcc:
-L` + lib + ` -L .%s

*libgcc:
libgcc.a%s %:if-exists(libgcc_eh.a%s)

*startfile:
%{shared:;static-pie:` + lib + `/rcrt1.o; :` + lib + `/Scrt1.o} ` + lib + `/crti.o crtbeginS.o%s

*endfile:
crtendS.o%s ` + lib + `/crtn.o

*link:
-dynamic-linker /lib/ld-musl-x86_64.so.1 -nostdlib %{shared:-shared} %{static:-static} %{static-pie:-static -pie --no-dynamic-linker} %{rdynamic:-export-dynamic}

*esp_link:


*esp_options:


*esp_cpp_options:


`
}

// check runs the probe with -v: it must name its library and version as
// p's ({"libc":"glibc","version":"2.31"}).
func (p Probe) check() error {
	argv := p.Command("-v")
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	var got struct{ Libc, Version string }
	if err := json.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("%s: bad output %q", strings.Join(argv, " "), out)
	}
	if got.Libc != p.Lib || got.Version != p.Number {
		return fmt.Errorf("the probe runs %s %s, not %s %s: refused", got.Libc, got.Version, p.Lib, p.Number)
	}
	return nil
}
