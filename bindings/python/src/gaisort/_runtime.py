"""The WebAssembly side: loading gaisort.wasm and calling its ABI (version 1).

One Runtime owns at most one instance at a time and serves one call at a
time (a lock). An instance that traps is discarded; the next call makes a
fresh one. The compiled module is shared by every Runtime of the process
(and, through the cache in _cache.py, by every process).
"""

import ctypes
import hashlib
import json
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import wasmtime

from . import _cache
from ._errors import GaisortError

#: The ABI versions this binding speaks (gaisort_abi_version).
ABI_VERSIONS = (1,)

_I32 = "i32"
_I64 = "i64"
# The exports of ABI version 1: name -> (parameter types, result type).
EXPORTS: Dict[str, Tuple[Tuple[str, ...], Optional[str]]] = {
    "_initialize": ((), None),
    "gaisort_abi_version": ((), _I32),
    "gaisort_alloc": ((_I32,), _I32),
    "gaisort_free": ((_I32, _I32), None),
    "gaisort_sort": ((_I32, _I32, _I32, _I32), _I64),
    "gaisort_models": ((), _I64),
    "gaisort_version": ((), _I64),
}
# Exports added within ABI version 1 (gaisort 0.1.0): used when present.
OPTIONAL_EXPORTS: Dict[str, Tuple[Tuple[str, ...], Optional[str]]] = {
    "gaisort_sort_opts": ((_I32, _I32, _I32, _I32, _I32), _I64),
    "gaisort_lint": ((_I32, _I32, _I32, _I32), _I64),
}
ALL_EXPORTS = dict(EXPORTS, **OPTIONAL_EXPORTS)

# gaisort_sort_opts's flags (wasm/ABI.md).
FLAG_COMPACT = 1
FLAG_BATCH = 2
FLAG_TEXT = 4

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_STDERR_KEEP = 4096  # bytes of the module's stderr kept for trap messages
_REQ_KEEP = 1 << 20  # the largest request buffer kept from call to call


def wasm_path() -> str:
    """Where the module is loaded from: $GAISORT_WASM if set (development),
    else the gaisort.wasm shipped inside the package."""
    env = os.environ.get("GAISORT_WASM")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "gaisort.wasm")


class _Trapped(Exception):
    """Raised inside the binding when a call into the instance trapped."""


# --- the compiled module, one per (file content) per process ------------------

_ENGINE: Optional[wasmtime.Engine] = None
_COMPILED: Dict[Tuple[str, Optional[str]], "Compiled"] = {}
_COMPILED_LOCK = threading.Lock()


class Compiled:
    """A compiled gaisort.wasm and how it was obtained."""

    def __init__(self, path: str, cache_dir: Optional[str]) -> None:
        global _ENGINE
        try:
            with open(path, "rb") as f:
                wasm = f.read()
        except OSError as e:
            raise GaisortError(
                "no_module",
                "cannot read the WebAssembly module %s: %s (build it with `make wasm`, "
                "or set GAISORT_WASM to a gaisort.wasm)" % (path, e.strerror or e),
            ) from e
        if wasm[:4] != b"\0asm":
            raise GaisortError("no_module", "%s is not a WebAssembly module" % path)
        if _ENGINE is None:
            _ENGINE = wasmtime.Engine()
        self.engine = _ENGINE
        self.path = path
        self.sha256 = hashlib.sha256(wasm).hexdigest()
        self.module, self.how, self.cache_entry = _cache.load_module(self.engine, wasm, self.sha256, cache_dir)
        self.linker = wasmtime.Linker(self.engine)
        self.linker.define_wasi()


def compiled(path: str, cache_dir: Optional[str]) -> Compiled:
    key = (os.path.abspath(path), cache_dir)
    with _COMPILED_LOCK:
        c = _COMPILED.get(key)
        if c is None:
            c = Compiled(path, cache_dir)
            _COMPILED[key] = c
        return c


# --- one instance --------------------------------------------------------------


def _valtype(name: str) -> wasmtime.ValType:
    return wasmtime.ValType.i32() if name == _I32 else wasmtime.ValType.i64()


