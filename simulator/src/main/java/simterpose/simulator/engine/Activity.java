package simterpose.simulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import simterpose.simulator.model.Action;

/**
 * Something that takes simulated time: a {@link Transfer}, an {@link Execution} or a
 * {@link Timer}. Started by {@link Simulation}; done when its model action finishes or it is
 * cancelled. Code waits for it with a {@link Wait} or registers {@link #onCompletion}
 * callbacks, run by the engine in registration order.
 *
 * <p>Threading: belongs to its simulation; touched only by the engine's single logical thread.
 */
public abstract sealed class Activity permits Transfer, Execution, Timer {
    public enum State { RUNNING, DONE, CANCELLED }

    final Simulation simulation;
    Action action;
    private State state = State.RUNNING;
    private final double start;
    private double finish = -1;
    private List<Consumer<Activity>> callbacks = new ArrayList<>(1);

    Activity(Simulation simulation, double start) {
        this.simulation = simulation;
        this.start = start;
    }

    public State state() { return state; }

    /** True once done or cancelled (SimGrid's test()). */
    public boolean test() { return state != State.RUNNING; }

    public double startTime() { return start; }

    /** Simulated date of completion or cancellation; -1 while running. */
    public double finishTime() { return finish; }

    /** Amount still to process now (bytes, flops, or 1 for a timer). */
    public double remaining() {
        return state == State.RUNNING ? action.remains(simulation.now()) : 0;
    }

    /** Current rate (bytes/s or flop/s) as of the last solve. */
    public double rate() {
        return state == State.RUNNING ? action.rate() : 0;
    }

    /** Runs {@code callback} at completion (at once if already over). */
    public void onCompletion(Consumer<Activity> callback) {
        if (state != State.RUNNING) {
            callback.accept(this);
        } else {
            callbacks.add(callback);
        }
    }

    public void cancel() {
        simulation.cancel(this);
    }

    void complete(State how, double date) {
        state = how;
        finish = date;
        List<Consumer<Activity>> todo = callbacks;
        callbacks = List.of();
        for (Consumer<Activity> c : todo) {
            c.accept(this);
        }
    }
}
