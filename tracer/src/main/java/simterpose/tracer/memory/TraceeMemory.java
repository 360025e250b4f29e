package simterpose.tracer.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Reads and writes one tracee's address space. The engine implements it with
 * process_vm_readv/writev (usable from any thread); decoders and mediation only see this view,
 * so they can be tested against a fake memory.
 *
 * <p>Reads never fail with an exception for an unmapped address inside the range: they return
 * how many bytes were copied (possibly 0), as the kernel does for a short copy. Strings are read
 * page by page so a string ending just before an unmapped page is still read whole.
 */
public interface TraceeMemory {
    /** Copies up to {@code length} bytes at {@code address} into {@code dst}; returns bytes copied. */
    int read(long address, byte[] dst, int offset, int length);

    /** Copies {@code length} bytes into the tracee at {@code address}; returns bytes copied. */
    int write(long address, byte[] src, int offset, int length);

    /**
     * Gathers from an iovec list: copies into {@code dst} the bytes of {@code remoteIov}
     * ({base, len, base, len, ...}) that follow its first {@code skip} bytes, up to
     * {@code dst.byteSize()}. Returns bytes copied, short if an address faults (0 at the first).
     * {@link ProcessVmMemory} does it in one process_vm_readv straight into native {@code dst}.
     */
    default long read(long[] remoteIov, long skip, MemorySegment dst) {
        long done = 0;
        for (int i = 0; i + 1 < remoteIov.length && done < dst.byteSize(); i += 2) {
            long len = remoteIov[i + 1];
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int n = (int) Math.min(len - skip, dst.byteSize() - done);
            byte[] b = new byte[n];
            int got = read(remoteIov[i] + skip, b, 0, n);
            MemorySegment.copy(b, 0, dst, ValueLayout.JAVA_BYTE, done, got);
            done += got;
            if (got < n) {
                break;
            }
            skip = 0;
        }
        return done;
    }

    /**
     * Scatters into an iovec list: copies the bytes of {@code src} (in order, as one stream) to
     * {@code remoteIov} ({base, len, ...}), as many as it holds. Returns bytes copied, short if
     * an address faults. {@link ProcessVmMemory} does it in one process_vm_writev from native
     * {@code src} segments.
     */
    default long write(List<MemorySegment> src, long[] remoteIov) {
        byte[] all = new byte[Math.toIntExact(src.stream().mapToLong(MemorySegment::byteSize).sum())];
        int at = 0;
        for (MemorySegment s : src) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, all, at, (int) s.byteSize());
            at += (int) s.byteSize();
        }
        long done = 0;
        for (int i = 0; i + 1 < remoteIov.length && done < all.length; i += 2) {
            int n = (int) Math.min(remoteIov[i + 1], all.length - done);
            if (n <= 0) {
                continue;
            }
            int put = write(remoteIov[i], all, (int) done, n);
            done += put;
            if (put < n) {
                break;
            }
        }
        return done;
    }

    /** Reads exactly {@code length} bytes, or returns null if any of them is unreadable. */
    default byte[] readFully(long address, int length) {
        byte[] buffer = new byte[length];
        return read(address, buffer, 0, length) == length ? buffer : null;
    }

    /** A little-endian 64-bit word, or the given fallback if unreadable. */
    default long readLong(long address, long fallback) {
        byte[] b = readFully(address, 8);
        if (b == null) {
            return fallback;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * A NUL-terminated string of at most {@code maxBytes} bytes (not counting the NUL).
     *
     * @return the bytes before the NUL, or the first {@code maxBytes} bytes if no NUL was found
     *         within them ({@link CString#truncated()} tells), or null if the first byte is unreadable
     */
    CString readCString(long address, int maxBytes);

    /** A C string read from a tracee. */
    record CString(byte[] bytes, boolean truncated) {}
}