class Instance:
    """One instantiated module: _initialize called, ABI version checked."""

    def __init__(self, c: Compiled, max_memory: Optional[int], fast: bool) -> None:
        self.pid = os.getpid()
        store = wasmtime.Store(c.engine)
        if max_memory:
            store.set_limits(memory_size=max_memory)
        wasi = wasmtime.WasiConfig()
        wasi.argv = ["gaisort"]
        self._stderr = _stderr_file(wasi)
        store.set_wasi(wasi)
        self.store = store
        try:
            inst = c.linker.instantiate(store, c.module)
        except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
            raise GaisortError("trap", "instantiating the module failed: %s" % e) from e
        exports = inst.exports(store)
        self.funcs: Dict[str, wasmtime.Func] = {}
        for name, (params, result) in ALL_EXPORTS.items():
            f = _export(exports, name)
            if f is None and name in OPTIONAL_EXPORTS:
                continue
            if not isinstance(f, wasmtime.Func):
                raise GaisortError("abi_mismatch", "the module %s does not export the function %s" % (c.path, name))
            ty = f.type(store)
            want_p = [_valtype(p) for p in params]
            want_r = [_valtype(result)] if result else []
            if list(ty.params) != want_p or list(ty.results) != want_r:
                raise GaisortError(
                    "abi_mismatch",
                    "the module's %s has the type %s -> %s, not %s -> %s"
                    % (name, ty.params, ty.results, list(params), [result] if result else []),
                )
            self.funcs[name] = f
        mem = _export(exports, "memory")
        if not isinstance(mem, wasmtime.Memory):
            raise GaisortError("abi_mismatch", "the module %s does not export its memory" % c.path)
        self.memory = mem
        self.fast = fast and self._setup_fast()
        self.call("_initialize")
        abi = self.call("gaisort_abi_version")
        if abi not in ABI_VERSIONS:
            raise GaisortError(
                "abi_mismatch",
                "the module %s speaks gaisort ABI version %d; this binding knows %s"
                % (c.path, abi, ", ".join(str(v) for v in ABI_VERSIONS)),
            )
        self.abi = abi

    # The fast path calls wasmtime_func_call_unchecked through wasmtime's own
    # ctypes bindings with preallocated argument arrays, and touches memory
    # with ctypes.memmove/string_at: Func.__call__ re-reads the function's
    # type and converts each value on every call (tens of microseconds).
    # These are wasmtime's private names: if a release renames one, the
    # binding falls back to the public API (slower, same answers).
    def _setup_fast(self) -> bool:
        try:
            from wasmtime import _bindings as ffi

            for name in ("wasmtime_func_call_unchecked", "wasmtime_memory_data", "wasmtime_memory_data_size"):
                getattr(ffi, name)
            wasmtime.Trap._from_ptr  # noqa: B018
            wasmtime.WasmtimeError._from_ptr  # noqa: B018
            self._ffi = ffi
            self._ctx = self.store._context()
            self._mem_ref = ctypes.byref(self.memory._memory)
            self._func_refs = {n: ctypes.byref(f._func) for n, f in self.funcs.items()}
            self._raw = (ffi.wasmtime_val_raw_t * 5)()
            self._sort_ref = self._func_refs["gaisort_sort"]
            self._opts_ref = self._func_refs.get("gaisort_sort_opts")
            self._free_ref = self._func_refs["gaisort_free"]
            self._trap_t = ctypes.POINTER(ffi.wasm_trap_t)
        except (ImportError, AttributeError, TypeError):
            return False
        return True

    def call(self, name: str, *args: int) -> Optional[int]:
        """Calls an export with integer arguments; returns its integer result
        (unsigned: an i32 pointer or an i64 packed pointer/length), or None.
        Raises _Trapped if the call trapped."""
        params, result = ALL_EXPORTS[name]
        if len(args) != len(params):
            raise TypeError("%s takes %d arguments, not %d" % (name, len(params), len(args)))
        if not self.fast:
            try:
                r = self.funcs[name](self.store, *[_signed(a, t) for a, t in zip(args, params)])
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                raise _Trapped(self._trap_message(e)) from e
            if result is None:
                return None
            return r & (_M32 if result == _I32 else _M64)
        raw = self._raw
        for i, a in enumerate(args):
            raw[i].i64 = a & _M32  # an i32 argument is the low 32 bits
        trap = self._trap_t()
        err = self._ffi.wasmtime_func_call_unchecked(
            self._ctx, self._func_refs[name], raw, len(raw), ctypes.byref(trap)
        )
        if err or trap:
            self._raise_trap(err, trap)
        if result is None:
            return None
        if result == _I32:
            return raw[0].i32 & _M32
        return raw[0].i64 & _M64

    def _raise_trap(self, err: Any, trap: Any) -> None:
        e: Exception
        if err:
            e = wasmtime.WasmtimeError._from_ptr(err)
        else:
            e = wasmtime.Trap._from_ptr(trap)
        raise _Trapped(self._trap_message(e)) from e

    def _trap_message(self, e: Exception) -> str:
        stderr = b""
        if self._stderr is not None:
            try:
                self._stderr.seek(0)
                stderr = self._stderr.read(_STDERR_KEEP)
            except OSError:
                pass
        return _trap_summary(e, stderr)

    def close(self) -> None:
        f, self._stderr = self._stderr, None
        if f is not None:
            f.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # --- memory ---------------------------------------------------------------

    def _bounds(self, ptr: int, n: int) -> None:
        size = self.memory.data_len(self.store)
        if ptr < 0 or n < 0 or ptr + n > size:
            raise _Trapped("the module gave the buffer %d+%d outside its memory of %d bytes" % (ptr, n, size))

    def write(self, ptr: int, data: bytes) -> None:
        self._bounds(ptr, len(data))
        if not data:
            return
        if self.fast:
            base = ctypes.addressof(self._ffi.wasmtime_memory_data(self._ctx, self._mem_ref).contents)
            ctypes.memmove(base + ptr, data, len(data))
        else:
            self.memory.write(self.store, data, ptr)

    def read(self, ptr: int, n: int) -> bytes:
        self._bounds(ptr, n)
        if n == 0:
            return b""
        if self.fast:
            base = ctypes.addressof(self._ffi.wasmtime_memory_data(self._ctx, self._mem_ref).contents)
            return ctypes.string_at(base + ptr, n)
        return bytes(self.memory.read(self.store, ptr, ptr + n))

    def take(self, packed: int) -> bytes:
        """Reads a packed (ptr << 32 | len) response and frees it."""
        ptr, n = packed >> 32, packed & _M32
        data = self.read(ptr, n)
        self.call("gaisort_free", ptr, n)
        return data

    # --- the ABI ----------------------------------------------------------------

    # The request buffer: allocated once and reused (the ABI leaves a
    # buffer from gaisort_alloc to the host until it frees it), so that a
    # sort is two calls into the module: gaisort_sort and gaisort_free.
    _req_ptr = 0
    _req_cap = 0

    def _request_buffer(self, n: int) -> int:
        if n > self._req_cap:
            cap = max(n, 2 * self._req_cap, 4096)
            ptr = self.call("gaisort_alloc", cap)
            if ptr == 0 and cap > n:
                cap = n
                ptr = self.call("gaisort_alloc", cap)
            if ptr == 0:
                raise GaisortError("too_large", "the request is %d bytes; the module refused to allocate it" % n)
            if self._req_cap:
                self.call("gaisort_free", self._req_ptr, self._req_cap)
            self._req_ptr, self._req_cap = ptr, cap
        return self._req_ptr

    def sort(self, request: bytes, models: bytes, flags: int = 0) -> bytes:
        if flags and "gaisort_sort_opts" not in self.funcs:
            raise GaisortError("abi_mismatch", "the module has no gaisort_sort_opts export: it predates compact answers, batches and text")
        out = self._sort(request, models, flags)
        if self._req_cap > _REQ_KEEP:  # do not hold a huge buffer forever
            cap, self._req_cap = self._req_cap, 0
            self.call("gaisort_free", self._req_ptr, cap)
        return out

    def lint(self, conf: bytes, name: bytes) -> bytes:
        if "gaisort_lint" not in self.funcs:
            raise GaisortError("abi_mismatch", "the module has no gaisort_lint export: it predates lint")
        nc, nn = len(conf), len(name)
        ptr = self._request_buffer(nc + nn)
        self.write(ptr, conf)
        self.write(ptr + nc, name)
        return self.take(self.call("gaisort_lint", ptr, nc, ptr + nc, nn))

    def _sort(self, request: bytes, models: bytes, flags: int = 0) -> bytes:
        nr, nm = len(request), len(models)
        ptr = self._request_buffer(nr + nm)
        if not self.fast:
            self.write(ptr, request)
            self.write(ptr + nr, models)
            if flags:
                return self.take(self.call("gaisort_sort_opts", ptr, nr, ptr + nr, nm, flags))
            return self.take(self.call("gaisort_sort", ptr, nr, ptr + nr, nm))
        # The fast path, unrolled: this is the per-call cost users see.
        ffi, ctx, mref, raw = self._ffi, self._ctx, self._mem_ref, self._raw
        size = ffi.wasmtime_memory_data_size(ctx, mref)
        if ptr + nr + nm > size:
            raise _Trapped("the request buffer %d+%d is outside the module's memory of %d bytes" % (ptr, nr + nm, size))
        base = ctypes.addressof(ffi.wasmtime_memory_data(ctx, mref).contents)
        ctypes.memmove(base + ptr, request, nr)
        if nm:
            ctypes.memmove(base + ptr + nr, models, nm)
        raw[0].i64 = ptr  # an i32 argument is the low 32 bits of the slot
        raw[1].i64 = nr
        raw[2].i64 = ptr + nr
        raw[3].i64 = nm
        trap = self._trap_t()
        if flags:
            raw[4].i64 = flags
            err = ffi.wasmtime_func_call_unchecked(ctx, self._opts_ref, raw, 5, ctypes.byref(trap))
        else:
            err = ffi.wasmtime_func_call_unchecked(ctx, self._sort_ref, raw, 5, ctypes.byref(trap))
        if err or trap:
            self._raise_trap(err, trap)
        packed = raw[0].i64 & _M64
        rp, rn = packed >> 32, packed & _M32
        size = ffi.wasmtime_memory_data_size(ctx, mref)
        if rp + rn > size:
            raise _Trapped("the module gave the buffer %d+%d outside its memory of %d bytes" % (rp, rn, size))
        base = ctypes.addressof(ffi.wasmtime_memory_data(ctx, mref).contents)
        out = ctypes.string_at(base + rp, rn)
        raw[0].i64 = rp
        raw[1].i64 = rn
        err = ffi.wasmtime_func_call_unchecked(ctx, self._free_ref, raw, 5, ctypes.byref(trap))
        if err or trap:
            self._raise_trap(err, trap)
        return out


