package simterpose.simulator.mediation;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import simterpose.simulator.engine.Signal;

/**
 * Breaks busy-polling loops. A program that polls in a loop whose every answer is immediate
 * (iperf3's client selects on its writable data socket until the server's control byte comes)
 * never blocks, so simulated time never moves and what it waits for never happens. On a real
 * machine the loop spins while the wall clock runs. So after {@link #SPINS} immediate answers
 * to one thread at the same simulated instant, with no byte moved by its process in between
 * and no virtual fd opened or closed (an accept loop makes progress without bytes),
 * the next answer waits until a file of the set changes or {@link #WAIT} simulated seconds
 * pass, then is computed afresh. Shadow does the like by charging unblocked syscalls a small
 * latency. Decisions depend on simulated state only, so runs repeat.
 *
 * <p>Threading: handlers of one thread run one at a time, on its actor or inline on the
 * tracer's owner; the map is synchronized for handlers of different threads.
 */
final class BusyPoll {
    private BusyPoll() {}

    /** Immediate answers at one instant before a loop counts as spinning; real programs poll a few times, not hundreds. */
    static final int SPINS = 100;
    /** Longest wait of a spinning poll, in simulated seconds: a loop that polls the clock sees it move this much. */
    static final double WAIT = 1e-3;

    private static final class Spin {
        double at = Double.NaN;
        long moved;
        long files;
        int count;
        boolean waited;
    }

    private static final Map<TracedThread, Spin> SPINS_BY_THREAD = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Called when a poll-family call could answer at once: null to answer now, else the wait
     * that replaces the answer (after which the handler runs again).
     *
     * @param watched   the wait queues of the files the call watches
     * @param remaining seconds left of the call's own timeout (negative: none): a wait never
     *                  outlasts it, unless it is already over (a zero-timeout poll in a loop)
     */
    static HandlerResult.BlockAny holdIfSpinning(Call c, List<Signal> watched, double remaining) {
        Spin s = SPINS_BY_THREAD.computeIfAbsent(c.thread, t -> new Spin());
        double now = c.thread.run.sim.now();
        // progress the process made since: bytes moved, or files opened/closed (an accept loop)
        long moved = c.proc().bytesSent() + c.proc().bytesReceived();
        long files = c.proc().fds().changes();
        if (s.waited || now != s.at || moved != s.moved || files != s.files) {
            s.waited = false;
            s.at = now;
            s.moved = moved;
            s.files = files;
            s.count = 0;
        }
        if (++s.count <= SPINS) {
            return null;
        }
        s.waited = true;
        return new HandlerResult.BlockAny(watched, remaining > 1e-9 ? Math.min(WAIT, remaining) : WAIT);
    }
}
