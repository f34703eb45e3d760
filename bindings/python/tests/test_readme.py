"""README.md's examples print what it shows (scripts/readme_examples.py;
make dist-test runs the same check on the installed wheel's README)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))

import readme_examples  # noqa: E402


def test_readme_examples_print_what_they_show(tmp_path):
    with open(os.path.join(HERE, "..", "README.md"), encoding="utf-8") as f:
        readme = f.read()
    assert len(readme_examples.examples(readme)) >= 2
    assert readme_examples.check(readme, cwd=str(tmp_path)) == []


def test_the_check_can_fail(tmp_path):
    readme = "```python\nprint('a')\n```\n\n```\nb\n```\n\n```python\nprint(1)\n```\nout:\n```\n1\n```\n"
    problems = readme_examples.check(readme, cwd=str(tmp_path))
    assert len(problems) == 1 and "did not print:\nb" in problems[0]
