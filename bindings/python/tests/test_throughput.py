"""Compact answers, batches, the engine's text and lint, and `python -m
gaisort`, against the Go command: the same bytes on every shared vector."""

import json
import subprocess
import sys

import pytest

import gaisort
from conftest import CONTAINER8, VECTORS, run_cli

SCENARIOS = [sc for _, sc in VECTORS]
MODELS = [None, "rfc6724,glibc-2.31,musl-1.2.2"]


def _m(models):
    return ["--model", models] if models else []


@pytest.mark.parametrize("models", MODELS)
def test_batch_compact_full_and_text_as_the_cli(gaisort_cli, models):
    assert len(SCENARIOS) > 10
    batch = json.dumps(SCENARIOS).encode()
    p = run_cli(gaisort_cli, ["sort", "--compact"] + _m(models), batch)
    assert p.returncode == 0, p.stderr
    assert gaisort.sort_batch_json(SCENARIOS, models, compact=True) + b"\n" == p.stdout
    answers = gaisort.sort_batch(SCENARIOS, models, compact=True)
    assert answers == json.loads(p.stdout)
    for sc, a in zip(SCENARIOS, answers):
        assert gaisort.sort(sc, models, compact=True) == a
    p = run_cli(gaisort_cli, ["sort", "--json"] + _m(models), batch)
    assert gaisort.sort_batch_json(SCENARIOS, models) + b"\n" == p.stdout
    p = run_cli(gaisort_cli, ["sort"] + _m(models), batch)
    assert gaisort.sort_text(SCENARIOS, models) == p.stdout.decode()


def test_compact_members():
    for a in gaisort.sort_batch(SCENARIOS, compact=True):
        for r in a["results"]:
            if "error" in r:
                assert list(r) == ["model", "error"]
            else:
                assert list(r) == ["model", "order", "decided"]
                assert len(r["decided"]) == len(r["order"]) - 1


def test_one_text_scenario(gaisort_cli):
    want = run_cli(gaisort_cli, ["sort"], json.dumps(CONTAINER8).encode()).stdout.decode()
    assert gaisort.sort_text(CONTAINER8) == want
    assert gaisort.sort_text(json.dumps(CONTAINER8)) == want


def test_batch_errors():
    with pytest.raises(gaisort.GaisortError) as e:
        gaisort.sort_batch([CONTAINER8, {"destinations": ["1.2.3.400"]}], compact=True)
    assert (e.value.code, e.value.path) == ("bad_scenario", "[1].destinations[0]")
    with pytest.raises(gaisort.GaisortError) as e:
        gaisort.sort_batch([CONTAINER8, {"a": float("nan")}])
    assert (e.value.code, e.value.path) == ("bad_scenario", "[1]")
    with pytest.raises(gaisort.GaisortError) as e:
        gaisort.sort_batch([CONTAINER8], models=[])
    assert e.value.code == "unknown_model"
    with pytest.raises(TypeError):
        gaisort.sort_batch(CONTAINER8)  # a dict, not a list
    assert gaisort.sort_batch([]) == []
    assert len(gaisort.sort(CONTAINER8, compact=True)["results"]) == 3


@pytest.mark.parametrize("conf", ["", "label fd00::/8 1\n", "precedence ::ffff:0:0/96 100\nbogus\n"])
def test_lint_as_the_cli(gaisort_cli, tmp_path, conf):
    f = tmp_path / "gai.conf"
    f.write_text(conf)
    p = run_cli(gaisort_cli, ["lint", str(f)], b"")
    r = gaisort.lint(conf, str(f))
    assert r["text"] == p.stdout.decode()
    assert (1 if r["warnings"] else 0) == p.returncode
    assert gaisort.lint(conf.encode())["text"].startswith("gai.conf")


def test_lint_too_large():
    with pytest.raises(gaisort.GaisortError) as e:
        gaisort.lint("#" * 65537)
    assert e.value.code == "too_large"


def _py(args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "gaisort"] + args, input=stdin, capture_output=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    out = {}
    for name, text in [
        ("s.json", json.dumps(SCENARIOS[0])),
        ("b.json", json.dumps(SCENARIOS[:5])),
        ("c.conf", "label fd00::/8 1\n"),
        ("clean.conf", ""),
        ("bad.json", '{"destinations":["1.2.3.400"]}'),
        ("badb.json", '[{"destinations":["1.2.3.4"]},{"destinations":["fe80::1%eth9"]}]'),
    ]:
        (d / name).write_text(text)
        out[name] = str(d / name)
    return out


CASES = [
    ("sort", lambda f: ["sort", f["s.json"]], True),
    ("sort --json --model musl", lambda f: ["sort", "--json", "--model", "musl", f["s.json"]], True),
    ("sort --compact", lambda f: ["sort", "--compact", f["s.json"]], True),
    ("batch, text", lambda f: ["sort", "--model=glibc,rfc6724", f["b.json"]], True),
    ("batch --compact", lambda f: ["sort", "--compact", f["b.json"]], True),
    ("models", lambda f: ["models"], True),
    ("lint", lambda f: ["lint", f["c.conf"]], True),
    ("lint, clean", lambda f: ["lint", f["clean.conf"]], True),
    ("bad scenario", lambda f: ["sort", f["bad.json"]], True),
    ("bad scenario in a batch", lambda f: ["sort", "--compact", f["badb.json"]], True),
    ("unknown model", lambda f: ["sort", "--model", "bionic", f["s.json"]], True),
    ("empty model list", lambda f: ["sort", "--model", "", f["s.json"]], False),
    ("unknown flag", lambda f: ["sort", "--fast", f["s.json"]], False),
    ("missing file", lambda f: ["sort", "/nonexistent/x.json"], True),
]


@pytest.mark.parametrize("name,args,same_stderr", CASES, ids=[c[0] for c in CASES])
def test_python_m_gaisort_as_the_cli(gaisort_cli, files, name, args, same_stderr):
    a = args(files)
    want = run_cli(gaisort_cli, a, b"")
    got = _py(a)
    assert got.returncode == want.returncode, got.stderr
    assert got.stdout == want.stdout
    if same_stderr:
        assert got.stderr == want.stderr
    else:
        assert got.stderr.count(b"\n") == want.stderr.count(b"\n") == (1 if want.returncode else 0)


def test_python_m_gaisort_stdin(gaisort_cli):
    data = json.dumps(SCENARIOS[0]).encode()
    assert _py(["sort", "-"], data).stdout == run_cli(gaisort_cli, ["sort", "-"], data).stdout
    bad = b'{"destinations":["1.2.3.400"]}'
    assert _py(["sort"], bad).stderr == run_cli(gaisort_cli, ["sort"], bad).stderr
