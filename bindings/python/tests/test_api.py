"""The public API: answers, models, version, errors."""

import json
import threading
import time

import pytest

import gaisort
from conftest import CONTAINER8, run_cli


@pytest.fixture(scope="module")
def cli_container8(gaisort_cli):
    p = run_cli(gaisort_cli, ["sort", "--json"], json.dumps(CONTAINER8).encode())
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_container8_equals_cli(cli_container8):
    got = gaisort.sort(CONTAINER8)
    assert got == cli_container8
    # No model named: the default models (the RFC, the newest glibc and musl).
    assert [r["model"] for r in got["results"]] == [m["name"] for m in gaisort.models() if m["default"]]
    assert [r["model"] for r in got["results"]] == ["rfc6724", "glibc-2.43", "musl-1.2.6"]
    for r in got["results"]:
        assert ("order" in r) != ("error" in r)
        if "order" in r:
            assert sorted(r["order"]) == sorted(set(r["order"]))


def test_input_forms_agree(cli_container8):
    text = json.dumps(CONTAINER8)
    assert gaisort.sort(text) == cli_container8
    assert gaisort.sort(text.encode()) == cli_container8
    assert json.loads(gaisort.sort_json(CONTAINER8)) == cli_container8


def test_models_match_cli(gaisort_cli):
    ms = gaisort.models()
    assert ms and all(set(m) == {"name", "aliases", "summary", "library", "version", "ships", "default"} for m in ms)
    p = run_cli(gaisort_cli, ["models"], b"")
    assert p.returncode == 0
    # One line a model; an indented line under it says who ships it.
    cli_names = [line.split()[0] for line in p.stdout.decode().splitlines() if line.strip() and not line[0].isspace()]
    assert [m["name"] for m in ms] == cli_names
    # Each alias answers as its model, under the model's name.
    for m in ms:
        for alias in m["aliases"]:
            got = gaisort.sort(CONTAINER8, models=[alias])
            assert [r["model"] for r in got["results"]] == [m["name"]]


def test_version():
    v = gaisort.version()
    assert v["abi"] == 1
    assert v["gaisort"] and v["go"].startswith("go")
    assert v["binding"] == gaisort.__version__
    assert v["wasmtime"]


def test_package_version_is_the_modules():
    # wasm/main.go's Version is the one place of the release's version; the
    # package's (gaisort.__version__, which pyproject.toml reads) must equal
    # the version of the module it ships.
    from importlib.metadata import version as dist_version

    assert gaisort.__version__ == gaisort.version()["gaisort"], (
        "bindings/python/src/gaisort/__init__.py's __version__ differs from the module's "
        "(wasm/main.go, const Version): make them equal"
    )
    assert dist_version("gaisort") == gaisort.__version__


def test_bad_scenario_has_path(gaisort_cli):
    sc = json.loads(json.dumps(CONTAINER8))
    sc["interfaces"][0]["addresses"][1]["cidr"] = "fd00:dead:beef::7/129"
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(sc)
    e = ei.value
    assert e.code == "bad_scenario"
    assert e.path == "interfaces[0].addresses[1].cidr"
    assert e.message and "\n" not in e.message
    # The CLI refuses it too, naming the same field.
    p = run_cli(gaisort_cli, ["sort", "--json"], json.dumps(sc).encode())
    assert p.returncode == 2
    assert "interfaces[0].addresses[1].cidr" in p.stderr.decode()


@pytest.mark.parametrize(
    "doc",
    [b"", b"{", b"[]", b"null", b'{"version": 1, "destinations": ["x"]}', '{"destinations": ["1.2.3.4"], "bogus": 1}'],
)
def test_bad_scenarios(doc):
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(doc)
    assert ei.value.code == "bad_scenario"
    # An error is an answer, not a trap: the raw response says the same.
    raw = json.loads(gaisort.sort_json(doc))
    assert raw["error"]["code"] == "bad_scenario"


def test_unknown_model():
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(CONTAINER8, models=gaisort.models()[0]["name"] + ",no-such-model")
    e = ei.value
    assert e.code == "unknown_model"
    assert "no-such-model" in e.message
    for m in gaisort.models():
        assert m["name"] in e.message
    assert str(e).endswith("[unknown_model]")


def test_python_side_errors():
    with pytest.raises(TypeError):
        gaisort.sort([CONTAINER8])
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort({"version": 1, "destinations": [float("nan")]})
    assert ei.value.code == "bad_scenario"


