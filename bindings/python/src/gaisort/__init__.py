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
__all__ = ["GaisortError", "Runtime", "sort", "sort_json", "models", "version", "default_runtime", "wasm_path", "ABI_VERSIONS"]

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


def sort(scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None) -> Dict[str, Any]:
    """Answers one scenario (a dict, or its JSON text) with the given models
    (None: the default models, the RFC and the newest glibc and musl; a comma list or a list of names): the object
    `gaisort sort --json` prints for it, {"results": [...]}. Raises
    GaisortError(code, message, path)."""
    return default_runtime().sort(scenario, models)


def sort_json(scenario: ScenarioLike, models: Union[None, str, Iterable[str]] = None) -> bytes:
    """Like sort, but the module's response bytes, unparsed (an error comes
    back as {"error":{...}} rather than raised)."""
    return default_runtime().sort_json(scenario, models)


def models() -> List[Dict[str, Any]]:
    """The models, in answer order: [{"name", "aliases", "summary"}, ...]."""
    return default_runtime().models()


def version() -> Dict[str, Any]:
    """{"gaisort": ..., "abi": 1, "go": ..., "binding": ..., "wasmtime": ...}."""
    return default_runtime().version()
