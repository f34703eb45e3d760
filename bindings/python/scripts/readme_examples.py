"""Runs the README's examples and checks that each prints what it shows.

Each ```python block followed by a ``` block (its output): the code is run
in a new interpreter (this one's, with the installed gaisort), and every
line of the output block must be among the lines it printed (a new model
may add lines). The README is read from the installed distribution's own
metadata (its long description) by default, so that `make dist-test` checks
the README inside the wheel; --readme FILE reads a file instead.

Usage: python readme_examples.py [--readme FILE]   (exit 0: all printed)
"""

import re
import subprocess
import sys
from typing import List, Tuple

PAIR = re.compile(r"```python\n(.*?)```(?:(?!```).)*?```\n(.*?)```", re.S)


def examples(readme: str) -> List[Tuple[str, List[str]]]:
    return [(code, out.strip("\n").split("\n")) for code, out in PAIR.findall(readme)]


def check(readme: str, cwd: str = ".") -> List[str]:
    """The problems found (empty: every example printed its lines)."""
    found = examples(readme)
    if len(found) < 2:
        return ["README examples not found (%d)" % len(found)]
    problems = []
    for i, (code, want) in enumerate(found, 1):
        r = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            problems.append("example %d exited %d:\n%s" % (i, r.returncode, r.stderr))
            continue
        got = r.stdout.split("\n")
        for line in want:
            if line not in got:
                problems.append("example %d did not print:\n%s\nit printed:\n%s" % (i, line, r.stdout))
    return problems


def main(argv: List[str]) -> int:
    if argv[:1] == ["--readme"] and len(argv) == 2:
        with open(argv[1], encoding="utf-8") as f:
            readme = f.read()
    elif not argv:
        from importlib.metadata import distribution

        # METADATA is headers, a blank line, then the long description.
        text = distribution("gaisort").read_text("METADATA") or ""
        readme = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    else:
        print(__doc__.strip().split("\n")[-1], file=sys.stderr)
        return 2
    problems = check(readme)
    for p in problems:
        print("readme_examples: " + p, file=sys.stderr)
    if not problems:
        print("readme_examples: %d examples, every line printed" % len(examples(readme)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
