package simterpose.simulator.kernel;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where a receive's bytes go. The socket hands over views of its queued bytes (no copy) and
 * consumes only what the sink took: mediation writes them to the tracee's iovecs with one
 * process_vm_writev. A peek hands the same views and consumes nothing.
 */
@FunctionalInterface
public interface RecvSink {
    /**
     * Copies {@code parts} (in order, one stream; valid only during the call) to their
     * destination; returns the bytes taken: all, or fewer when the destination faulted (a TCP
     * receive then fails with EFAULT and the bytes stay queued).
     */
    long take(List<MemorySegment> parts);

    /** A sink that keeps a copy of what it took, as a byte array (the byte[] API). */
    final class Collect implements RecvSink {
        private byte[] bytes = new byte[0];

        @Override
        public long take(List<MemorySegment> parts) {
            long total = 0;
            for (MemorySegment p : parts) {
                total += p.byteSize();
            }
            byte[] out = new byte[Math.toIntExact(total)];
            int at = 0;
            for (MemorySegment p : parts) {
                MemorySegment.copy(p, 0, MemorySegment.ofArray(out), at, p.byteSize());
                at += (int) p.byteSize();
            }
            bytes = out;
            return total;
        }

        /** What the last {@link #take} got (empty if none). */
        public byte[] bytes() {
            return bytes;
        }
    }
}
