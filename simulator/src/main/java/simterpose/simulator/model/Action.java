package simterpose.simulator.model;

/**
 * One use of resources tracked by a {@link ResourceModel}: a flow's bytes, an execution's
 * flops, or a sleep. Its progress is updated lazily: {@code remains} is exact at
 * {@code lastUpdate}, and moves at {@code lastValue} (the rate of the last solve) since then.
 *
 * <p>Threading: owned by the engine's thread, like its model.
 */
public final class Action {
    /** Why the action sits in its model's heap. */
    enum HeapType { LATENCY, NORMAL, MAX_DURATION }

    public enum State { STARTED, FINISHED, CANCELLED }

    final ResourceModel model;
    final long sequence;
    MaxMinSystem.Variable<Action> variable;
    private final Object owner;
    double remains;
    final double startTime;
    double lastUpdate;
    double lastValue;
    double rateFactor = 1;
    /** Seconds; negative means none (a sleep has one, transfers and executions do not). */
    double maxDuration = -1;
    State state = State.STARTED;
    double finishTime = -1;

    // network: penalty to apply once the latency is paid, latency left (factor applied), raw route latency
    double sharingPenalty;
    double latency;
    double routeLatency;
    double userBound = -1;

    // heap bookkeeping
    double heapDate;
    HeapType heapType;
    int heapIndex = -1;
    boolean inModifiedSet;

    Action(ResourceModel model, long sequence, Object owner, double cost, double now) {
        this.model = model;
        this.sequence = sequence;
        this.owner = owner;
        this.remains = cost;
        this.startTime = now;
        this.lastUpdate = now;
    }

    /** What the caller attached when starting the action (the engine's activity). */
    public Object owner() { return owner; }

    public State state() { return state; }

    public double startTime() { return startTime; }

    /** Clock value when the action finished or was cancelled; -1 while running. */
    public double finishTime() { return finishTime; }

    /** Current rate: bytes/s or flop/s (0 during a flow's latency phase). */
    public double rate() {
        return variable == null ? 0 : variable.value() * rateFactor;
    }

    /** Amount left at {@code now} (bytes or flops). */
    public double remains(double now) {
        model.updateRemainsLazy(this, now);
        return remains;
    }

    boolean running() { return state == State.STARTED; }
}