_SEQ = [0]


def _mkstemp() -> Tuple[int, str]:
    # tempfile.mkstemp, without importing tempfile at start-up (5 ms).
    d = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(100):
        _SEQ[0] += 1
        path = os.path.join(d, "gaisort-stderr-%d-%d-%s" % (os.getpid(), _SEQ[0], os.urandom(4).hex()))
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), path
        except FileExistsError:
            continue
        except OSError:
            break
    import tempfile

    return tempfile.mkstemp(prefix="gaisort-stderr-")


def _stderr_file(wasi: wasmtime.WasiConfig) -> Any:
    """Sends the module's stderr (where the Go runtime writes "fatal error:
    ..." before it aborts) to an unlinked temporary file, read on a trap.
    A file rather than a Python callback: wasmtime may write from its own
    threads, even while the interpreter shuts down. None if impossible."""
    try:
        fd, path = _mkstemp()
    except OSError:
        return None
    f = os.fdopen(fd, "rb")
    try:
        wasi.stderr_file = path
    except Exception:
        f.close()
        f = None
    try:
        os.unlink(path)  # wasmtime opened it already (POSIX keeps it)
    except OSError:
        pass
    return f


def _trap_summary(e: Exception, stderr: bytes) -> str:
    """One line: what the trap was (wasmtime's "Caused by" lines, without
    the backtrace) and the first line of what the module wrote to stderr."""
    code = getattr(e, "code", None)
    if isinstance(e, getattr(wasmtime, "ExitTrap", ())) and code is not None:
        text = "the module exited with status %d" % code
    else:
        s = str(e).strip()
        if "Caused by:" in s:
            causes = [ln.strip() for ln in s.split("Caused by:", 1)[1].splitlines() if ln.strip()]
            causes = [c.split(": ", 1)[1] if c[:1].isdigit() and ": " in c else c for c in causes]
            text = "; ".join(causes)
        else:
            text = s.splitlines()[0] if s else type(e).__name__
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    if lines:
        first = next((ln for ln in lines if ln.startswith(("fatal error:", "panic:", "runtime:"))), lines[0])
        text += " (module stderr: %s)" % first
    return text


