package simterpose.tracer.abi;

import java.util.ArrayList;
import java.util.List;

import simterpose.bindings.linux.iovec;
import simterpose.tracer.memory.TraceeMemory;

/** {@code struct iovec} (sys/uio.h; layout from the jextract bindings): a buffer's address and length. */
public record Iovec(long base, long len) {
    public static final int SIZE = (int) iovec.sizeof();
    private static final int BASE = (int) iovec.iov_base$offset(), LEN = (int) iovec.iov_len$offset();

    /** The iovec at {@code address}, or null when it cannot be read. */
    public static Iovec read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : decode(b, 0);
    }

    /** The {@code k}-th iovec of {@code array}, iovecs back to back as readv and writev take them. */
    public static Iovec decode(byte[] array, int k) {
        int at = SIZE * k;
        return new Iovec(Bytes.le64(array, at + BASE), Bytes.le64(array, at + LEN));
    }

    /**
     * The first {@code count} iovecs of the array at {@code address}; fewer when the memory
     * cannot be read past some element (the caller tells a short list from a whole one).
     */
    public static List<Iovec> readArray(TraceeMemory memory, long address, int count) {
        List<Iovec> out = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
        for (int k = 0; k < count; k++) {
            Iovec v = read(memory, address + (long) SIZE * k);
            if (v == null) {
                break;
            }
            out.add(v);
        }
        return out;
    }
}
