"""The compiled module is cached across processes."""

import hashlib
import json
import os
import struct
import subprocess
import zlib

import pytest
import wasmtime

import gaisort
from gaisort import _cache

PROBE = """
import json, time
t = time.perf_counter()
import gaisort
ans = gaisort.sort({"version": 1, "destinations": ["::1", "127.0.0.1"]})
info = gaisort.default_runtime().info()
info["order"] = ans["results"][0]["order"]
info["seconds"] = time.perf_counter() - t
print(json.dumps(info))
"""


def probe(python_exe, cache_home):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    p = subprocess.run([python_exe, "-c", PROBE], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_second_process_loads_from_cache(python_exe, tmp_path):
    first = probe(python_exe, tmp_path)
    assert first["module"] == "compiled"
    entry = first["cache_entry"]
    assert entry.startswith(str(tmp_path / "gaisort") + os.sep)
    assert os.path.isfile(entry)
    # Keyed by the module's sha256 and wasmtime's version.
    with open(first["wasm"], "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    name = os.path.basename(entry)
    assert name.startswith(sha + "-wasmtime-" + first["wasmtime"] + "-")

    second = probe(python_exe, tmp_path)
    assert second["module"] == "cache"
    assert second["cache_entry"] == entry
    assert second["order"] == first["order"] == ["::1", "127.0.0.1"]
    assert os.listdir(tmp_path / "gaisort") == [name]  # no temporary files left


def damaged(good, damage):
    if damage == "truncate":
        return good[: len(good) // 2]
    if damage == "flip":
        i = len(good) * 2 // 3
        return good[:i] + bytes([good[i] ^ 0xFF]) + good[i + 1 :]
    if damage == "garbage-with-valid-header":
        # Passes the CRC check: Module.deserialize itself must refuse it.
        payload = b"\x7fELF" + bytes(range(256)) * 16
        return _cache.MAGIC + struct.pack("<QI", len(payload), zlib.crc32(payload)) + payload
    if damage == "other-wasmtime-config":
        # A real serialized module, made by an engine with another config.
        cfg = wasmtime.Config()
        cfg.cranelift_opt_level = "none"
        cfg.consume_fuel = True
        payload = bytes(wasmtime.Module(wasmtime.Engine(cfg), TINY).serialize())
        return _cache.MAGIC + struct.pack("<QI", len(payload), zlib.crc32(payload)) + payload
    return b""


TINY = wasmtime.wat2wasm('(module (func (export "f") (result i32) (i32.const 42)))')


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage-with-valid-header", "other-wasmtime-config", "empty"])
def test_corrupt_entry_is_ignored_and_rewritten(tmp_path, damage):
    # The cache logic on a tiny module (compiles in milliseconds).
    engine = wasmtime.Engine()
    sha = hashlib.sha256(TINY).hexdigest()
    _, how, entry = _cache.load_module(engine, TINY, sha, str(tmp_path))
    assert how == "compiled"
    _, how, _ = _cache.load_module(engine, TINY, sha, str(tmp_path))
    assert how == "cache"
    with open(entry, "rb") as f:
        good = f.read()
    bad = damaged(good, damage)
    with open(entry, "wb") as f:
        f.write(bad)
    module, how, _ = _cache.load_module(engine, TINY, sha, str(tmp_path))
    assert how == "compiled"
    store = wasmtime.Store(engine)
    assert wasmtime.Instance(store, module, []).exports(store)["f"](store) == 42
    assert _cache._read_entry(entry) is not None
    module, how, _ = _cache.load_module(engine, TINY, sha, str(tmp_path))
    assert how == "cache"
    store = wasmtime.Store(engine)
    assert wasmtime.Instance(store, module, []).exports(store)["f"](store) == 42


def test_corrupt_entry_across_processes(python_exe, tmp_path):
    # The same with gaisort.wasm, one process after another.
    first = probe(python_exe, tmp_path)
    entry = first["cache_entry"]
    with open(entry, "rb") as f:
        good = f.read()
    with open(entry, "wb") as f:
        f.write(damaged(good, "flip"))
    again = probe(python_exe, tmp_path)
    assert again["module"] == "compiled"
    assert again["order"] == first["order"]
    assert probe(python_exe, tmp_path)["module"] == "cache"


def test_cache_dir_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.default_cache_dir() == str(tmp_path / "gaisort")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # not absolute: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _cache.default_cache_dir() == str(tmp_path / "home" / ".cache" / "gaisort")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert _cache.default_cache_dir() == str(tmp_path / "home" / ".cache" / "gaisort")


def test_unwritable_cache_still_works(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rt = gaisort.Runtime(cache_dir=str(blocker / "gaisort"))
    assert rt.sort({"version": 1, "destinations": ["::1"]})["results"]
    assert rt.info()["module"] == "compiled, cache not written"