@pytest.mark.parametrize(
    "doc,message,path",
    [
        (b'{"destinations":["192.0.2.1"]}\0garbage',
         "invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document", ""),
        (b'{"destinations":\0["192.0.2.1"]}',
         "invalid JSON at line 1, column 17 (byte 16): unexpected byte 0x0, expected an array of addresses", "destinations"),
        (b'{"\\\r0', "invalid JSON at line 1, column 3 (byte 2): unknown escape: '\\' followed by byte 0xd", ""),
    ],
)
def test_nul_and_escape_messages(gaisort_cli, doc, message, path):
    # Issues 12 and 18: a NUL byte is an error naming its offset, the byte
    # after a backslash is quoted; the CLI says the same.
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(doc)
    assert (ei.value.code, ei.value.message, ei.value.path) == ("bad_scenario", message, path)
    p = run_cli(gaisort_cli, ["sort", "--json"], doc)
    assert p.returncode == 2
    assert p.stderr.decode().rstrip("\n").endswith(message)


def test_deeply_nested_scenario():
    # 100,000 levels of dicts and of lists: GaisortError, not RecursionError.
    deep = {}
    for _ in range(100000):
        deep = {"a": deep}
    lst = []
    for _ in range(100000):
        lst = [lst]
    for sc in (deep, {"version": 1, "destinations": lst}):
        t0 = time.monotonic()
        with pytest.raises(gaisort.GaisortError) as ei:
            gaisort.sort(sc)
        assert ei.value.code == "bad_scenario"
        assert "nests too deeply" in ei.value.message
        assert time.monotonic() - t0 < 10
    assert gaisort.sort(CONTAINER8)["results"]


def test_request_past_the_alloc_limit():
    rt = gaisort.Runtime()
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.sort(b" " * (64 << 20 + 1))
    assert ei.value.code == "too_large"
    assert rt.traps == 0
    assert rt.sort(CONTAINER8) == gaisort.sort(CONTAINER8)


def test_threads_share_one_runtime(cli_container8):
    rt = gaisort.Runtime()
    small = {"version": 1, "destinations": ["::1", "127.0.0.1"]}
    want_small = rt.sort(small)
    bad = []

    def work(i):
        for _ in range(30):
            if rt.sort(CONTAINER8) != cli_container8 or rt.sort(small) != want_small:
                bad.append(i)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not bad
    assert rt.instances == 1 and rt.traps == 0


def test_fallback_when_wasmtime_private_names_change(monkeypatch, cli_container8):
    # The fast path uses wasmtime._bindings; without it, the public API.
    from wasmtime import _bindings

    monkeypatch.delattr(_bindings, "wasmtime_func_call_unchecked")
    rt = gaisort.Runtime()
    assert rt.sort(CONTAINER8) == cli_container8
    assert rt.info()["fast_calls"] is False


def test_large_request_buffer_is_not_kept(cli_container8):
    rt = gaisort.Runtime()
    assert rt.sort(CONTAINER8) == cli_container8
    big = b'{"version":1,"destinations":["::1"]}' + b" " * (3 << 20)
    err = json.loads(rt.sort_json(big))["error"]  # past the module's 1 MiB document limit
    assert err["code"] in ("too_large", "bad_scenario")
    assert rt._inst._req_cap == 0
    assert rt.sort(CONTAINER8) == cli_container8
    assert rt.instances == 1 and rt.traps == 0


def test_models_absent_means_the_default_models():
    names = [m["name"] for m in gaisort.models() if m["default"]]
    assert names == ["rfc6724", "glibc-2.43", "musl-1.2.6"]
    assert [r["model"] for r in gaisort.sort(CONTAINER8)["results"]] == names
    assert gaisort.sort(CONTAINER8, models=None) == gaisort.sort(CONTAINER8)


@pytest.mark.parametrize("models", ["", [], [""], ()])
def test_models_given_but_empty_is_an_error(models):
    # One rule on every surface: JS's sort(s, {models: []}) and the
    # command's `--model ""` refuse it too (bindings/js tests, cmd tests).
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(CONTAINER8, models=models)
    e = ei.value
    assert e.code == "unknown_model"
    assert e.path == ""
    assert e.message.startswith("models is empty: name at least one model (known: ")
    for m in gaisort.models():
        assert m["name"] in e.message
    # sort_json answers it in the module's error shape instead of raising.
    err = json.loads(gaisort.sort_json(CONTAINER8, models=models))["error"]
    assert err == {"code": "unknown_model", "message": e.message, "path": ""}


@pytest.mark.parametrize("models", [",", " , ", [" "]])
def test_models_naming_no_model_is_the_modules_error(models):
    with pytest.raises(gaisort.GaisortError) as ei:
        gaisort.sort(CONTAINER8, models=models)
    assert ei.value.code == "unknown_model"
    assert "names no model" in ei.value.message
