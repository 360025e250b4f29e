package simterpose.tracer.memory;

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
