package simterpose.simulator.kernel;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of bytes kept as the chunks they were written in (no copy when a whole chunk moves
 * from a send queue to a segment to a receive queue). Threading: owned by its socket.
 *
 * <p>Chunks of {@link #NATIVE_FROM} bytes or more live in C heap memory ({@link NativeBytes}),
 * freed as soon as they are consumed (and no observer borrows them): the bytes in flight of a
 * thousand connections can exceed the tool's heap (1000 pairs × 1 MB sit in send buffers at
 * once), which stays for the simulation's own state. Smaller chunks are byte arrays, cheapest to allocate. Each chunk
 * belongs to one queue at a time; {@link #lend} lets an observer read them meanwhile.
 *
 * <p>Bytes come in and go out without a Java array between: {@link #append(long, SendSource)}
 * has the source fill a new chunk in place, {@link #read(long, boolean, RecvSink)} hands the
 * sink views of the chunks. The byte[] methods are adapters over these two.
 */
final class ByteQueue {
    static final int NATIVE_FROM = 4096;
    /**
     * What the chunks of an {@link SendSource.Uncopied} send are views of: zeros, never written,
     * as large as the largest chunk mediation appends at once (a longer one gets memory of its own).
     */
    private static final MemorySegment COUNTED = java.lang.foreign.Arena.global().allocate(1 << 20).asReadOnly();

    /** {@code bytes} is the chunk's content; {@code memory}, if not null, is the block to release with it. */
    private record Chunk(MemorySegment bytes, NativeBytes memory) {
        /** A new chunk of {@code len} bytes, contents undefined. */
        static Chunk allocate(long len) {
            NativeBytes memory = len >= NATIVE_FROM ? new NativeBytes(len) : null;
            return new Chunk(memory != null ? memory.segment : MemorySegment.ofArray(new byte[(int) len]), memory);
        }

        /** A chunk of {@code len} bytes whose values nobody keeps (a real stream carries them). */
        static Chunk counted(long len) {
            return new Chunk(COUNTED.asSlice(0, len), null);
        }

        static Chunk copyOf(MemorySegment from, long offset, long len) {
            if (from.isReadOnly() && from.isNative() && from.address() >= COUNTED.address()
                    && from.address() < COUNTED.address() + COUNTED.byteSize()) {
                return counted(len); // a part of a counted chunk
            }
            Chunk c = allocate(len);
            MemorySegment.copy(from, offset, c.bytes, 0, len);
            return c;
        }

        long length() {
            return bytes.byteSize();
        }

        /** The queue is done with the chunk (a borrower may still hold its memory, see {@link #lend}). */
        void release() {
            if (memory != null) {
                memory.release();
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
        append(len, SendSource.of(data, off));
    }

    /**
     * Appends {@code len} bytes that {@code source} writes straight into a new chunk, or none if
     * it gave fewer (a fault); returns whether they were appended.
     */
    boolean append(long len, SendSource source) {
        if (len <= 0) {
            return true;
        }
        Chunk c = source instanceof SendSource.Uncopied && len <= COUNTED.byteSize() ? Chunk.counted(len) : Chunk.allocate(len);
        if (source.fill(c.bytes()) != len) {
            c.release();
            return false;
        }
        chunks.addLast(c);
        size += len;
        return true;
    }

    /** Moves every byte of {@code other} to the end of this queue. */
    void appendAll(ByteQueue other) {
        if (other.headOffset > 0) {
            Chunk first = other.chunks.pollFirst();
            chunks.addLast(Chunk.copyOf(first.bytes(), other.headOffset, first.length() - other.headOffset));
            first.release();
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
     * Views of every byte, lent to an observer until it releases them (see {@link LentBytes}):
     * the queue goes on as if nothing was lent, its native chunks freed once both are done.
     */
    LentBytes lend() {
        List<MemorySegment> parts = new ArrayList<>(chunks.size());
        List<NativeBytes> held = new ArrayList<>(chunks.size());
        long offset = headOffset;
        for (Chunk c : chunks) {
            parts.add(offset == 0 ? c.bytes() : c.bytes().asSlice(offset));
            if (c.memory() != null) {
                c.memory().lend();
                held.add(c.memory());
            }
            offset = 0;
        }
        return new LentBytes(parts, size, held);
    }

    /**
     * Up to {@code n} bytes from the front, as a new array the caller owns; {@code remove} also
     * consumes them.
     */
    byte[] read(int n, boolean remove) {
        RecvSink.Collect into = new RecvSink.Collect();
        read(n, remove, into);
        return into.bytes();
    }

    /**
     * Hands up to {@code n} bytes from the front to {@code sink} as views of the chunks (not
     * called when there are none); returns how many it took. {@code remove} consumes them if it
     * took all it was handed; after a fault (fewer) the queue stays as it was.
     */
    long read(long n, boolean remove, RecvSink sink) {
        long len = Math.min(n, size);
        if (len <= 0) {
            return 0;
        }
        List<MemorySegment> parts = new ArrayList<>(Math.min(chunks.size(), 16));
        long done = 0;
        long offset = headOffset;
        for (Chunk c : chunks) {
            if (done == len) {
                break;
            }
            long k = Math.min(c.length() - offset, len - done);
            parts.add(c.bytes().asSlice(offset, k));
            done += k;
            offset = 0;
        }
        long took = Math.clamp(sink.take(parts), 0, len);
        if (remove && took == len) {
            consume(len);
        }
        return took;
    }

    void clear() {
        chunks.forEach(Chunk::release);
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
                chunks.pollFirst().release();
                headOffset = 0;
                n -= avail;
            } else {
                headOffset += n;
                n = 0;
            }
        }
    }
}
