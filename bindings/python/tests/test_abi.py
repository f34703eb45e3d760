"""The binding refuses modules it does not understand, and never reads
outside the module's memory whatever the module answers (tiny stand-in
modules written in WAT)."""

import pytest
import wasmtime

import gaisort

EXPORTS = """
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "gaisort_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "gaisort_free") (param i32 i32))
  (func (export "gaisort_models") (result i64) (i64.const 0))
  (func (export "gaisort_version") (result i64) (i64.const 0))
"""


def module(tmp_path, body):
    path = tmp_path / "fake.wasm"
    path.write_bytes(wasmtime.wat2wasm("(module %s)" % body))
    return gaisort.Runtime(wasm=str(path), cache_dir=False)


def test_unknown_abi_version(tmp_path):
    rt = module(tmp_path, EXPORTS + """
      (func (export "gaisort_abi_version") (result i32) (i32.const 2))
      (func (export "gaisort_sort") (param i32 i32 i32 i32) (result i64) (i64.const 0))""")
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.sort({"version": 1, "destinations": ["::1"]})
    assert ei.value.code == "abi_mismatch"
    assert "version 2" in ei.value.message


def test_missing_export(tmp_path):
    rt = module(tmp_path, EXPORTS + """
      (func (export "gaisort_abi_version") (result i32) (i32.const 1))""")
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.models()
    assert ei.value.code == "abi_mismatch"
    assert "gaisort_sort" in ei.value.message


def test_wrong_signature(tmp_path):
    rt = module(tmp_path, EXPORTS + """
      (func (export "gaisort_abi_version") (result i32) (i32.const 1))
      (func (export "gaisort_sort") (param i32 i32) (result i64) (i64.const 0))""")
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.version()
    assert ei.value.code == "abi_mismatch"


@pytest.mark.parametrize("fast", [True, False])
def test_response_outside_memory(tmp_path, fast):
    # A response pointer past the end of memory: the binding treats the
    # instance as broken (a trap) rather than reading host memory.
    path = tmp_path / "fake.wasm"
    path.write_bytes(wasmtime.wat2wasm("(module %s)" % (EXPORTS + """
      (func (export "gaisort_abi_version") (result i32) (i32.const 1))
      (func (export "gaisort_sort") (param i32 i32 i32 i32) (result i64)
        (i64.const 0x0000FFF000010000))""")))
    rt = gaisort.Runtime(wasm=str(path), cache_dir=False, fast_calls=fast)
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.sort({"version": 1, "destinations": ["::1"]})
    assert ei.value.code == "trap"
    assert "outside its memory" in ei.value.message
    assert rt.traps == 1


def test_no_module(tmp_path):
    rt = gaisort.Runtime(wasm=str(tmp_path / "absent.wasm"), cache_dir=False)
    with pytest.raises(gaisort.GaisortError) as ei:
        rt.sort({"version": 1, "destinations": ["::1"]})
    assert ei.value.code == "no_module"
    assert "make wasm" in ei.value.message
