package simterpose.simulator.engine;

import java.util.List;

/**
 * Waiting without a thread: code registers what it waits for and a continuation; when the
 * first of its signals fires, its activity ends or its timeout passes, the continuation joins
 * the engine's ready queue and runs in turn, in a fixed order. The mediation layer runs every traced thread this way on the tracer's owner
 * thread, so a blocked syscall costs no hand-off between threads.
 *
 * <p>A wait fires at most once. Threading: the engine's single logical thread only.
 */
public final class Wait {
    /** What a continuation learns: whether a signal (or the activity) fired, rather than the timeout. */
    @FunctionalInterface
    public interface Continuation {
        void resume(boolean signalled);
    }

    private final Simulation simulation;
    private final List<Signal> signals;
    private final Continuation then;
    private final Wakeable waker = this::wake;
    private Timer timer;
    private boolean fired;
    private boolean cancelled;
    private boolean signalled;
    private Object cause;
    /** Each signal's firings when the wait fired (to find a cause given later, before the continuation ran). */
    private long[] firingsAtWake;

    private Wait(Simulation simulation, List<Signal> signals, Continuation then) {
        this.simulation = simulation;
        this.signals = signals;
        this.then = then;
    }

    /**
     * Waits until one of {@code signals} fires or {@code timeout} seconds pass (negative: no
     * timeout; an empty list with a timeout is a sleep).
     */
    public static Wait forAny(Simulation simulation, List<Signal> signals, double timeout, Continuation then) {
        Wait w = new Wait(simulation, List.copyOf(signals), then);
        for (Signal s : w.signals) {
            s.add(w.waker, 0);
        }
        if (timeout >= 0) {
            w.timer = simulation.startTimer(timeout);
            w.timer.onCompletion(t -> {
                if (t.state() == Activity.State.DONE) {
                    w.wake(t, 0);
                }
            });
        }
        return w;
    }

    /** Waits until {@code activity} is over (done or cancelled). */
    public static Wait forActivity(Simulation simulation, Activity activity, Runnable then) {
        Wait w = new Wait(simulation, List.of(), signalled -> then.run());
        activity.onCompletion(a -> w.wake(a, 0));
        return w;
    }

    /** Runs {@code then} from the ready queue, after what is already ready at this date. */
    public static Wait soon(Simulation simulation, Runnable then) {
        Wait w = new Wait(simulation, List.of(), signalled -> then.run());
        w.wake(w, 0);
        return w;
    }

    /** Runs {@code then} from the ready queue at date now + {@code delay}. */
    public static Wait after(Simulation simulation, double delay, Runnable then) {
        if (delay <= 0) {
            return soon(simulation, then);
        }
        return forAny(simulation, List.of(), delay, signalled -> then.run());
    }

    private void wake(Object cause, long epoch) {
        if (fired || cancelled) {
            return;
        }
        fired = true;
        signalled = cause != timer;
        if (cause instanceof Signal s) {
            this.cause = s.cause();
        }
        if (!signals.isEmpty()) {
            firingsAtWake = new long[signals.size()];
            for (int i = 0; i < firingsAtWake.length; i++) {
                firingsAtWake[i] = signals.get(i).firings();
            }
        }
        detach(cause);
        simulation.makeReady(this::runReady);
    }

    /**
     * Why the signal that ended the wait fired, as its firing code said
     * ({@link Signal#signalAll(Object)}), or the cause one of its signals gave later in the same
     * instant, before the continuation ran; null for a timeout, an activity or an unsaid cause.
     */
    public Object cause() {
        return cause;
    }

    /** Fires now as if signalled (a kill cuts the wait short); no-op once fired. */
    public void fireNow() {
        wake(this, 0);
    }

    /** Forgets the wait: its continuation will not run. */
    public void cancel() {
        if (!fired) {
            detach(null);
        }
        cancelled = true;
    }

    private void detach(Object cause) {
        for (Signal s : signals) {
            if (s != cause) {
                s.remove(waker);
            }
        }
        if (timer != null && cause != timer) {
            timer.cancel();
        }
    }

    private void runReady() {
        if (firingsAtWake != null) {
            // one of its signals fired again with a cause, in the same instant, before this ran: that is the latest news
            for (int i = 0; i < firingsAtWake.length; i++) {
                Signal s = signals.get(i);
                if (s.firings() > firingsAtWake[i] && s.lastCause() != null) {
                    this.cause = s.lastCause();
                }
            }
        }
        if (!cancelled) {
            then.resume(signalled);
        }
    }
}
