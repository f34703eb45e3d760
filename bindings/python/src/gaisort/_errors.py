"""GaisortError: every failure the binding reports."""

from typing import Optional


class GaisortError(Exception):
    """A request gaisort refused, or a failure of the WebAssembly runtime.

    Attributes:
      code:    a stable word. From the module (ABI version 1): "bad_scenario"
               (not JSON, or not a valid scenario; path names the field),
               "unknown_model" (message lists the known names), "too_large"
               (past the module's limits), "internal" (a recovered panic).
               From the binding: "trap" (the instance trapped and was
               discarded: the next call gets a fresh one), "abi_mismatch"
               (the module speaks an ABI this binding does not know),
               "no_module" (no gaisort.wasm to load).
      message: one line, in plain words.
      path:    the JSON path of the offending value, as in
               "interfaces[0].addresses[1].cidr", or "" for none.
    """

    def __init__(self, code: str, message: str, path: Optional[str] = "") -> None:
        self.code = code
        self.message = message
        self.path = path or ""
        super().__init__(code, message, self.path)

    def __str__(self) -> str:
        where = self.path + ": " if self.path else ""
        return "%s%s [%s]" % (where, self.message, self.code)

    def __repr__(self) -> str:
        return "GaisortError(code=%r, message=%r, path=%r)" % (self.code, self.message, self.path)
