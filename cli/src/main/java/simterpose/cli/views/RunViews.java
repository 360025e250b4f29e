package simterpose.cli.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.platform.Platform;

/**
 * The views {@code run} writes as it goes ({@code --strace}, {@code --blocking}, {@code --pcap},
 * {@code --timeline}: see {@link ViewWriters}), fed by the run's {@link RunObserver} events.
 *
 * <p>The run's thread (the tracer's owner, which every traced thread waits for) only queues each
 * event (with the values its text needs, taken at the stops); one writer thread makes the
 * strace lines, builds the packets, table rows and timeline records and writes them, in the events' order, so
 * the files are the same bytes as if written inline.
 * Events go over in batches (at most {@value #BATCH} events or {@value #BATCH_BYTES} payload
 * bytes, {@value #BATCHES} batches queued: bounded memory; the run waits when the writer is
 * behind). The queue holds up to 64 MB of payload, about a tenth of a second of sends at full
 * speed, so that the moments the writer thread is descheduled on a busy machine do not stop
 * the run. Payloads are the run's own socket memory, lent (see {@link Packet#payload()}): what
 * the capture keeps alive beyond what the sockets hold is what the queue holds, plus the
 * segments whose arrival the writer has not yet written (one per connection at most, as a
 * connection's next segment leaves after the previous one arrived). {@link #close()} writes what is held, whatever ended the run, and rethrows the writer's
 * first failure.
 *
 * <p>Threading: events from one thread at a time (the run's), then {@code close} and
 * {@code blocking} from the caller's once the run is over.
 */
public final class RunViews implements RunObserver, AutoCloseable {
    /**
     * What to write.
     *
     * @param blockingMinNanos the {@code --blocking} threshold, or -1 for no table
     * @param nativeCalls      syscall numbers to log though the run does not mediate them
     */
    public record Options(Path straceDir, long blockingMinNanos, Path pcapDir, boolean pcapHeadersOnly,
                          Path timeline, Set<Integer> nativeCalls) {
        public boolean any() {
            return straceDir != null || blockingMinNanos >= 0 || pcapDir != null || timeline != null;
        }
    }

    private static final int BATCH = 1024;
    private static final int BATCH_BYTES = 4 << 20;
    private static final int BATCHES = 16;
    /** Tells the writer thread to stop (never a real batch: those are not empty). */
    private static final List<Runnable> END = List.of();

    private final ViewWriters writers;
    private final Set<Integer> nativeCalls;
    private final boolean wantsPayloads;
    private final BlockingQueue<List<Runnable>> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread writer;
    private List<Runnable> batch = new ArrayList<>(BATCH);
    private long batchBytes;
    private volatile RuntimeException failure;
    private boolean closed;

    /** Opens the files (the directories must exist) and starts the writer thread. */
    public RunViews(Options options, Platform platform, long epochNanos) {
        this.writers = new ViewWriters(options, platform, epochNanos);
        this.nativeCalls = Set.copyOf(writers.nativeCalls());
        this.wantsPayloads = writers.wantsPayloads();
        this.writer = Thread.ofPlatform().name("simterpose-views").daemon(true).start(this::write);
    }

    /** The --blocking table, or null when not asked; complete once {@link #close()} returned. */
    public BlockingTable blocking() {
        return writers.blocking();
    }

    @Override
    public Set<Integer> nativeCalls() {
        return nativeCalls;
    }

    @Override
    public boolean wantsPayloads() {
        return wantsPayloads;
    }

    @Override
    public void processStarted(long nanos, String actor, String host, int pid) {
        queue(() -> writers.processStarted(nanos, actor, host, pid), 0);
    }

    @Override
    public void callStarted(long nanos, int pid, int tid, String name, Supplier<String> unfinished) {
        queue(() -> writers.callStarted(nanos, pid, tid, name, unfinished), 0);
    }

    @Override
    public void callEnded(long nanos, int pid, int tid, Supplier<String> line, Supplier<String> resumed) {
        queue(() -> writers.callEnded(nanos, pid, tid, line, resumed), 0);
    }

    @Override
    public void blocked(long nanos, int pid, int tid, String syscall) {
        queue(() -> writers.blocked(nanos, pid, tid, syscall), 0);
    }

    @Override
    public void unblocked(long nanos, long sinceNanos, int pid, int tid, String syscall, Wake why) {
        queue(() -> writers.unblocked(nanos, sinceNanos, pid, tid, syscall, why), 0);
    }

    @Override
    public void signalDelivered(long nanos, int pid, int tid, String line) {
        queue(() -> writers.signalDelivered(nanos, pid, tid, line), 0);
    }

    @Override
    public void threadEnded(long nanos, int pid, int tid, String how) {
        queue(() -> writers.threadEnded(nanos, pid, tid, how), 0);
    }

    @Override
    public void packet(Packet packet) {
        queue(() -> writers.packet(packet), packet.payload() == null ? 0 : packet.payload().length());
    }

    @Override
    public void arrived(long id, long nanos) {
        queue(() -> writers.arrived(id, nanos), 0);
    }

    @Override
    public void lost(long id) {
        queue(() -> writers.lost(id), 0);
    }

    @Override
    public void end(long nanos) {
        queue(() -> writers.end(nanos), 0);
        close();
    }

    /** Writes what is held and closes every file (waiting for the writer thread); a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue(writers::close, 0);
        handOver();
        put(END);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true; // a Ctrl-C: the files are still finished first
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void queue(Runnable event, long bytes) {
        if (closed) {
            return;
        }
        batch.add(event);
        batchBytes += bytes;
        if (batch.size() >= BATCH || batchBytes >= BATCH_BYTES) {
            handOver();
        }
    }

    private void handOver() {
        if (!batch.isEmpty()) {
            put(batch);
            batch = new ArrayList<>(BATCH);
            batchBytes = 0;
        }
    }

    private void put(List<Runnable> events) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(events);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer thread: runs each batch in order; after a failure, only drains. */
    private void write() {
        ViewThreads.yieldToTheRun();
        while (true) {
            List<Runnable> events;
            try {
                events = queue.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; END ends it
            }
            if (events == END) {
                return;
            }
            if (failure != null) {
                continue;
            }
            try {
                for (Runnable event : events) {
                    event.run();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
