"""Shared fixtures: the repository, the shared vectors, the Go CLI's answers.

The tests check the binding against the Go command line: every scenario of
testdata/vectors/**/*.json is answered once by `gaisort sort --json` (one
run on a JSON array of all of them) and once per scenario by the binding,
and the answers must be equal.

Environment:
  GAISORT_REPO      the repository root (default: three levels above this file)
  GAISORT_VECTORS   the vectors' directory, searched recursively (default:
                    $GAISORT_REPO/testdata/vectors)
  GAISORT_WASM      the module under test (default: the one in the package)
  GO                the go command (default: go)
"""

import glob
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.environ.get("GAISORT_REPO") or os.path.join(HERE, "..", "..", ".."))
GO = os.environ.get("GO") or "go"
VECTORS_DIR = os.path.abspath(os.environ.get("GAISORT_VECTORS") or os.path.join(REPO, "testdata", "vectors"))

# The container scenario with 8 destinations: the one scenario every budget
# figure of the project is measured on (testdata/bench/container8.json).
with open(os.path.join(REPO, "testdata", "bench", "container8.json")) as f:
    CONTAINER8 = json.load(f)


def vector_files():
    return sorted(glob.glob(os.path.join(VECTORS_DIR, "**", "*.json"), recursive=True))


def load_vectors():
    out = []
    for path in vector_files():
        with open(path, "rb") as f:
            v = json.load(f)
        out.append((os.path.relpath(path, VECTORS_DIR), v["scenario"]))
    return out


VECTORS = load_vectors()


@pytest.fixture(scope="session")
def gaisort_cli(tmp_path_factory):
    """The Go command line, built once from the repository."""
    exe = str(tmp_path_factory.mktemp("cli") / "gaisort")
    try:
        p = subprocess.run([GO, "build", "-o", exe, "./cmd/gaisort"], cwd=REPO, capture_output=True, text=True)
    except FileNotFoundError:
        pytest.fail("%s not found: the tests compare the binding with the Go command line" % GO)
    if p.returncode != 0:
        pytest.fail("go build ./cmd/gaisort failed:\n" + p.stderr)
    return exe


def run_cli(exe, args, stdin):
    return subprocess.run([exe] + args, input=stdin, capture_output=True)


@pytest.fixture(scope="session")
def cli_answers(gaisort_cli):
    """name -> the CLI's answer object, from ONE `gaisort sort --json` run
    on a JSON array of every vector's scenario."""
    batch = json.dumps([sc for _, sc in VECTORS]).encode()
    p = run_cli(gaisort_cli, ["sort", "--json"], batch)
    if p.returncode != 0:
        pytest.fail("gaisort sort --json failed (exit %d): %s" % (p.returncode, p.stderr.decode()))
    answers = json.loads(p.stdout)
    assert isinstance(answers, list) and len(answers) == len(VECTORS)
    return {name: a for (name, _), a in zip(VECTORS, answers)}


@pytest.fixture(scope="session")
def python_exe():
    return sys.executable
