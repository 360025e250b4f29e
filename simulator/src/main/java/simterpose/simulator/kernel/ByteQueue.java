package simterpose.simulator.kernel;

import java.util.ArrayDeque;

/**
 * A FIFO of bytes kept as the chunks they were written in (no copy when a whole chunk moves
 * from a send queue to a segment to a receive queue). Threading: owned by its socket.
 */
final class ByteQueue {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already consumed. */
    private int headOffset;
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
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            chunks.addLast(copy);
            size += len;
        }
    }

    /** Moves every byte of {@code other} to the end of this queue. */
    void appendAll(ByteQueue other) {
        if (other.headOffset > 0) {
            byte[] first = other.chunks.pollFirst();
            byte[] rest = new byte[first.length - other.headOffset];
            System.arraycopy(first, other.headOffset, rest, 0, rest.length);
            chunks.addLast(rest);
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
            byte[] first = chunks.peekFirst();
            int avail = first.length - headOffset;
            if (avail <= n && headOffset == 0) {
                chunks.pollFirst();
                out.chunks.addLast(first);
                out.size += avail;
                size -= avail;
                n -= avail;
            } else {
                int k = (int) Math.min(avail, n);
                out.append(first, headOffset, k);
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
        byte[] head = chunks.peekFirst();
        if (remove && headOffset == 0 && head != null && head.length == len) {
            // the read takes exactly the first chunk: hand it over (the queue owns its chunks)
            chunks.pollFirst();
            size -= len;
            return head;
        }
        byte[] out = new byte[len];
        int done = 0;
        int offset = headOffset;
        for (byte[] c : chunks) {
            if (done == len) {
                break;
            }
            int k = Math.min(c.length - offset, len - done);
            System.arraycopy(c, offset, out, done, k);
            done += k;
            offset = 0;
        }
        if (remove) {
            consume(len);
        }
        return out;
    }

    void clear() {
        chunks.clear();
        headOffset = 0;
        size = 0;
    }

    private void consume(long n) {
        size -= n;
        while (n > 0) {
            byte[] first = chunks.peekFirst();
            int avail = first.length - headOffset;
            if (n >= avail) {
                chunks.pollFirst();
                headOffset = 0;
                n -= avail;
            } else {
                headOffset += (int) n;
                n = 0;
            }
        }
    }
}
