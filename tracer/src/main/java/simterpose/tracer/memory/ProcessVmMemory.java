package simterpose.tracer.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;

/**
 * {@link TraceeMemory} over process_vm_readv/writev: about 1000× cheaper than PEEKDATA for
 * 100 KB, and callable from any thread (it is not a ptrace request). It cannot write
 * read-only mappings (code, vDSO); the engine uses POKETEXT on its owner thread for those.
 * Stateless apart from the pid: safe to share between threads.
 */
public final class ProcessVmMemory implements TraceeMemory {
    private static final int PAGE = 4096;
    private final int pid;

    public ProcessVmMemory(int pid) {
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public int read(long address, byte[] dst, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        Scratch scratch = Scratch.of(length);
        long n = transfer(scratch, address, length, false);
        MemorySegment.copy(scratch.buffer, ValueLayout.JAVA_BYTE, 0, dst, offset, (int) n);
        return (int) n;
    }

    @Override
    public int write(long address, byte[] src, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        Scratch scratch = Scratch.of(length);
        MemorySegment.copy(src, offset, scratch.buffer, ValueLayout.JAVA_BYTE, 0, length);
        return (int) transfer(scratch, address, length, true);
    }

    /**
     * A thread's native staging buffer and its two iovecs, kept between calls: a fresh native
     * allocation is zeroed, which cost as much as the copy itself for 100 kB sends (perf, 10 000
     * x 100 kB under `run`). Grown to the largest request up to {@link #KEEP_MAX}; larger ones
     * get a buffer of their own for one call.
     */
    private static final class Scratch {
        private static final int KEEP_MAX = 8 << 20;
        private static final ThreadLocal<Scratch> KEPT = ThreadLocal.withInitial(() -> new Scratch(64 << 10));
        final MemorySegment buffer;
        final MemorySegment iovs;

        private Scratch(long size) {
            Arena arena = Arena.ofAuto();
            buffer = arena.allocate(size, 16);
            iovs = arena.allocate(32, 8);
        }

        static Scratch of(int length) {
            Scratch s = KEPT.get();
            if (s.buffer.byteSize() >= length) {
                return s;
            }
            if (length > KEEP_MAX) {
                return new Scratch(length);
            }
            s = new Scratch(Math.max(length, Math.min(KEEP_MAX, s.buffer.byteSize() * 2)));
            KEPT.set(s);
            return s;
        }
    }

    /** One call; a fault inside the range gives a short count, a fault at its start gives 0. */
    private long transfer(Scratch scratch, long address, int length, boolean write) {
        MemorySegment iovs = scratch.iovs;
        iovs.set(ValueLayout.JAVA_LONG, 0, scratch.buffer.address());
        iovs.set(ValueLayout.JAVA_LONG, 8, length);
        iovs.set(ValueLayout.JAVA_LONG, 16, address);
        iovs.set(ValueLayout.JAVA_LONG, 24, length);
        MemorySegment remote = iovs.asSlice(16, 16);
        try {
            return write ? LibC.processVmWritev(pid, iovs, 1, remote, 1)
                         : LibC.processVmReadv(pid, iovs, 1, remote, 1);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EFAULT || e.errno() == Errno.EIO || e.errno() == Errno.ENOMEM) {
                return 0;
            }
            throw e;
        }
    }

    @Override
    public CString readCString(long address, int maxBytes) {
        byte[] out = new byte[Math.min(maxBytes, 256)];
        int have = 0;
        long at = address;
        // Read page by page: a string may end just before an unmapped page.
        while (have < maxBytes) {
            int chunk = (int) Math.min(PAGE - (at & (PAGE - 1)), maxBytes - have + 1L);
            byte[] buf = new byte[chunk];
            int n = read(at, buf, 0, chunk);
            if (n <= 0) {
                return have == 0 ? null : new CString(Arrays.copyOf(out, have), true);
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == 0) {
                    return new CString(Arrays.copyOf(append(out, have, buf, i), have + i), false);
                }
            }
            int take = Math.min(n, maxBytes - have);
            out = append(out, have, buf, take);
            have += take;
            if (take < n || n < chunk) {
                return new CString(Arrays.copyOf(out, have), true);
            }
            at += n;
        }
        return new CString(Arrays.copyOf(out, have), true);
    }

    private static byte[] append(byte[] out, int have, byte[] buf, int n) {
        if (out.length < have + n) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, have + n));
        }
        System.arraycopy(buf, 0, out, have, n);
        return out;
    }
}
