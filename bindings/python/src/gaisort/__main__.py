"""`python -m gaisort`: the command line over the module, as thin as it can
be: sort, lint and models, their text rendered by the engine (the same
bytes as the Go command's `gaisort sort`, `gaisort lint`), their JSON the
module's own bytes. Exit status as the Go command's: 0, 1 when lint warns
(or the module fails), 2 on bad input (one line on stderr)."""

import sys
from typing import List, Optional

USAGE = """gaisort (Python): in what order will getaddrinfo() return these addresses, and why?

Usage:
  python -m gaisort sort [--model NAMES] [--json | --compact] [FILE|-]
        Answer the scenario in FILE (or standard input): one scenario object
        or a JSON array of them (docs/scenario.md). Without --model, the
        default models; --json prints the answer object, --compact the
        compact answer.
  python -m gaisort lint [FILE|-]
        Read a gai.conf (default /etc/gai.conf) as glibc 2.36 does and warn
        about each way it differs from what its author probably meant.
        Exit 0 when clean, 1 when there are warnings.
  python -m gaisort models
        List the models.
  python -m gaisort help
        This text.

Exit status: 0 on success, 2 on bad input (one line on standard error).
"""

# The inputs' limits (engine/limits.go): a batch document, a gai.conf.
MAX_BATCH_BYTES = 64 << 20
MAX_GAICONF_BYTES = 65536


class UsageError(Exception):
    pass


def _read(name: str, limit: int, limit_name: str) -> "tuple[bytes, str]":
    shown = "standard input" if name == "-" else name
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(name, "rb") as f:
                data = f.read(limit + 1)
    except FileNotFoundError:
        raise UsageError("open %s: no such file or directory" % name) from None
    except OSError as e:
        raise UsageError("reading %s: %s" % (shown, e.strerror or e)) from None
    if len(data) > limit:
        raise UsageError("%s: larger than the limit of %d bytes (%s)" % (shown, limit, limit_name))
    return data, shown


def _models_text(models: List[dict]) -> str:
    # As engine.AppendModelsText (the Go command's `gaisort models`): the
    # module lists the models as JSON; the text is one padded column.
    out = []
    for m in models:
        name = m["name"] + (" (%s)" % ", ".join(m["aliases"]) if m["aliases"] else "")
        out.append("%-24s %s\n" % (name, m["summary"]))
        if m.get("ships"):
            out.append("%-24s shipped by %s\n" % ("", m["ships"]))
    return "".join(out)


def _sort_args(args: List[str]) -> dict:
    o = {"models": None, "json": False, "compact": False, "file": "-"}
    files = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--json", "-json"):
            o["json"] = True
        elif a in ("--compact", "-compact"):
            o["json"] = o["compact"] = True
        elif a in ("--model", "-model"):
            if i + 1 >= len(args):
                raise UsageError("--model needs a comma list of model names")
            i += 1
            o["models"] = args[i]
        elif a.startswith(("--model=", "-model=")):
            o["models"] = a.split("=", 1)[1]
        elif a == "-" or not a.startswith("-"):
            files.append(a)
        else:
            raise UsageError("unknown flag %s (flags: --model NAMES, --json, --compact)" % _quote(a))
        i += 1
    if len(files) > 1:
        raise UsageError("sort reads one FILE (or - for standard input)")
    if files:
        o["file"] = files[0]
    return o


def _quote(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)


def _main(args: List[str]) -> int:
    import gaisort

    if not args:
        sys.stdout.write(USAGE)
        raise UsageError("no command given (try: python -m gaisort models)")
    cmd = args[0]
    if cmd in ("help", "-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if cmd not in ("sort", "lint", "models"):
        raise UsageError("unknown command %s (commands: sort, lint, models, help)" % _quote(cmd))
    if cmd == "models":
        if len(args) > 1:
            raise UsageError("models takes no arguments")
        sys.stdout.write(_models_text(gaisort.models()))
        return 0
    if cmd == "lint":
        if len(args) > 2:
            raise UsageError("lint reads one FILE (or - for standard input)")
        name = args[1] if len(args) > 1 else "/etc/gai.conf"
        data, _ = _read(name, MAX_GAICONF_BYTES, "MaxGaiConfBytes")
        r = gaisort.lint(data, name)
        sys.stdout.write(r["text"])
        return 1 if r["warnings"] else 0
    o = _sort_args(args[1:])
    data, shown = _read(o["file"], MAX_BATCH_BYTES, "MaxBatchBytes")
    rt = gaisort.default_runtime()
    try:
        if not o["json"]:
            sys.stdout.write(rt.sort_text(data, o["models"]))
            return 0
        batch = data.lstrip()[:1] == b"["
        if batch:
            out = rt._sort_raw(data, o["models"], 2 | (1 if o["compact"] else 0))
        else:
            out = rt.sort_json(data, o["models"], o["compact"])
        if out.startswith(b'{"error":'):
            from ._runtime import _answer

            _answer(out)  # raises
        sys.stdout.buffer.write(out + b"\n")
    except gaisort.GaisortError as e:
        if e.code == "bad_scenario":
            raise UsageError("%s: %s%s" % (shown, e.path + ": " if e.path else "", e.message)) from None
        raise
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    import gaisort

    try:
        code = _main(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()
        return code
    except UsageError as e:
        sys.stderr.write("gaisort: %s\n" % str(e).replace("\n", " "))
        return 2
    except gaisort.GaisortError as e:
        sys.stderr.write("gaisort: %s\n" % e.message.replace("\n", " "))
        return 2 if e.code in ("bad_scenario", "unknown_model", "too_large") else 1


if __name__ == "__main__":
    sys.exit(main())
