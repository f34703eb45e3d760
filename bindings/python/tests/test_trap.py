"""A trap discards the instance; the next call gets a fresh one."""

import os
import subprocess

import pytest

import gaisort
from conftest import CONTAINER8


def test_bogus_pointer_traps_and_recovers():
    rt = gaisort.Runtime()
    want = rt.sort(CONTAINER8)
    assert rt.call("gaisort_abi_version") == 1
    assert rt.instances == 1
    # A request pointer far outside the module's memory.
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.call("gaisort_sort", 0x7FFFFFF0, 4096, 0, 0)
    assert ei.value.code == "trap"
    assert "out of bounds" in ei.value.message
    assert rt.traps == 1
    assert rt.sort(CONTAINER8) == want
    assert rt.instances == 2


def test_out_of_memory_traps_and_recovers():
    # A memory limit, then a buffer past it: the Go runtime cannot grow its
    # heap and aborts, which is a trap.
    rt = gaisort.Runtime(max_memory=48 << 20)
    want = gaisort.sort(CONTAINER8)
    assert rt.sort(CONTAINER8) == want
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.call("gaisort_alloc", 60 << 20)
    assert ei.value.code == "trap"
    assert rt.traps == 1
    assert rt.sort(CONTAINER8) == want
    assert rt.instances == 2 and rt.traps == 1


def test_trap_on_slow_calls_too():
    rt = gaisort.Runtime(fast_calls=False)
    want = gaisort.sort(CONTAINER8)
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.call("gaisort_sort", 0x7FFFFFF0, 4096, 0, 0)
    assert ei.value.code == "trap"
    assert rt.sort(CONTAINER8) == want
    assert rt.instances == 2


def test_low_level_protocol_by_hand():
    # The ABI step by step: alloc, write, sort, free, read, free.
    rt = gaisort.Runtime()
    req = b'{"version":1,"destinations":["::1","127.0.0.1"]}'
    ptr = rt.call("gaisort_alloc", len(req))
    assert ptr != 0
    rt.write_memory(ptr, req)
    packed = rt.call("gaisort_sort", ptr, len(req), 0, 0)
    rt.call("gaisort_free", ptr, len(req))
    rp, rn = packed >> 32, packed & 0xFFFFFFFF
    resp = rt.read_memory(rp, rn)
    rt.call("gaisort_free", rp, rn)
    assert resp == gaisort.sort_json(req)
    assert rt.call("gaisort_alloc", -1) == 0
    with pytest.raises(ValueError):
        rt.call("no_such_export")


def test_memory_limit_below_the_module_minimum():
    rt = gaisort.Runtime(max_memory=1 << 16)
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.sort(CONTAINER8)
    assert ei.value.code == "trap"
    assert "instantiating" in ei.value.message


FORK_PROBE = r"""
import os, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with threads
import gaisort
sc = {"version": 1, "destinations": ["::1", "127.0.0.1", "fe80::1%lo"]}
rt = gaisort.Runtime()
want = rt.sort(sc)
r, w = os.pipe()
pid = os.fork()
if pid == 0:  # the child: a fresh instance, the same answer
    try:
        os.write(w, b"ok" if rt.sort(sc) == want and rt.instances == 2 else b"bad")
    finally:
        os._exit(0)
os.close(w)
got = os.read(r, 16)
os.waitpid(pid, 0)
assert got == b"ok", got
assert rt.sort(sc) == want and rt.instances == 1
print("ok")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_forked_child_gets_its_own_instance(python_exe):
    # In a subprocess with a time limit: a fork of a process with threads
    # could deadlock, which must fail rather than hang the suite.
    p = subprocess.run([python_exe, "-c", FORK_PROBE], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ok"
