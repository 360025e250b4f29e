package simterpose.cli.views;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import simterpose.bindings.LibC;

/**
 * A file written as a stream of large blocks, each written by a background thread while the
 * next fills, with {@code O_DIRECT} when the file system takes it (the capture of a run can be
 * as large as everything it sent, twice). Falls back to ordinary writes when the file system
 * refuses direct I/O (at open or at the first write). The file holds exactly the bytes written
 * once {@link #close()} returned.
 *
 * <p>Why direct, and why never the page cache when the device is behind: on this project's
 * 2-CPU VM the kernel's copy of a capture into the page cache costs about 2 CPU-seconds per GB
 * (fresh page-cache pages; {@code copy_folio_from_iter_atomic}), against about 0.1 for direct
 * writes; a writer that waits for the device costs nothing, as the views' queue lets the run go
 * on meanwhile. {@value #IO_THREADS} background threads: the device takes two direct streams
 * almost twice as fast as one ({@code dd oflag=direct bs=1M}: 1 GB in 1.12 s alone, 0.63 s as
 * two of 512 MB), and a run writes two hosts' files.
 *
 * <p>Blocks start at 64 kB and double up to 2 MB as the file grows, so that a run of many
 * quiet hosts holds little memory; at most {@value #IN_FLIGHT} are written at once per file.
 * A block of 2 MB is one transparent huge page where the kernel gives them: a direct write
 * pins its buffer's pages and its completion, in the disk's interrupt, unpins them, one huge
 * page instead of 512 small ones, on whichever CPU takes the disk's interrupts (on the
 * project's VM, the CPU the run pins its tracees to). Measured on a 1 GB run with every view
 * (issue 13): the background writes' CPU 170-250 ms with 1 MB blocks of small pages, 60-80 with
 * huge pages; the run's wall lower in 5 of 6 alternated pairs.
 * Not thread-safe: one writer thread; the background writes are its own.
 */
final class BlockFile implements AutoCloseable {
    private static final int FIRST_BLOCK = 64 << 10, LAST_BLOCK = (int) LibC.HUGE_PAGE, IN_FLIGHT = 8, IO_THREADS = 2;
    /** Alignment of a direct write's buffer, position and length (the page size covers every block device's). */
    private static final int ALIGN = 4096;
    /** The background writes of every block file, at a low priority (see {@link ViewThreads}). */
    private static final ExecutorService IO = Executors.newFixedThreadPool(IO_THREADS,
            r -> Thread.ofPlatform().name("simterpose-block-io").daemon(true).unstarted(() -> {
                ViewThreads.yieldToTheRun();
                r.run();
            }));

    private final Path path;
    private final Arena arena = Arena.ofShared();
    /** The file: O_DIRECT while {@link #direct}; replaced (under this object's lock) by a background write that the file system refused. */
    private volatile FileChannel channel;
    private volatile boolean direct;
    private final int inFlight;
    private ByteBuffer current;
    /** {@link #current}'s memory. */
    private MemorySegment currentMemory;
    /** The background writes, oldest first, and their blocks (reused once written). */
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> writing = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long position;
    private int blockSize = FIRST_BLOCK;
    private boolean closed;

    /** Creates or truncates {@code path}. */
    BlockFile(Path path) {
        this(path, IN_FLIGHT);
    }

    /** With at most {@code inFlight} (at least 1) background writes pending. */
    BlockFile(Path path, int inFlight) {
        this.path = path;
        this.inFlight = Math.max(1, inFlight);
        try {
            channel = openDirect(path);
            direct = channel != null;
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(e);
        }
        use(allocate(blockSize));
    }

    private void use(ByteBuffer block) {
        current = block;
        currentMemory = MemorySegment.ofBuffer(block);
    }

    /** The file opened for direct I/O, or null when its file system does not take it. */
    private static FileChannel openDirect(Path path) {
        try {
            FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
            if (ALIGN % Files.getFileStore(path).getBlockSize() != 0) {
                c.close();
                return null;
            }
            return c;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private ByteBuffer allocate(int size) {
        return (size % LibC.HUGE_PAGE == 0 ? LibC.hugePageMemory(size, arena) : arena.allocate(size, ALIGN)).asByteBuffer();
    }

    void write(MemorySegment bytes, long offset, long length) {
        while (length > 0) {
            int k = (int) Math.min(length, current.remaining());
            int at = current.position();
            MemorySegment.copy(bytes, offset, currentMemory, at, k);
            current.position(at + k);
            offset += k;
            length -= k;
            if (!current.hasRemaining()) {
                handOver();
            }
        }
    }

    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int k = Math.min(length, current.remaining());
            current.put(bytes, offset, k);
            offset += k;
            length -= k;
            if (!current.hasRemaining()) {
                handOver();
            }
        }
    }

    /** Starts writing the full block in the background (after the oldest, when {@link #inFlight} are pending) and goes on in a free one. */
    private void handOver() {
        ByteBuffer full = current.flip();
        long at = position;
        position += full.limit();
        while (!pending.isEmpty() && (pending.size() >= inFlight || pending.peek().isDone())) {
            awaitOldest();
        }
        pending.add(IO.submit(() -> writeFully(full, at)));
        writing.add(full);
        if (blockSize < LAST_BLOCK) {
            blockSize *= 2;
        }
        ByteBuffer next = free.poll();
        while (next != null && next.capacity() < blockSize) {
            next = free.poll(); // outgrown: dropped
        }
        use(next != null ? next.clear() : allocate(blockSize));
    }

    /**
     * Writes {@code block} at {@code at}; if the file system refuses a direct write, reopens the
     * file for ordinary writes (once, whichever background thread sees it first; a write of the
     * other then fails on the closed channel and is made again) and goes on with those.
     */
    private Void writeFully(ByteBuffer block, long at) throws IOException {
        FileChannel c = channel;
        try {
            write(c, block, at);
        } catch (IOException e) {
            synchronized (this) {
                if (channel == c) {
                    if (!direct) {
                        throw e;
                    }
                    direct = false;
                    c.close();
                    channel = FileChannel.open(path, StandardOpenOption.WRITE);
                }
            }
            write(channel, block.rewind(), at);
        }
        return null;
    }

    private static void write(FileChannel channel, ByteBuffer block, long at) throws IOException {
        while (block.hasRemaining()) {
            at += channel.write(block, at);
        }
    }

    /** Waits for the oldest background write, and rethrows its failure; its block is free again. */
    private void awaitOldest() {
        Future<?> oldest = pending.poll();
        free.add(writing.poll());
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    oldest.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the block is written whatever: the file stays whole
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes what is held and closes the file (its length is then exactly what was written); a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            while (!pending.isEmpty()) {
                awaitOldest();
            }
            int tail = current.position();
            long end = position + tail;
            // a direct write takes whole aligned blocks: pad the last, then cut the file back to its length
            boolean padded = direct && tail % ALIGN != 0;
            if (tail > 0) {
                current.limit(padded ? (tail + ALIGN - 1) / ALIGN * ALIGN : tail).position(0);
                writeFully(current, position);
            }
            if (padded) {
                channel.truncate(end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                arena.close();
            }
        }
    }
}
