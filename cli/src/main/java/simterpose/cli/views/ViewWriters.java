package simterpose.cli.views;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import simterpose.cli.views.RunViews.Options;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.platform.Platform;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The views {@code run} writes, fed by the run's {@link RunObserver} events through
 * {@link RunViews}, on its writer thread: {@code --strace=DIR} ({@link StraceViews}),
 * {@code --blocking} ({@link BlockingTable}), {@code --pcap=DIR} ({@link PcapViews}) and
 * {@code --timeline=FILE} ({@link TimelineViews}); each null when not asked. {@link #close()}
 * writes what is held whatever ended the run.
 *
 * <p>Threading: one thread at a time, in the run's event order (RunViews' writer thread).
 */
final class ViewWriters implements RunObserver, AutoCloseable {
    private final Options options;
    private final StraceViews strace;
    private final BlockingTable blocking;
    private final PcapViews pcap;
    private final TimelineViews timeline;
    /** wait4 and waitid, by name. */
    private static final Map<String, Integer> CHILD_WAITS_BY_NAME = Map.of(
            "wait4", SyscallTable.byName("wait4").orElseThrow().number(),
            "waitid", SyscallTable.byName("waitid").orElseThrow().number());
    private static final Set<Integer> CHILD_WAITS = Set.copyOf(CHILD_WAITS_BY_NAME.values());

    private final Map<Integer, String> actors = new HashMap<>();
    /** Threads in a call told to the observer but kept out of the logs (see {@link #unlogged}). */
    private final Set<Integer> notLogged = new HashSet<>();
    /** Threads in a wait the timeline shows (a blocked mediated call). */
    private final Set<Integer> blockedThreads = new HashSet<>();
    private boolean closed;

    /** Opens the files (the directories must exist). */
    ViewWriters(Options options, Platform platform, long epochNanos) {
        this.options = options;
        this.strace = options.straceDir() == null ? null : new StraceViews(options.straceDir(), epochNanos);
        this.blocking = options.blockingMinNanos() < 0 ? null : new BlockingTable(options.blockingMinNanos());
        this.pcap = options.pcapDir() == null ? null : new PcapViews(options.pcapDir(), options.pcapHeadersOnly(), epochNanos);
        this.timeline = options.timeline() == null ? null : new TimelineViews(options.timeline(), platform);
    }

    /** The --blocking table, or null when not asked. */
    BlockingTable blocking() {
        return blocking;
    }

    /**
     * The user's {@code -e trace=} calls for the logs, and for the blocking table a parent's
     * wait for its children (native: the real kernel holds it while the child lives in
     * simulated time), whose lines the logs leave out unless selected.
     */
    @Override
    public Set<Integer> nativeCalls() {
        Set<Integer> calls = new HashSet<>(strace == null ? Set.of() : options.nativeCalls());
        if (blocking != null) {
            calls.addAll(CHILD_WAITS);
        }
        return calls;
    }

    /** Whether a call is left out of the logs: stopped for only for the blocking table. */
    private boolean unlogged(String name) {
        return CHILD_WAITS_BY_NAME.containsKey(name) && !options.nativeCalls().contains(CHILD_WAITS_BY_NAME.get(name));
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
    public void callStarted(long nanos, int pid, int tid, String name, Supplier<String> unfinished) {
        if (strace != null && unlogged(name)) {
            notLogged.add(tid);
        } else if (strace != null) {
            strace.callStarted(nanos, pid, tid, name, unfinished);
        }
        if (timeline != null) {
            timeline.callStarted(nanos, pid, tid);
        }
    }

    @Override
    public void callEnded(long nanos, int pid, int tid, Supplier<String> line, Supplier<String> resumed) {
        if (strace != null && !notLogged.remove(tid)) {
            strace.callEnded(nanos, pid, tid, line, resumed);
        }
    }

    @Override
    public void blocked(long nanos, int pid, int tid, String syscall) {
        blockedThreads.add(tid);
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
        if (blockedThreads.remove(tid) && timeline != null) { // a native call's wait is not on the timeline
            timeline.unblocked(nanos, pid, tid);
        }
    }

    @Override
    public void signalDelivered(long nanos, int pid, int tid, String line) {
        if (strace != null) {
            strace.event(nanos, pid, tid, line);
        }
    }

    @Override
    public void threadEnded(long nanos, int pid, int tid, String how) {
        notLogged.remove(tid);
        blockedThreads.remove(tid);
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