def _export(exports: Any, name: str) -> Any:
    try:
        return exports[name]
    except (KeyError, IndexError):
        return None


def _signed(v: int, t: str) -> int:
    """Two's complement: ctypes and Func.__call__ take signed values."""
    if t == _I32:
        v &= _M32
        return v - (1 << 32) if v >= 1 << 31 else v
    v &= _M64
    return v - (1 << 64) if v >= 1 << 63 else v


# --- the public object ---------------------------------------------------------

ScenarioLike = Union[Dict[str, Any], str, bytes, bytearray]


class Runtime:
    """gaisort in one WebAssembly instance, created on first use.

    Runtime(wasm=None, cache_dir=None, max_memory=None, fast_calls=True)
      wasm:       path of gaisort.wasm (default: $GAISORT_WASM, else the one
                  in the package);
      cache_dir:  where compiled modules are cached (default:
                  $XDG_CACHE_HOME/gaisort or ~/.cache/gaisort; False: no cache);
      max_memory: a limit in bytes on the instance's linear memory (a call
                  that needs more traps, and the instance is replaced);
      fast_calls: call exports through wasmtime's raw C API (default) rather
                  than Func.__call__ (slower; kept for wasmtime versions whose
                  private bindings differ).

    Thread-safe: calls are serialized by a lock. After a trap (GaisortError
    with code "trap") the instance is discarded and the next call makes a
    fresh one.
    """

    def __init__(
        self,
        wasm: Optional[str] = None,
        cache_dir: Union[str, None, bool] = None,
        max_memory: Optional[int] = None,
        fast_calls: bool = True,
    ) -> None:
        self.wasm = wasm or wasm_path()
        if cache_dir is False:
            self.cache_dir: Optional[str] = None
        elif cache_dir is None or cache_dir is True:
            self.cache_dir = _cache.default_cache_dir()
        else:
            self.cache_dir = str(cache_dir)
        self.max_memory = max_memory
        self.fast_calls = fast_calls
        self._lock = threading.Lock()
        self._compiled: Optional[Compiled] = None
        self._inst: Optional[Instance] = None
        self._models: Optional[List[Dict[str, Any]]] = None
        #: How many instances this runtime has made, and how many trapped.
        self.instances = 0
        self.traps = 0

    # Callers hold self._lock.
    def _instance(self) -> Instance:
        inst = self._inst
        if inst is not None and inst.pid == os.getpid():
            return inst
        if self._compiled is None:
            self._compiled = compiled(self.wasm, self.cache_dir)
        self._inst = None
        try:
            inst = Instance(self._compiled, self.max_memory, self.fast_calls)
        except _Trapped as e:
            self.traps += 1
            raise GaisortError("trap", "starting the module trapped: %s" % e) from e.__cause__
        self.instances += 1
        self._inst = inst
        return inst

    def _run(self, fn: Any, *args: Any) -> Any:
        with self._lock:
            inst = self._instance()
            try:
                return fn(inst, *args)
            except _Trapped as e:
                self._drop()
                self.traps += 1
                raise GaisortError("trap", str(e)) from e.__cause__
            except GaisortError:
                raise
            except BaseException:
                # Interrupted half-way through the protocol: the instance's
                # state is unknown, so it is not reused.
                self._drop()
                raise

    def _drop(self) -> None:
        if self._inst is not None:
            self._inst.close()
            self._inst = None

    def info(self) -> Dict[str, Any]:
        """Where the module came from and how it was loaded: {"wasm": path,
        "sha256": ..., "module": "cache" | "compiled" | ..., "cache_entry":
        path or None, "wasmtime": version, "fast_calls": bool,
        "instances": n, "traps": n}. Loads the module if needed."""
        with self._lock:
            inst = self._instance()
            c = self._compiled
            assert c is not None
            return {
                "wasm": c.path,
                "sha256": c.sha256,
                "module": c.how,
                "cache_entry": c.cache_entry,
                "wasmtime": _cache.wasmtime_version(),
                "fast_calls": inst.fast,
                "instances": self.instances,
                "traps": self.traps,
            }

    def sort_json(
        self, scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None, compact: bool = False
    ) -> bytes:
        """Like sort, but returns the module's response bytes unparsed:
        {"results":[...]} or {"error":{...}} (no exception for the latter)."""
        return self._sort_raw(_request(scenario), models, FLAG_COMPACT if compact else 0)

    def sort_batch_json(
        self, scenarios: Iterable[ScenarioLike], models: Union[None, str, Iterable[str]] = None, compact: bool = False
    ) -> bytes:
        """Like sort_batch, but returns the module's response bytes unparsed:
        a JSON array of answers, or {"error":{...}}."""
        return self._sort_raw(_batch_request(scenarios), models, FLAG_BATCH | (FLAG_COMPACT if compact else 0))

    def sort_batch(
        self, scenarios: Iterable[ScenarioLike], models: Union[None, str, Iterable[str]] = None, compact: bool = False
    ) -> List[Dict[str, Any]]:
        """Answers many scenarios (dicts or JSON texts) in one call into the
        module: a list of answers, one per scenario, in order (compact ones
        with compact=True). A bad scenario fails the whole call: GaisortError
        whose path starts with its index ("[3].destinations[0]")."""
        return _answer(self.sort_batch_json(scenarios, models, compact))  # type: ignore[return-value]

    def sort_text(
        self, scenario: Union[ScenarioLike, List[ScenarioLike]], models: Union[None, str, Iterable[str]] = None
    ) -> str:
        """The human answer `gaisort sort` prints, rendered by the engine,
        for one scenario or a list of them (each after a line "=== scenario
        I of N"). Raises GaisortError as sort does."""
        if isinstance(scenario, list):
            req, flags = _batch_request(scenario), FLAG_TEXT | FLAG_BATCH
        else:
            req = _request(scenario)
            flags = FLAG_TEXT | (FLAG_BATCH if req.lstrip()[:1] == b"[" else 0)
        out = self._sort_raw(req, models, flags)
        if out.startswith(b'{"error":'):
            _answer(out)  # raises
        return out.decode("utf-8")

    def lint(self, conf: Union[str, bytes], name: str = "") -> Dict[str, Any]:
        """Lints a gai.conf as glibc 2.36 reads it: {"warnings": n, "text":
        ...}, the text being what `gaisort lint NAME` prints (each line
        starts with name, "gai.conf" by default)."""
        data = conf.encode("utf-8") if isinstance(conf, str) else bytes(conf)
        if not isinstance(name, str):
            raise TypeError("name is a string, not %s" % type(name).__name__)
        return _answer(self._run(Instance.lint, data, name.encode("utf-8")))  # type: ignore[return-value]

    def _sort_raw(self, req: bytes, models: Union[None, str, Iterable[str]], flags: int) -> bytes:
        mod = _models_arg(models)
        if models is not None and not mod:
            # Given but empty ("" or []): asking for no model is a bug, not
            # "every model" (None, which the ABI encodes as an empty list).
            # The module's own answer to a list naming no model, in its shape.
            known = ", ".join(m["name"] for m in self.models())
            msg = "models is empty: name at least one model (known: %s), or leave models out (None) for the default models" % known
            return json.dumps({"error": {"code": "unknown_model", "message": msg, "path": ""}}, separators=(",", ":")).encode()
        return self._run(Instance.sort, req, mod, flags)

    def sort(
        self, scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None, compact: bool = False
    ) -> Dict[str, Any]:
        """Answers one scenario: the object `gaisort sort --json` prints for
        it, {"results": [{"model": ..., "order": [...], ...}, ...]}.

        scenario: a dict, or its JSON text (str or bytes), in the format of
        docs/scenario.md. models: None (the default models), a comma list
        ("glibc,musl") or a list of names or aliases; "" or [] raises
        GaisortError("unknown_model"), as a list naming no model does.
        compact=True: the compact answer (per model its order and the
        deciding rules' IDs, or its error; docs/scenario.md).
        Raises GaisortError (code, message, path) when the module refuses it."""
        return _answer(self.sort_json(scenario, models, compact))

    def models(self) -> List[Dict[str, Any]]:
        """The models, in answer order: [{"name", "aliases", "summary"}]."""
        if self._models is None:
            self._models = json.loads(self._run(lambda inst: inst.take(inst.call("gaisort_models"))))
        return [dict(m) for m in self._models]

    def version(self) -> Dict[str, Any]:
        """The module's version object ({"gaisort", "abi", "go"}) plus the
        binding's own version ("binding") and wasmtime's ("wasmtime")."""
        from . import __version__

        v = json.loads(self._run(lambda inst: inst.take(inst.call("gaisort_version"))))
        v["binding"] = __version__
        v["wasmtime"] = _cache.wasmtime_version()
        return v

    def call(self, export: str, *args: int) -> Optional[int]:
        """The low-level ABI: calls an export of the instance with integer
        arguments and returns its (unsigned) result. For tests and experts:
        misuse (a bogus pointer) may trap, which discards the instance."""
        if export not in ALL_EXPORTS:
            raise ValueError("unknown export %r (known: %s)" % (export, ", ".join(sorted(ALL_EXPORTS))))
        return self._run(lambda inst: inst.call(export, *args))

    def read_memory(self, ptr: int, n: int) -> bytes:
        """The low-level ABI: n bytes of the instance's memory at ptr."""
        return self._run(lambda inst: inst.read(ptr, n))

    def write_memory(self, ptr: int, data: bytes) -> None:
        """The low-level ABI: writes data into the instance's memory at ptr."""
        self._run(lambda inst: inst.write(ptr, bytes(data)))

    def close(self) -> None:
        """Drops the instance (the next call makes a new one)."""
        with self._lock:
            self._drop()


