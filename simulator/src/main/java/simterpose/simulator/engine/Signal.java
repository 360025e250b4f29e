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

    void add(Wakeable target, long epoch) {
        waiters.add(new Waiter(target, epoch));
    }

    void remove(Wakeable target) {
        waiters.removeIf(w -> w.target() == target);
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
