package simterpose.simulator.engine;

import java.util.List;
import java.util.concurrent.Semaphore;
import simterpose.simulator.platform.Host;

/**
 * A simulated process for tests of the engine and the virtual kernel: its body runs as
 * straight-line code on a virtual thread and blocks on activities ({@link #waitFor},
 * {@link #waitAny}, {@link #sleep}) or on a {@link Signal}; while it is blocked the engine runs
 * others and advances the clock. Production runs tracees as {@link Wait} continuations on the
 * tracer's owner thread instead (a hand-off to a virtual thread per stop costs too much there);
 * this lives under test because only tests drive the engine this way.
 *
 * <p>Threading: the engine thread and the actor's virtual thread hand control to each other
 * through two semaphores, so exactly one of them runs at any time. Blocking methods must be
 * called from the actor's own body.
 */
public final class Actor {
    public enum State { READY, BLOCKED, DONE }

    private final Simulation simulation;
    private final int id;
    private final String name;
    private final Host host;
    private final ActorBody body;
    private final Semaphore toActor = new Semaphore(0);
    private final Semaphore toEngine = new Semaphore(0);
    private Thread thread;
    private State state = State.READY;
    private Object wokenBy;
    private long waitEpoch;
    private RuntimeException failure;
    private final Wakeable waker = this::wake;

    private static final java.util.Map<Simulation, int[]> NEXT_ID = new java.util.WeakHashMap<>();

    /** Creates an actor that starts running at the current date, after what is already ready. */
    public static Actor spawn(Simulation simulation, String name, Host host, ActorBody body) {
        int id = NEXT_ID.computeIfAbsent(simulation, s -> new int[1])[0]++;
        Actor actor = new Actor(simulation, id, name, host, body);
        actor.makeReadyAtSpawn();
        return actor;
    }

    Actor(Simulation simulation, int id, String name, Host host, ActorBody body) {
        this.simulation = simulation;
        this.id = id;
        this.name = name;
        this.host = host;
        this.body = body;
    }

    public int id() { return id; }

    public String name() { return name; }

    public Host host() { return host; }

    public State state() { return state; }

    public Simulation simulation() { return simulation; }

    /** Simulated date. */
    public double now() { return simulation.now(); }

    /** Blocks until {@code activity} is over (done or cancelled). */
    public void waitFor(Activity activity) {
        if (!activity.test()) {
            long epoch = waitEpoch + 1;
            activity.onCompletion(a -> wake(a, epoch));
            block();
        }
    }

    /** Blocks until one of {@code activities} is over; returns the first one to be. */
    public Activity waitAny(List<? extends Activity> activities) {
        for (Activity a : activities) {
            if (a.test()) {
                return a;
            }
        }
        long epoch = waitEpoch + 1;
        for (Activity a : activities) {
            a.onCompletion(done -> wake(done, epoch));
        }
        return (Activity) block();
    }

    /** Blocks until the signal fires, or {@code timeout} seconds (negative: none); true if signalled. */
    public boolean waitFor(Signal signal, double timeout) {
        long epoch = waitEpoch + 1;
        signal.add(waker, epoch);
        Timer timer = timeout >= 0 ? simulation.startTimer(timeout) : null;
        if (timer != null) {
            timer.onCompletion(t -> wake(t, epoch));
        }
        Object why = block();
        if (why == signal) {
            if (timer != null) {
                timer.cancel();
            }
            return true;
        }
        signal.remove(waker);
        return false;
    }

    /**
     * Blocks until one of {@code signals} fires, or {@code timeout} seconds pass (negative:
     * none); true if signalled (poll on several sockets).
     */
    public boolean waitForAny(List<Signal> signals, double timeout) {
        long epoch = waitEpoch + 1;
        for (Signal s : signals) {
            s.add(waker, epoch);
        }
        Timer timer = timeout >= 0 ? simulation.startTimer(timeout) : null;
        if (timer != null) {
            timer.onCompletion(t -> wake(t, epoch));
        }
        Object why = block();
        for (Signal s : signals) {
            if (s != why) {
                s.remove(waker);
            }
        }
        if (timer != null && why != timer) {
            timer.cancel();
        }
        return timer == null || why != timer;
    }

    public void sleep(double seconds) {
        waitFor(simulation.startTimer(seconds));
    }

    /** Wakes the actor if it still blocks in wait number {@code epoch} (stale wake-ups are ignored). */
    void wake(Object cause, long epoch) {
        if (state == State.BLOCKED && epoch == waitEpoch) {
            state = State.READY;
            wokenBy = cause;
            simulation.makeReady(this::runFromEngine);
        }
    }

    private Object block() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("actor " + name + " can only block from its own body");
        }
        state = State.BLOCKED;
        waitEpoch++;
        wokenBy = null;
        toEngine.release();
        toActor.acquireUninterruptibly();
        return wokenBy;
    }

    void makeReadyAtSpawn() {
        simulation.makeReady(this::runFromEngine);
    }

    private void runFromEngine() {
        try {
            resumeAndWait();
        } finally {
        }
    }

    /** Engine side: lets the actor run until it blocks or ends. */
    private void resumeAndWait() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("actor-" + id + "-" + name).unstarted(this::main);
            thread.start();
        } else {
            toActor.release();
        }
        toEngine.acquireUninterruptibly();
        if (failure != null) {
            RuntimeException f = failure;
            failure = null;
            throw f;
        }
    }

    private void main() {
        try {
            body.run(this);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Exception e) {
            failure = new IllegalStateException("actor " + name + " failed", e);
        } finally {
            state = State.DONE;
            toEngine.release();
        }
    }
}
