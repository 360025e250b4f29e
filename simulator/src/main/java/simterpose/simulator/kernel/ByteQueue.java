package simterpose.simulator.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * A FIFO of bytes kept as the chunks they were written in (no copy when a whole chunk moves
 * from a send queue to a segment to a receive queue). Threading: owned by its socket.
 *
 * <p>Chunks of {@link #NATIVE_FROM} bytes or more live in C heap memory ({@link NativeBytes}),
 * freed as soon as they are consumed: the bytes in flight of a thousand connections can exceed
 * the tool's heap (1000 pairs × 1 MB sit in send buffers at once), which stays for the
 * simulation's own state. Smaller chunks are byte arrays, cheapest to allocate. Each chunk
 * belongs to one queue at a time.
 */
final class ByteQueue {
    static final int NATIVE_FROM = 4096;

    /** {@code bytes} is the chunk's content; {@code memory}, if not null, is the block to free with it. */
    private record Chunk(MemorySegment bytes, NativeBytes memory) {
        static Chunk copyOf(MemorySegment from, long offset, long len) {
            NativeBytes memory = len >= NATIVE_FROM ? new NativeBytes(len) : null;
            MemorySegment bytes = memory != null ? memory.segment : MemorySegment.ofArray(new byte[(int) len]);
            MemorySegment.copy(from, offset, bytes, 0, len);
            return new Chunk(bytes, memory);
        }

        long length() {
            return bytes.byteSize();
        }

        void free() {
            if (memory != null) {
                memory.free();
            }
        }
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already consumed. */
    private long headOffset;
    private long size;

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends a copy of {@code len} bytes. */
    void append(byte[] data, int off, int len) {
        if (len > 0) {
            chunks.addLast(Chunk.copyOf(MemorySegment.ofArray(data), off, len));
            size += len;
        }
    }

    /** Moves every byte of {@code other} to the end of this queue. */
    void appendAll(ByteQueue other) {
        if (other.headOffset > 0) {
            Chunk first = other.chunks.pollFirst();
            chunks.addLast(Chunk.copyOf(first.bytes(), other.headOffset, first.length() - other.headOffset));
            first.free();
            other.headOffset = 0;
        }
        chunks.addAll(other.chunks);
        size += other.size;
        other.chunks.clear();
        other.size = 0;
    }

    /** Moves the first {@code n} bytes into a new queue. */
    ByteQueue split(long n) {
        ByteQueue out = new ByteQueue();
        while (n > 0) {
            Chunk first = chunks.peekFirst();
            long avail = first.length() - headOffset;
            if (avail <= n && headOffset == 0) {
                chunks.pollFirst();
                out.chunks.addLast(first);
                out.size += avail;
                size -= avail;
                n -= avail;
            } else {
                long k = Math.min(avail, n);
                out.chunks.addLast(Chunk.copyOf(first.bytes(), headOffset, k));
                out.size += k;
                consume(k);
                n -= k;
            }
        }
        return out;
    }

    /**
     * Up to {@code n} bytes from the front, as a new array the caller owns; {@code remove} also
     * consumes them.
     */
    byte[] read(int n, boolean remove) {
        int len = (int) Math.min(n, size);
        byte[] out = new byte[len];
        int done = 0;
        long offset = headOffset;
        for (Chunk c : chunks) {
            if (done == len) {
                break;
            }
            int k = (int) Math.min(c.length() - offset, len - done);
            MemorySegment.copy(c.bytes(), ValueLayout.JAVA_BYTE, offset, out, done, k);
            done += k;
            offset = 0;
        }
        if (remove) {
            consume(len);
        }
        return out;
    }

    void clear() {
        chunks.forEach(Chunk::free);
        chunks.clear();
        headOffset = 0;
        size = 0;
    }

    private void consume(long n) {
        size -= n;
        while (n > 0) {
            Chunk first = chunks.peekFirst();
            long avail = first.length() - headOffset;
            if (n >= avail) {
                chunks.pollFirst().free();
                headOffset = 0;
                n -= avail;
            } else {
                headOffset += n;
                n = 0;
            }
        }
    }
}
