"""gaisort: in what order will getaddrinfo() return these addresses, and why?

The gaisort engine (RFC 6724, glibc 2.31 to 2.43, musl 1.2.2 to 1.2.6 and the Linux kernel's
source-address choice) as a WebAssembly module run by wasmtime.

    >>> import gaisort
    >>> answer = gaisort.sort({"version": 1, ...})   # a dict or JSON text
    >>> [r["order"] for r in answer["results"]]

sort, models and version use one shared Runtime, made on first use; make
your own Runtime for another module file, cache directory or memory limit.
"""

import threading as _threading
from typing import Any, Dict, Iterable, List, Optional, Union

from ._errors import GaisortError
from ._runtime import ABI_VERSIONS, Runtime, ScenarioLike, wasm_path

__version__ = "0.1.0"
__all__ = [
    "GaisortError",
    "Runtime",
    "sort",
    "sort_json",
    "sort_batch",
    "sort_batch_json",
    "sort_text",
    "lint",
    "models",
    "version",
    "default_runtime",
    "wasm_path",
    "ABI_VERSIONS",
]

_default: Optional[Runtime] = None
_default_lock = _threading.Lock()


def default_runtime() -> Runtime:
    """The Runtime behind the module-level functions."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Runtime()
    return _default


def sort(scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None, compact: bool = False) -> Dict[str, Any]:
    """Answers one scenario (a dict, or its JSON text) with the given models
    (None: the default models, the RFC and the newest glibc and musl; a comma
    list or a list of names; "" or [] raises GaisortError("unknown_model")): the object
    `gaisort sort --json` prints for it, {"results": [...]}; with
    compact=True the compact answer (`gaisort sort --compact`: per model its
    order and the deciding rules' IDs, or its error). Raises
    GaisortError(code, message, path)."""
    return default_runtime().sort(scenario, models, compact)


def sort_json(scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None, compact: bool = False) -> bytes:
    """Like sort, but the module's response bytes, unparsed (an error comes
    back as {"error":{...}} rather than raised)."""
    return default_runtime().sort_json(scenario, models, compact)


def sort_batch(
    scenarios: Iterable[ScenarioLike], models: Union[None, str, Iterable[str]] = None, compact: bool = False
) -> List[Dict[str, Any]]:
    """Answers many scenarios in one call into the module: a list of
    answers (compact ones with compact=True), one per scenario, in order. A
    bad scenario fails the whole call, its path starting with its index."""
    return default_runtime().sort_batch(scenarios, models, compact)


def sort_batch_json(
    scenarios: Iterable[ScenarioLike], models: Union[None, str, Iterable[str]] = None, compact: bool = False
) -> bytes:
    """Like sort_batch, but the module's response bytes (a JSON array), unparsed."""
    return default_runtime().sort_batch_json(scenarios, models, compact)


def sort_text(scenario: Any, models: Union[None, str, Iterable[str]] = None) -> str:
    """The human answer `gaisort sort` prints, rendered by the engine, for
    one scenario or a list of them."""
    return default_runtime().sort_text(scenario, models)


def lint(conf: Union[str, bytes], name: str = "") -> Dict[str, Any]:
    """Lints a gai.conf as glibc 2.36 reads it: {"warnings": n, "text": the
    report `gaisort lint NAME` prints}."""
    return default_runtime().lint(conf, name)


def models() -> List[Dict[str, Any]]:
    """The models, in answer order: [{"name", "aliases", "summary"}, ...]."""
    return default_runtime().models()


def version() -> Dict[str, Any]:
    """{"gaisort": ..., "abi": 1, "go": ..., "binding": ..., "wasmtime": ...}."""
    return default_runtime().version()
