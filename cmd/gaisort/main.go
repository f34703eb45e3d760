// Command gaisort shows in what order getaddrinfo() returns a name's
// addresses on a Linux host, and why, for RFC 6724 and each modelled C
// library. See `gaisort help`.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

const usage = `gaisort: in what order will getaddrinfo() return these addresses, and why?

Usage:
  gaisort sort [--model NAMES] [--json | --compact] [FILE|-]
        Answer the scenario in FILE (or standard input): one scenario object
        or a JSON array of them, in the format of docs/scenario.md.
        --model takes a comma list of model names or aliases; without
        --model, the default models: the RFC and the newest glibc and musl
        (gaisort models lists every version). An empty list (--model "") is an error.
        --json prints {"results":[...]} per scenario (an array for an array).
        --compact prints the compact answer instead: per model its order (or
        error) and the deciding rules' IDs, no explanations (docs/scenario.md).
  gaisort demo [--json]
        The classic case: a Docker container with 172.19.0.7/16 and
        fd00:dead:beef::7/64 resolving a dual-stack name.
  gaisort lint [FILE|-]
        Read a gai.conf (default /etc/gai.conf) as glibc 2.36 does and warn
        about each way it differs from what its author probably meant.
        Exit 0 when clean, 1 when there are warnings.
  gaisort models
        List the models.
  gaisort version
        The version of this command and the Go release that built it.
  gaisort help
        This text.

Exit status: 0 on success, 2 on bad input (one line on standard error).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// version is the release this command is built from: `make dist` stamps
// it (-ldflags -X main.version=...) from wasm/main.go's Version; a plain
// `go build` says "devel".
var version = "devel"

// usageError is bad input: exit 2 with its message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	w := bufio.NewWriterSize(stdout, 64<<10)
	err := dispatch(args, stdin, w)
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err == errLintWarnings {
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "gaisort: "+oneLine(err.Error()))
		var ue usageError
		var se *engine.ScenarioError
		if errors.As(err, &ue) || errors.As(err, &se) {
			return 2
		}
		return 1
	}
	return 0
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func dispatch(args []string, stdin io.Reader, w io.Writer) error {
	if len(args) == 0 {
		io.WriteString(w, usage)
		return usageError{"no command given (try: gaisort demo)"}
	}
	switch args[0] {
	case "sort":
		return cmdSort(args[1:], stdin, w)
	case "demo":
		return cmdDemo(args[1:], w)
	case "lint":
		return cmdLint(args[1:], stdin, w)
	case "models":
		if len(args) > 1 {
			return usageError{"models takes no arguments"}
		}
		_, err := w.Write(engine.AppendModelsText(nil))
		return err
	case "version", "--version":
		if len(args) > 1 {
			return usageError{"version takes no arguments"}
		}
		fmt.Fprintf(w, "gaisort %s (%s)\n", version, runtime.Version())
		return nil
	case "help", "-h", "--help":
		io.WriteString(w, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (commands: sort, demo, lint, models, version, help)", args[0])}
}

// options are the flags of sort and demo.
type options struct {
	json    bool
	compact bool
	models  []engine.Model
	files   []string
}

func parseOptions(args []string, allowFile bool) (*options, error) {
	o := &options{models: engine.DefaultModels()}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--json" || a == "-json":
			o.json = true
		case a == "--compact" || a == "-compact":
			o.json, o.compact = true, true
		case a == "--model" || a == "-model" || strings.HasPrefix(a, "--model=") || strings.HasPrefix(a, "-model="):
			var v string
			if k := strings.IndexByte(a, '='); k >= 0 {
				v = a[k+1:]
			} else {
				if i+1 >= len(args) {
					return nil, usageError{"--model needs a comma list of model names"}
				}
				i++
				v = args[i]
			}
			ms, err := lookupModels(v)
			if err != nil {
				return nil, err
			}
			o.models = ms
		case a == "-" || !strings.HasPrefix(a, "-"):
			if !allowFile {
				return nil, usageError{fmt.Sprintf("unexpected argument %q", a)}
			}
			o.files = append(o.files, a)
		default:
			return nil, usageError{fmt.Sprintf("unknown flag %q (flags: --model NAMES, --json, --compact)", a)}
		}
	}
	if len(o.files) > 1 {
		return nil, usageError{"sort reads one FILE (or - for standard input)"}
	}
	return o, nil
}

func lookupModels(list string) ([]engine.Model, error) {
	var out []engine.Model
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		m, ok := engine.LookupModel(n)
		if !ok {
			return nil, usageError{fmt.Sprintf("unknown model %q (known: %s)", n, strings.Join(engine.ModelNames(), ", "))}
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, usageError{fmt.Sprintf("--model names no model: name at least one (known: %s), or leave --model out for the default models", strings.Join(engine.ModelNames(), ", "))}
	}
	return out, nil
}

func cmdSort(args []string, stdin io.Reader, w io.Writer) error {
	o, err := parseOptions(args, true)
	if err != nil {
		return err
	}
	name := "-"
	if len(o.files) > 0 {
		name = o.files[0]
	}
	data, name, err := readBounded(name, stdin, engine.MaxBatchBytes, "MaxBatchBytes")
	if err != nil {
		return err
	}
	scs, err := engine.ParseScenarios(data)
	if err != nil {
		return usageError{name + ": " + err.Error()}
	}
	batch := isArray(data)
	return answer(w, scs, batch, o)
}

// isArray reports whether the document is a JSON array (a batch).
func isArray(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '['
	}
	return false
}

func answer(w io.Writer, scs []*engine.Scenario, batch bool, o *options) error {
	var rn engine.Runner
	if o.json {
		buf := make([]byte, 0, 64<<10)
		if batch {
			buf = append(buf, '[')
		}
		for i, sc := range scs {
			if i > 0 {
				buf = append(buf, ',')
			}
			if o.compact {
				buf = engine.AppendCompactAnswer(buf, rn.Run(sc, o.models))
			} else {
				buf = engine.AppendAnswer(buf, rn.Run(sc, o.models))
			}
			if len(buf) > 32<<10 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		if batch {
			buf = append(buf, ']')
		}
		buf = append(buf, '\n')
		_, err := w.Write(buf)
		return err
	}
	// The human answer is the engine's (engine.AppendText): the module
	// renders the same text for the bindings' command lines.
	var buf []byte
	for i, sc := range scs {
		buf = buf[:0]
		if batch {
			buf = engine.AppendBatchHeader(buf, i, len(scs))
		}
		buf = engine.AppendText(buf, rn.Run(sc, o.models))
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// demoScenario is the container case of the README: Docker's bridge with
// an IPv6 ULA, resolving a dual-stack name.
const demoScenario = `{
  "version": 1,
  "interfaces": [{"name": "eth0", "addresses": [{"cidr": "172.19.0.7/16"}, {"cidr": "fd00:dead:beef::7/64"}]}],
  "routes": [
    {"to": "default", "via": "172.19.0.1", "dev": "eth0"},
    {"to": "::/0", "via": "fd00:dead:beef::1", "dev": "eth0"}
  ],
  "destinations": ["2a00:1450:4001:82b::200e", "142.250.74.206"]
}`

func cmdDemo(args []string, w io.Writer) error {
	o, err := parseOptions(args, false)
	if err != nil {
		return err
	}
	sc, err := engine.ParseScenario([]byte(demoScenario))
	if err != nil {
		return err
	}
	if !o.json {
		io.WriteString(w, "A Docker container with 172.19.0.7/16 and fd00:dead:beef::7/64 resolves a\n"+
			"dual-stack name to 2a00:1450:4001:82b::200e and 142.250.74.206 (in that order):\n\n")
	}
	return answer(w, []*engine.Scenario{sc}, false, o)
}

// readBounded reads the file name ("-": standard input) whole, but never
// more than limit+1 bytes of it: a file past the format's limit (or
// endless, as /dev/zero) is refused after limit+1 bytes, not read to the
// end. It returns the name to show for the file.
func readBounded(name string, stdin io.Reader, limit int, limitName string) ([]byte, string, error) {
	r := stdin
	if name == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, name, usageError{err.Error()}
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, name, usageError{"reading " + name + ": " + err.Error()}
	}
	if len(data) > limit {
		return nil, name, usageError{fmt.Sprintf("%s: larger than the limit of %d bytes (%s)", name, limit, limitName)}
	}
	return data, name, nil
}

// errLintWarnings makes `gaisort lint` exit 1 after printing warnings.
var errLintWarnings = errors.New("")

func cmdLint(args []string, stdin io.Reader, w io.Writer) error {
	name := "/etc/gai.conf"
	switch {
	case len(args) > 1:
		return usageError{"lint reads one FILE (or - for standard input)"}
	case len(args) == 1:
		name = args[0]
	}
	data, _, err := readBounded(name, stdin, engine.MaxGaiConfBytes, "MaxGaiConfBytes")
	if err != nil {
		return err
	}
	notes := engine.LintGaiConf(string(data))
	if _, err := w.Write(engine.AppendLintText(nil, name, notes)); err != nil {
		return err
	}
	if len(notes) == 0 {
		return nil
	}
	return errLintWarnings
}