# The deepest a scenario nests (engine.MaxDepth, engine/limits.go).
_MAX_DEPTH = 32


def _request(scenario: ScenarioLike) -> bytes:
    if isinstance(scenario, (bytes, bytearray, memoryview)):
        return bytes(scenario)
    if isinstance(scenario, str):
        return scenario.encode("utf-8")
    if isinstance(scenario, dict):
        try:
            return json.dumps(scenario, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise GaisortError("bad_scenario", "the scenario is not JSON: %s" % e) from e
        except RecursionError as e:
            # Nested past Python's recursion limit: no scenario (one nests
            # at most _MAX_DEPTH levels), and this binding's own error.
            raise GaisortError(
                "bad_scenario",
                "the scenario is not JSON: it nests too deeply to be written out (a scenario nests at most %d levels)"
                % _MAX_DEPTH,
            ) from None
    raise TypeError("scenario must be a dict or its JSON text (str or bytes), not %s" % type(scenario).__name__)


def _batch_request(scenarios: Iterable[ScenarioLike]) -> bytes:
    if isinstance(scenarios, (str, bytes, bytearray, dict)):
        raise TypeError("sort_batch takes a list of scenarios, not %s" % type(scenarios).__name__)
    parts = []
    for i, sc in enumerate(scenarios):
        try:
            parts.append(_request(sc))
        except GaisortError as e:
            raise GaisortError(e.code, e.message, "[%d]" % i) from e
    return b"[" + b",".join(parts) + b"]"


def _models_arg(models: Union[None, str, Iterable[str]]) -> bytes:
    if models is None:
        return b""
    if isinstance(models, str):
        names = models
    else:
        models = list(models)
        for m in models:
            if not isinstance(m, str):
                raise TypeError("model names are strings, not %s" % type(m).__name__)
        names = ",".join(models)
    return names.encode("utf-8")


def _answer(data: bytes) -> Any:
    try:
        obj = json.loads(data)
    except ValueError as e:
        raise GaisortError("internal", "the module answered with something that is not JSON: %s" % e) from e
    err = obj.get("error") if isinstance(obj, dict) else None
    if isinstance(err, dict):
        raise GaisortError(str(err.get("code", "")), str(err.get("message", "")), str(err.get("path", "") or ""))
    return obj
