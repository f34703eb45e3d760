// A minimal WASI preview 1 host for the gaisort module, the same code in
// Node and in browsers (no node:wasi). The Go wasip1 runtime imports ten
// functions (runtime/os_wasip1.go, runtime/netpoll_wasip1.go); a module
// that links package syscall (os, runtime/debug, ...) adds six fd_*
// functions (syscall/fs_wasip1.go), whose init walks the preopened
// directories. All sixteen are implemented here. The module has no files
// (only descriptors 0, 1 and 2, character devices), no arguments beyond
// its name, no environment, and nothing to wait for: the engine does no
// I/O. Any other wasi_snapshot_preview1 import a future module might list
// gets a stub, so that instantiation never fails on a name: EBADF for the
// fd_*, path_* and sock_* calls (there is no such descriptor), ENOSYS for
// the rest.

/** WASI errno values (wasi_snapshot_preview1 `errno`). */
export const ERRNO = Object.freeze({ SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52 });

const FILETYPE_CHARACTER_DEVICE = 2;

const CLOCK_REALTIME = 0;
const EVENTTYPE_CLOCK = 0;

/** Thrown by proc_exit: the module asked to end. The instance is dead. */
export class WasiExit extends Error {
  constructor(code) {
    super(`the WebAssembly module exited with status ${code}`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

const ARGV0 = new TextEncoder().encode('gaisort\0');

/**
 * Makes the import object for one instance. getMemory returns the
 * instance's exported memory (known only after instantiation).
 * @param {WebAssembly.Module} module
 * @param {() => WebAssembly.Memory} getMemory
 * @param {{stdout?: (line: string) => void, stderr?: (line: string) => void}} [io]
 */
export function wasiImports(module, getMemory, io = {}) {
  const out = [
    io.stdout ?? ((s) => console.log(s)),
    io.stderr ?? ((s) => console.error(s)),
  ];
  const pending = ['', ''];
  const decoder = new TextDecoder();
  const view = () => new DataView(getMemory().buffer);
  const bytes = () => new Uint8Array(getMemory().buffer);
  const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

  const impl = {
    // argv is ["gaisort"]: os.Args[0] is set, nothing else.
    args_sizes_get(argcPtr, bufSizePtr) {
      const v = view();
      v.setUint32(argcPtr, 1, true);
      v.setUint32(bufSizePtr, ARGV0.length, true);
      return ERRNO.SUCCESS;
    },
    args_get(argvPtr, bufPtr) {
      view().setUint32(argvPtr, bufPtr, true);
      bytes().set(ARGV0, bufPtr);
      return ERRNO.SUCCESS;
    },
    // An empty environment.
    environ_sizes_get(countPtr, bufSizePtr) {
      const v = view();
      v.setUint32(countPtr, 0, true);
      v.setUint32(bufSizePtr, 0, true);
      return ERRNO.SUCCESS;
    },
    environ_get() {
      return ERRNO.SUCCESS;
    },
    // Realtime from the epoch; every other clock (monotonic, CPU time) is
    // performance.now() since the time origin, which only moves forward.
    clock_time_get(id, _precision, timePtr) {
      const ns = id === CLOCK_REALTIME ? nowNs() : BigInt(Math.round(performance.now() * 1e6));
      view().setBigUint64(timePtr, ns, true);
      return ERRNO.SUCCESS;
    },
    random_get(ptr, len) {
      // getRandomValues fills at most 65536 bytes per call.
      const b = bytes();
      for (let off = 0; off < len; off += 65536) {
        crypto.getRandomValues(b.subarray(ptr + off, ptr + Math.min(len, off + 65536)));
      }
      return ERRNO.SUCCESS;
    },
    // Standard output and error go to the console, a line at a time (a
    // Go panic message arrives in pieces). Every other descriptor: EBADF.
    fd_write(fd, iovsPtr, iovsLen, nwrittenPtr) {
      if (fd !== 1 && fd !== 2) return ERRNO.BADF;
      const v = view();
      const b = bytes();
      let n = 0;
      let text = pending[fd - 1];
      for (let i = 0; i < iovsLen; i++) {
        const p = v.getUint32(iovsPtr + i * 8, true);
        const l = v.getUint32(iovsPtr + i * 8 + 4, true);
        text += decoder.decode(b.subarray(p, p + l));
        n += l;
      }
      let nl;
      while ((nl = text.indexOf('\n')) >= 0) {
        out[fd - 1](text.slice(0, nl));
        text = text.slice(nl + 1);
      }
      pending[fd - 1] = text;
      v.setUint32(nwrittenPtr, n, true);
      return ERRNO.SUCCESS;
    },
    proc_exit(code) {
      for (let i = 0; i < 2; i++) if (pending[i]) out[i](pending[i]);
      pending[0] = pending[1] = '';
      throw new WasiExit(code);
    },
    sched_yield() {
      return ERRNO.SUCCESS;
    },
    // No preopened directory: the walk from fd 3 stops at the first EBADF.
    fd_prestat_get() {
      return ERRNO.BADF;
    },
    fd_prestat_dir_name() {
      return ERRNO.BADF;
    },
    // Descriptors 0-2 are character devices; there are no others.
    fd_fdstat_get(fd, statPtr) {
      if (fd < 0 || fd > 2) return ERRNO.BADF;
      const v = view();
      v.setUint8(statPtr, FILETYPE_CHARACTER_DEVICE);
      v.setUint8(statPtr + 1, 0);
      v.setUint16(statPtr + 2, 0, true); // fs_flags
      v.setUint32(statPtr + 4, 0, true);
      // fd_read (bit 1) for stdin, fd_write (bit 6) for stdout and stderr.
      v.setBigUint64(statPtr + 8, fd === 0 ? 2n : 64n, true);
      v.setBigUint64(statPtr + 16, 0n, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags(fd) {
      return fd >= 0 && fd <= 2 ? ERRNO.SUCCESS : ERRNO.BADF;
    },
    fd_close(fd) {
      return fd >= 0 && fd <= 2 ? ERRNO.SUCCESS : ERRNO.BADF;
    },
    // The Go scheduler sleeps with a clock subscription when it has nothing
    // to run; the engine has no goroutines, so nothing will ever wake it.
    // Every subscription is reported as having fired at once (a clock as
    // expired, a descriptor with EBADF): no host blocking, ever.
    poll_oneoff(inPtr, outPtr, nsubs, neventsPtr) {
      if (nsubs === 0) return ERRNO.INVAL;
      const v = view();
      for (let i = 0; i < nsubs; i++) {
        const s = inPtr + i * 48; // subscription: userdata u64, tag u8, ...
        const e = outPtr + i * 32; // event: userdata u64, error u16, type u8, fd_readwrite
        const tag = v.getUint8(s + 8);
        v.setBigUint64(e, v.getBigUint64(s, true), true);
        v.setUint16(e + 8, tag === EVENTTYPE_CLOCK ? ERRNO.SUCCESS : ERRNO.BADF, true);
        v.setUint8(e + 10, tag);
        for (let k = 11; k < 32; k++) v.setUint8(e + k, 0);
      }
      v.setUint32(neventsPtr, nsubs, true);
      return ERRNO.SUCCESS;
    },
  };

  const ns = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function') continue;
    ns[imp.name] = impl[imp.name] ?? (/^(fd|path|sock)_/.test(imp.name) ? () => ERRNO.BADF : () => ERRNO.NOSYS);
  }
  return { wasi_snapshot_preview1: ns };
}

/** The WASI functions this shim implements (the rest answer ENOSYS). */
export const IMPLEMENTED = Object.freeze([
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_time_get',
  'random_get', 'fd_write', 'proc_exit', 'sched_yield', 'poll_oneoff',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_close',
]);
