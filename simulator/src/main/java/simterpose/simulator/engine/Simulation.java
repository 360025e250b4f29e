package simterpose.simulator.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.model.Action;
import simterpose.simulator.model.CpuModel;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.model.NetworkModel;
import simterpose.simulator.model.ResourceModel;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.Route;

/**
 * The simulated clock and everything that moves it: activities on the network and CPU models,
 * and the code waiting for them ({@link Wait} continuations: the mediation layer runs every
 * traced thread this way).
 *
 * <h2>One step ({@link #step()})</h2>
 * <ol>
 * <li>Run every ready entry, one at a time, in the order they became ready (woken ones in the
 * order their activities completed). An entry runs until it waits again or ends; only then does
 * the next one start. Nothing here depends on wall-clock timing, so the same inputs give the
 * same results.</li>
 * <li>Each model re-solves what changed (SimGrid's lazy update) and reports its next date;
 * the clock jumps to the earliest.</li>
 * <li>Each model pops what happens at that date (within surf/precision); completed activities
 * run their callbacks and wake their waiters, in completion order (network, then CPU).</li>
 * </ol>
 *
 * <p>Threading: one engine thread calls {@link #run}/{@link #step} (or drives the engine
 * piecewise with {@link #runNextReady} and {@link #advanceClock}); {@link Wait} continuations
 * run on the engine thread itself, so all state here is touched by a single logical thread.
 * (Tests also drive it with thread-backed actors, strictly one at a time.)
 */
public final class Simulation {
    private final Platform platform;
    private final ModelConfig config;
    private final NetworkModel network;
    private final CpuModel cpu;
    private final List<ResourceModel> models;
    private final Map<Host, Map<Host, Route>> routes = new HashMap<>();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ArrayList<Action> finished = new ArrayList<>();
    private double now;

    public Simulation(Platform platform, ModelConfig config) {
        this.platform = platform;
        this.config = config;
        this.network = new NetworkModel(config);
        this.cpu = new CpuModel(config);
        this.models = List.of(network, cpu);
    }

    public Platform platform() { return platform; }

    public ModelConfig config() { return config; }

    /** Current simulated date, seconds. */
    public double now() { return now; }

    // ---- activities ----

    public Transfer startTransfer(Host src, Host dst, double bytes) {
        Transfer t = new Transfer(this, now, src, dst, bytes);
        t.action = network.communicate(t, route(src, dst), config.crossTraffic() ? route(dst, src)
                : new Route(dst, src, List.of()), bytes, now);
        return t;
    }

    /**
     * A transfer that moves bytes at once, without the latency phase {@link #startTransfer}
     * pays: the next segment of a stream whose flow is already under way (see
     * {@link NetworkModel#communicateWithoutLatency}).
     */
    public Transfer continueTransfer(Host src, Host dst, double bytes) {
        Transfer t = new Transfer(this, now, src, dst, bytes);
        t.action = network.communicateWithoutLatency(t, route(src, dst), config.crossTraffic() ? route(dst, src)
                : new Route(dst, src, List.of()), bytes, now);
        return t;
    }

    public Execution startExecution(Host host, double flops) {
        Execution e = new Execution(this, now, host, flops);
        e.action = cpu.execute(e, host, flops, now);
        return e;
    }

    public Timer startTimer(double delay) {
        Timer t = new Timer(this, now, delay);
        t.action = cpu.sleep(t, delay, now);
        return t;
    }

    /** Runs {@code task} on the engine thread at simulated date {@code date} (≥ now). */
    public Timer at(double date, Runnable task) {
        Timer t = startTimer(date - now);
        t.onCompletion(a -> task.run());
        return t;
    }

    void cancel(Activity a) {
        if (a.test()) {
            return;
        }
        modelOf(a).cancel(a.action, now);
        a.complete(Activity.State.CANCELLED, now);
    }

    void extend(Transfer t, double more) {
        network.extend(t.action, more, now);
    }

    void boundWindow(Transfer t, double window) {
        network.boundWindow(t.action, window);
    }

    private ResourceModel modelOf(Activity a) {
        return a instanceof Transfer ? network : cpu;
    }

    private Route route(Host src, Host dst) {
        return routes.computeIfAbsent(src, s -> new HashMap<>()).computeIfAbsent(dst, d -> platform.route(src, d));
    }

    // ---- what is ready at the current date ----

    void makeReady(Runnable entry) {
        ready.addLast(entry);
    }

    /** True when a {@link Wait} continuation (or a test's actor) is ready to run at the current date. */
    public boolean hasReady() {
        return !ready.isEmpty();
    }

    /**
     * Runs the first ready entry (a {@link Wait}'s continuation); false if none was ready. For drivers that interleave the engine with
     * other work ({@link #step} runs them all).
     */
    public boolean runNextReady() {
        Runnable entry = ready.pollFirst();
        if (entry == null) {
            return false;
        }
        entry.run();
        return true;
    }

    // ---- the clock ----

    /**
     * Runs what is ready, then advances the clock to the next event and completes what ends
     * there.
     *
     * @return false when nothing is left to happen (no running activity, nothing ready)
     */
    public boolean step() {
        runReady();
        return advanceClock() || !ready.isEmpty();
    }

    /**
     * The clock part of {@link #step}: moves the clock to the next event and completes what
     * ends there (waking waits). False when no activity is left to end.
     */
    public boolean advanceClock() {
        double delta = -1;
        for (ResourceModel m : models) {
            double next = m.nextEventDelay(now);
            if (next >= 0 && (delta < 0 || next < delta)) {
                delta = next;
            }
        }
        if (delta < 0) {
            return false;
        }
        now = now + delta;
        for (ResourceModel m : models) {
            m.advanceTo(now);
            m.drainFinished(finished);
            for (Action action : finished) {
                ((Activity) action.owner()).complete(Activity.State.DONE, action.finishTime());
            }
            finished.clear();
        }
        return true;
    }

    /** Steps until nothing is left to happen. */
    public void run() {
        while (step()) {
            // keep going
        }
        runReady();
    }

    private void runReady() {
        while (runNextReady()) {
            // one at a time, in order
        }
    }
}
