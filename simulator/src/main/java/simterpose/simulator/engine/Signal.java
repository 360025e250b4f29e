package simterpose.simulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition code can wait on ("socket readable", "connection accepted"): whoever changes the
 * state calls {@link #signalAll()}, which wakes the waiters ({@link Wait}s) in the order they
 * began waiting.
 *
 * <p>Threading: the engine's single logical thread only.
 */
public final class Signal {
    private record Waiter(Wakeable target, long epoch) {}

    private List<Waiter> waiters = new ArrayList<>();
    /** What the code that fires is saying happened, for the waiters to read as they wake (null: unsaid). */
    private Object cause;
    /** The last cause given and how many firings there were: a wait that fired earlier in the instant reads a later cause. */
    private Object lastCause;
    private long firings;

    void add(Wakeable target, long epoch) {
        waiters.add(new Waiter(target, epoch));
    }

    void remove(Wakeable target) {
        waiters.removeIf(w -> w.target() == target);
    }

    /**
     * Wakes every waiter, telling them why ({@link Wait#cause()}): a value the engine does not
     * look at (the kernel's {@code WakeCause}).
     */
    public void signalAll(Object why) {
        cause = why;
        lastCause = why;
        firings++;
        try {
            signalAll();
        } finally {
            cause = null;
        }
    }

    /** The cause given to the {@link #signalAll(Object)} under way, else null. */
    Object cause() {
        return cause;
    }

    /** Records {@code why} as {@link #signalAll(Object)} does, with no waiter to wake. */
    public void note(Object why) {
        lastCause = why;
        firings++;
    }

    long firings() {
        return firings;
    }

    Object lastCause() {
        return lastCause;
    }

    /** Wakes every waiter (they run later in the current instant). */
    public void signalAll() {
        List<Waiter> woken = waiters;
        waiters = new ArrayList<>();
        for (Waiter w : woken) {
            w.target().wake(this, w.epoch());
        }
    }

    public boolean hasWaiters() {
        return !waiters.isEmpty();
    }
}
