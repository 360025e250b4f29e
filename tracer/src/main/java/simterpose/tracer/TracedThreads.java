package simterpose.tracer;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner thread's table of traced threads, with the two counts its loop asks at every turn
 * (in O(1): there may be thousands of tracees): threads awaiting a deferred verdict and threads
 * killed whose deaths are still to be reaped. Owner thread only.
 */
final class TracedThreads {
    private final Map<Integer, Tid> byTid = new HashMap<>();
    private int killed;
    private int awaitingVerdict;
    /** Stops of auto-attached children that arrived before their parent's clone/fork event. */
    final Map<Integer, Integer> earlyStops = new HashMap<>();

    Tid get(int tid) {
        return byTid.get(tid);
    }

    boolean contains(int tid) {
        return byTid.containsKey(tid);
    }

    void add(Tid t) {
        byTid.put(t.tid, t);
        if (t.killed) {
            killed++; // a killed thread re-registered under a new tid is still to be reaped
        }
    }

    /** Drops a thread, keeping the killed count right (a verdict it awaits is the caller's business). */
    Tid forget(int tid) {
        Tid t = byTid.remove(tid);
        if (t != null && t.killed) {
            killed--;
        }
        return t;
    }

    boolean isEmpty() {
        return byTid.isEmpty();
    }

    Collection<Tid> all() {
        return byTid.values();
    }

    List<Tid> snapshot() {
        return List.copyOf(byTid.values());
    }

    void markKilled(Tid t) {
        if (!t.killed) {
            killed++;
            t.killed = true;
        }
    }

    void awaitVerdict(Tid t) {
        t.awaitingDecision = true;
        awaitingVerdict++;
    }

    /** The verdict came, or will never be asked for (the thread is gone). */
    void verdictNoLongerAwaited(Tid t) {
        if (t.awaitingDecision) {
            t.awaitingDecision = false;
            awaitingVerdict--;
        }
    }

    /**
     * Every traced thread awaits a verdict, and none is killed (a killed thread's death must
     * still be reaped by waitpid): no stop can come, only requests.
     */
    boolean allAwaitVerdicts() {
        return awaitingVerdict > 0 && awaitingVerdict == byTid.size() && killed == 0;
    }
}
