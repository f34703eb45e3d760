"""Build hook: ship the WebAssembly module inside the package.

The module is not in git. `make wasm` builds it to build/gaisort.wasm at the
repository root; building this package (pip install bindings/python, pip
wheel, python -m build) copies it into the package as gaisort/gaisort.wasm.
Where it is taken from, first match wins:

  1. $GAISORT_WASM (a path to a gaisort.wasm) if set when building;
  2. ../../build/gaisort.wasm relative to this file, when this is the
     repository (../../wasm/ABI.md exists; not in an unpacked sdist);
  3. src/gaisort/gaisort.wasm (an unpacked sdist, which carries it).

With none of them the build stops and says to run `make wasm`.

The repository's LICENSE (../../LICENSE) is copied here as LICENSE (git-
ignored) before setuptools reads pyproject.toml's license-files, so that the
wheel's and the sdist's metadata carry it; an unpacked sdist has its copy.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))


def in_repository():
    """Whether this is bindings/python of the gaisort repository (not an
    unpacked sdist, whose ../.. is some temporary directory)."""
    return os.path.isfile(os.path.join(HERE, "..", "..", "wasm", "ABI.md"))


def copy_license():
    repo = os.path.join(HERE, "..", "..", "LICENSE")
    here = os.path.join(HERE, "LICENSE")
    if in_repository() and os.path.isfile(repo):
        with open(repo, "rb") as f:
            text = f.read()
        if not os.path.isfile(here) or open(here, "rb").read() != text:
            with open(here, "wb") as f:
                f.write(text)
    elif not os.path.isfile(here):
        raise SystemExit("gaisort: no LICENSE: neither %s nor %s exists" % (os.path.normpath(repo), here))


def find_wasm():
    candidates = []
    env = os.environ.get("GAISORT_WASM")
    if env:
        candidates.append(("$GAISORT_WASM", env))
    if in_repository():
        candidates.append(("the repository's build/", os.path.join(HERE, "..", "..", "build", "gaisort.wasm")))
    candidates.append(("the sdist", os.path.join(HERE, "src", "gaisort", "gaisort.wasm")))
    for _, path in candidates:
        if os.path.isfile(path):
            return os.path.normpath(path)
    raise SystemExit(
        "gaisort: no WebAssembly module to ship: looked in "
        + ", ".join("%s (%s)" % (what, os.path.normpath(p)) for what, p in candidates)
        + ". Run `make wasm` at the repository root first (or set GAISORT_WASM)."
    )


def check_wasm(path):
    with open(path, "rb") as f:
        if f.read(4) != b"\0asm":
            raise SystemExit("gaisort: %s is not a WebAssembly module" % path)


class BuildPy(build_py):
    def run(self):
        super().run()
        src = find_wasm()
        check_wasm(src)
        dst = os.path.join(self.build_lib, "gaisort", "gaisort.wasm")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.abspath(src) != os.path.abspath(dst):
            shutil.copyfile(src, dst)


class Sdist(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        src = find_wasm()
        check_wasm(src)
        dst = os.path.join(base_dir, "src", "gaisort", "gaisort.wasm")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)


copy_license()
setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
