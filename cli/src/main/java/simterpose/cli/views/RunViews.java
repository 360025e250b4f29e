package simterpose.cli.views;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.platform.Platform;

/**
 * The views {@code run} writes as it goes, fed by the run's {@link RunObserver} events:
 * {@code --strace=DIR} ({@link StraceViews}), {@code --blocking} ({@link BlockingTable}),
 * {@code --pcap=DIR} ({@link PcapViews}) and {@code --timeline=FILE} ({@link TimelineViews});
 * each null when not asked. {@link #close()} writes what is held whatever ended the run.
 *
 * <p>Threading: the run calls it from the tracer's owner thread, then {@code end} and
 * {@code close} from the caller's once the run is over.
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

    private final Options options;
    private final StraceViews strace;
    private final BlockingTable blocking;
    private final PcapViews pcap;
    private final TimelineViews timeline;
    private final Map<Integer, String> actors = new HashMap<>();
    private boolean closed;

    /** Opens the files (the directories must exist). */
    public RunViews(Options options, Platform platform, long epochNanos) {
        this.options = options;
        this.strace = options.straceDir() == null ? null : new StraceViews(options.straceDir(), epochNanos);
        this.blocking = options.blockingMinNanos() < 0 ? null : new BlockingTable(options.blockingMinNanos());
        this.pcap = options.pcapDir() == null ? null : new PcapViews(options.pcapDir(), options.pcapHeadersOnly(), epochNanos);
        this.timeline = options.timeline() == null ? null : new TimelineViews(options.timeline(), platform);
    }

    /** The --blocking table, or null when not asked. */
    public BlockingTable blocking() {
        return blocking;
    }

    @Override
    public Set<Integer> nativeCalls() {
        return strace == null ? Set.of() : options.nativeCalls();
    }

    @Override
    public boolean wantsPayloads() {
        return pcap != null && !options.pcapHeadersOnly();
    }

    @Override
    public void processStarted(long nanos, String actor, String host, int pid) {
        actors.put(pid, actor + "@" + host);
        if (strace != null) {
            strace.processStarted(actor, host, pid);
        }
        if (blocking != null) {
            blocking.actor(actor + "@" + host);
        }
        if (pcap != null) {
            pcap.host(host);
        }
        if (timeline != null) {
            timeline.processStarted(nanos, actor, host, pid);
        }
    }

    @Override
    public void callStarted(long nanos, int pid, int tid, String name, String unfinished) {
        if (strace != null) {
            strace.callStarted(nanos, pid, tid, name, unfinished);
        }
        if (timeline != null) {
            timeline.callStarted(nanos, pid, tid);
        }
    }

    @Override
    public void callEnded(long nanos, int pid, int tid, String line, String resumed) {
        if (strace != null) {
            strace.callEnded(nanos, pid, tid, line, resumed);
        }
    }

    @Override
    public void blocked(long nanos, int pid, int tid, String syscall) {
        if (timeline != null) {
            timeline.blocked(nanos, pid, tid, syscall);
        }
    }

    @Override
    public void unblocked(long nanos, long sinceNanos, int pid, int tid, String syscall, Wake why) {
        if (blocking != null) {
            blocking.add(actors.getOrDefault(pid, "?"), new BlockingTable.Blocked(syscall, tid, sinceNanos,
                    nanos - sinceNanos, BlockingTable.Wake.valueOf(why.name())));
        }
        if (timeline != null) {
            timeline.unblocked(nanos, pid, tid);
        }
    }

    @Override
    public void threadEnded(long nanos, int pid, int tid, String how) {
        if (strace != null) {
            strace.threadEnded(nanos, pid, tid, how);
        }
        if (timeline != null) {
            timeline.threadEnded(nanos, pid, tid);
        }
    }

    @Override
    public void packet(Packet packet) {
        if (pcap != null) {
            pcap.packet(packet);
        }
        if (timeline != null) {
            timeline.packet(packet);
        }
    }

    @Override
    public void arrived(long id, long nanos) {
        if (pcap != null) {
            pcap.arrived(id, nanos);
        }
        if (timeline != null) {
            timeline.arrived(id, nanos);
        }
    }

    @Override
    public void lost(long id) {
        if (pcap != null) {
            pcap.lost(id);
        }
        if (timeline != null) {
            timeline.lost(id);
        }
    }

    @Override
    public void end(long nanos) {
        if (timeline != null && !closed) {
            timeline.end(nanos);
        }
        close();
    }

    /** Writes what is held and closes every file; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (strace != null) {
            strace.close();
        }
        if (pcap != null) {
            pcap.close();
        }
        if (timeline != null) {
            timeline.close();
        }
    }
}
