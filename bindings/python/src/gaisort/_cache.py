"""The compiled-module cache, shared by every process of the user.

Compiling gaisort.wasm with Cranelift takes seconds; loading a serialized
compilation takes milliseconds. An entry is the output of Module.serialize(),
stored as

    <cache dir>/<sha256 of the .wasm>-wasmtime-<version>-<machine>.cwasm

where the cache dir is $XDG_CACHE_HOME/gaisort (when XDG_CACHE_HOME is set to
an absolute path) or ~/.cache/gaisort. The file starts with a header (magic,
payload length, CRC-32 of the payload): Module.deserialize trusts its input,
so an entry that is truncated or damaged is detected before it is loaded,
ignored, and rewritten. Entries are written to a temporary file and renamed
into place, so concurrent processes never see half an entry. A cache that
cannot be read or written is not an error: the module is compiled instead.
"""

import hashlib
import os
import platform
import struct
import zlib
from typing import Optional, Tuple

import wasmtime

MAGIC = b"gaisort-cwasm-1\n"
_HEADER = struct.Struct("<QI")  # payload length, CRC-32 of the payload


_WASMTIME_VERSION: Optional[str] = None


def wasmtime_version() -> str:
    """The installed wasmtime's version. Read from the name of its
    .dist-info directory beside the package: importlib.metadata scans every
    distribution on sys.path (tens of milliseconds at start-up)."""
    global _WASMTIME_VERSION
    if _WASMTIME_VERSION is None:
        _WASMTIME_VERSION = _find_wasmtime_version()
    return _WASMTIME_VERSION


def _find_wasmtime_version() -> str:
    site = os.path.dirname(os.path.dirname(os.path.abspath(wasmtime.__file__)))
    try:
        names = os.listdir(site)
    except OSError:
        names = []
    found = [n[len("wasmtime-") : -len(".dist-info")] for n in names
             if n.startswith("wasmtime-") and n.endswith(".dist-info")]
    if len(found) == 1:
        return found[0]
    try:
        from importlib.metadata import version

        return version("wasmtime")
    except Exception:  # not installed as a distribution: key on where it is
        return "unknown-" + hashlib.sha256(site.encode()).hexdigest()[:12]


def default_cache_dir() -> str:
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if not xdg or not os.path.isabs(xdg):
        xdg = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "gaisort")


def entry_path(cache_dir: str, wasm_sha256: str) -> str:
    machine = platform.machine() or "unknown"
    name = "%s-wasmtime-%s-%s.cwasm" % (wasm_sha256, wasmtime_version(), machine)
    return os.path.join(cache_dir, name.replace(os.sep, "_"))


def _read_entry(path: str) -> Optional[bytes]:
    """The payload of a cache entry, or None if it is absent or damaged."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(MAGIC) + _HEADER.size
    if len(data) < head or not data.startswith(MAGIC):
        return None
    n, crc = _HEADER.unpack_from(data, len(MAGIC))
    payload = data[head:]
    if len(payload) != n or zlib.crc32(payload) != crc:
        return None
    return payload


def _write_entry(path: str, payload: bytes) -> bool:
    d = os.path.dirname(path)
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".cwasm", dir=d)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC)
            f.write(_HEADER.pack(len(payload), zlib.crc32(payload)))
            f.write(payload)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def load_module(
    engine: wasmtime.Engine, wasm: bytes, wasm_sha256: str, cache_dir: Optional[str]
) -> Tuple[wasmtime.Module, str, Optional[str]]:
    """Returns (module, how, entry): how is "cache" (deserialized from the
    entry), "compiled" (compiled and written to the entry), "compiled,
    cache not written" or "compiled, no cache" (cache_dir is None)."""
    if cache_dir is None:
        return wasmtime.Module(engine, wasm), "compiled, no cache", None
    path = entry_path(cache_dir, wasm_sha256)
    payload = _read_entry(path)
    if payload is not None:
        try:
            return wasmtime.Module.deserialize(engine, payload), "cache", path
        except Exception:
            pass  # made by another build of wasmtime or engine config: rewrite
    module = wasmtime.Module(engine, wasm)
    try:
        ok = _write_entry(path, bytes(module.serialize()))
    except Exception:
        ok = False
    return module, "compiled" if ok else "compiled, cache not written", path
