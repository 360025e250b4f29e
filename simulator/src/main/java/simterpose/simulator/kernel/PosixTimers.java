package simterpose.simulator.kernel;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One process's POSIX timers on simulated clocks (timer_create and its family): their ids, how
 * each notifies, and its {@link IntervalTimer}. Ids start at {@link #FIRST_ID}, far above the
 * ids the real kernel gives (0, 1, 2...), so a simulated timer and a real one (on a CPU-time
 * clock) never meet. A new process starts without timers; exec deletes them (both as Linux).
 * What an expiry does (queue the timer's signal in the real kernel) is the caller's.
 */
public final class PosixTimers {
    /** Simulated timer ids start here. */
    public static final int FIRST_ID = 1 << 20;

    /**
     * One timer: its id, clock, notification (sigevent's signal, notify kind, thread id and
     * value) and its expiries.
     */
    public static final class Timer {
        public final int id;
        public final int clock;
        public final int signal;
        public final int notify;
        public final int threadId;
        public final long value;
        public final IntervalTimer timer;

        Timer(int id, int clock, int signal, int notify, int threadId, long value, Consumer<Timer> expired) {
            this.id = id;
            this.clock = clock;
            this.signal = signal;
            this.notify = notify;
            this.threadId = threadId;
            this.value = value;
            this.timer = new IntervalTimer(() -> expired.accept(this));
        }
    }

    private final Map<Integer, Timer> byId = new TreeMap<>();

    /** The id the next timer gets: the lowest free one from {@link #FIRST_ID}. */
    public int freeId() {
        int id = FIRST_ID;
        while (byId.containsKey(id)) {
            id++;
        }
        return id;
    }

    /** A new, disarmed timer under {@code id}; {@code expired} runs at each of its expiries. */
    public Timer create(int id, int clock, int signal, int notify, int threadId, long value, Consumer<Timer> expired) {
        Timer t = new Timer(id, clock, signal, notify, threadId, value, expired);
        byId.put(id, t);
        return t;
    }

    /** The timer with {@code id}, or null (a real kernel's timer, or none). */
    public Timer get(int id) {
        return byId.get(id);
    }

    /** True while {@code t} is still this process's timer (not deleted). */
    public boolean holds(Timer t) {
        return byId.get(t.id) == t;
    }

    /** timer_delete: disarmed and forgotten; null if there was none. */
    public Timer delete(int id) {
        Timer t = byId.remove(id);
        if (t != null) {
            t.timer.disarm();
        }
        return t;
    }

    /** The process ended: no timer fires any more. */
    public void disarmAll() {
        byId.values().forEach(t -> t.timer.disarm());
    }

    /** exec: every timer deleted. */
    public void deleteAll() {
        disarmAll();
        byId.clear();
    }
}
