package simterpose.simulator.kernel;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bytes the kernel lends an observer without copying them (a capture of every byte sent writes
 * each segment's payload in two files, later, on a thread of its own): views, in order, of a
 * queue's chunks. A chunk in C heap memory ({@link NativeBytes}) is freed only once its queue
 * has consumed it and every borrower has called {@link #release}; a byte-array chunk is never
 * written again once queued, and the collector keeps it while viewed; a counted chunk (address
 * mode) is zeros. The views must not be read after {@link #release}.
 *
 * <p>Thread-safe: lent on the engine's thread, released on any (once; later calls do nothing).
 */
public final class LentBytes {
    /** No bytes. */
    public static final LentBytes EMPTY = new LentBytes(List.of(), 0, List.of());

    private final List<MemorySegment> parts;
    private final long length;
    /** The chunks' memory this loan holds (one holder each, see {@link NativeBytes#lend}). */
    private final List<NativeBytes> held;
    private final AtomicBoolean released = new AtomicBoolean();

    LentBytes(List<MemorySegment> parts, long length, List<NativeBytes> held) {
        this.parts = parts;
        this.length = length;
        this.held = held;
    }

    /** {@code bytes} as they are (a datagram's: nobody writes them again), holding nothing. */
    static LentBytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new LentBytes(List.of(MemorySegment.ofArray(bytes)), bytes.length, List.of());
    }

    /** The bytes, in order: parts of any length and alignment, at least one byte each. */
    public List<MemorySegment> parts() {
        return parts;
    }

    /** The parts' lengths summed. */
    public long length() {
        return length;
    }

    /** The native memory this loan holds (for tests). */
    List<NativeBytes> held() {
        return held;
    }

    /** The borrower is done: the memory goes back once its queue has consumed it too. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            held.forEach(NativeBytes::release);
        }
    }
}
