package simterpose.simulator.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Where the bytes a send takes come from. The socket first decides how many it takes (what fits
 * in its send buffer), then asks for exactly those, straight into the memory that will hold them
 * in the queue: mediation fills it from the tracee with one process_vm_readv, no Java array
 * between.
 */
@FunctionalInterface
public interface SendSource {
    /**
     * Fills {@code into} from its start; returns the bytes filled: all of them, or fewer when the
     * source faulted (the send then takes none of them and fails with EFAULT).
     */
    long fill(MemorySegment into);

    /**
     * A source that fills nothing: a real stream carries the bytes ({@code run --mediation=address}),
     * so the queue keeps only their count (its chunks are views of one shared read-only block of
     * zeros: no allocation, no copy). {@link #fill} still says how many bytes the send may take.
     */
    @FunctionalInterface
    interface Uncopied extends SendSource {}

    /** The bytes of {@code data} from {@code offset} on. */
    static SendSource of(byte[] data, int offset) {
        return into -> {
            MemorySegment.copy(MemorySegment.ofArray(data), offset, into, 0, into.byteSize());
            return into.byteSize();
        };
    }
}
