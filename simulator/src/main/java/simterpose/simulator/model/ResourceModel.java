package simterpose.simulator.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the network and CPU models share: a max-min system, the actions using it, and SimGrid's
 * lazy update. After each solve only the actions whose share was recomputed get a new
 * completion date in the heap; the others keep theirs. The engine asks every model for its
 * next event ({@link #nextEventDelay}), advances the clock to the earliest, then lets each
 * model pop what happens at that date ({@link #advanceTo}).
 *
 * <p>Threading: owned by the engine's thread.
 */
public abstract sealed class ResourceModel permits NetworkModel, CpuModel {
    protected final MaxMinSystem<Action> system;
    protected final double surfPrecision;
    private final ActionHeap heap = new ActionHeap();
    private final ArrayList<Action> touched = new ArrayList<>();
    private final ArrayList<Action> finished = new ArrayList<>();
    private long nextSequence;

    protected ResourceModel(double maxminPrecision, double surfPrecision) {
        this.system = new MaxMinSystem<>(maxminPrecision);
        this.surfPrecision = surfPrecision;
    }

    /** Exposed for tests and diagnostics. */
    public MaxMinSystem<Action> system() { return system; }

    protected Action newAction(Object owner, double cost, double now) {
        return new Action(this, nextSequence++, owner, cost, now);
    }

    protected void insertHeap(Action a, double date, Action.HeapType type) {
        heap.update(a, date, type);
    }

    /** Asks for a new completion date at the next solve, even if the share did not change. */
    protected void touch(Action a) {
        if (!a.inModifiedSet) {
            a.inModifiedSet = true;
            touched.add(a);
        }
    }

    /**
     * Solves the changed part of the system and re-dates the recomputed actions.
     *
     * @return seconds from {@code now} to this model's next event, or -1 if none
     */
    public double nextEventDelay(double now) {
        for (MaxMinSystem.Variable<Action> v : system.solve()) {
            touch(v.owner());
        }
        for (int i = 0; i < touched.size(); i++) {
            Action a = touched.get(i);
            a.inModifiedSet = false;
            if (!a.running() || (a.heapIndex >= 0 && a.heapType == Action.HeapType.LATENCY)) {
                continue;
            }
            updateRemainsLazy(a, now);
            if (!a.running()) {
                continue;
            }
            double min = -1;
            Action.HeapType type = Action.HeapType.NORMAL;
            double share = a.rate();
            if (share > 0) {
                min = now + (a.remains > 0 ? a.remains / share : 0.0);
            }
            if (a.maxDuration >= 0 && (min <= -1 || a.startTime + a.maxDuration < min)) {
                min = a.startTime + a.maxDuration;
                type = Action.HeapType.MAX_DURATION;
            }
            if (min > -1) {
                heap.update(a, min, type);
            } else {
                heap.remove(a); // no share (e.g. a zero-capacity resource): never completes
            }
        }
        touched.clear();
        return heap.isEmpty() ? -1 : heap.topDate() - now;
    }

    /**
     * Pops everything dated {@code now} (within surf/precision): latencies paid, actions done.
     * Finished actions are collected for {@link #drainFinished}.
     */
    public void advanceTo(double now) {
        while (!heap.isEmpty() && Math.abs(heap.topDate() - now) < surfPrecision) {
            Action a = heap.pop();
            if (a.heapType == Action.HeapType.LATENCY && a.remains <= 0) {
                finish(a, now, Action.State.FINISHED); // nothing to move: done once the latency is paid
            } else if (a.heapType == Action.HeapType.LATENCY) {
                system.updatePenalty(a.variable, a.sharingPenalty);
                a.lastUpdate = now;
            } else {
                finish(a, now, Action.State.FINISHED);
            }
        }
    }

    /** Moves the actions finished since the last call into {@code into}, in finishing order. */
    public void drainFinished(List<Action> into) {
        into.addAll(finished);
        finished.clear();
    }

    /** Stops the action now; its resources are released at once. */
    public void cancel(Action a, double now) {
        if (a.running()) {
            finish(a, now, Action.State.CANCELLED);
            finished.remove(a);
        }
    }

    void updateRemainsLazy(Action a, double now) {
        if (!a.running()) {
            return;
        }
        double delta = now - a.lastUpdate;
        if (a.remains > 0) {
            a.remains -= a.lastValue * delta;
            if (a.remains < system.precision() * surfPrecision) {
                a.remains = 0;
            }
        }
        if (a.variable != null && a.remains <= 0 && a.variable.penalty() > 0 && finishesWhenEmpty()) {
            finish(a, now, Action.State.FINISHED);
            return;
        }
        a.lastUpdate = now;
        a.lastValue = a.rate();
    }

    /** Network actions end as soon as their remains reach 0 when updated; CPU ones at their date. */
    protected abstract boolean finishesWhenEmpty();

    private void finish(Action a, double now, Action.State state) {
        a.state = state;
        a.finishTime = now;
        a.remains = 0;
        heap.remove(a);
        if (a.variable != null) {
            system.free(a.variable);
        }
        finished.add(a);
    }

    /** Takes a pending date out of the heap (the action stays running, e.g. a latency phase skipped). */
    protected void removeFromHeap(Action a) {
        heap.remove(a);
    }

    /**
     * Adds {@code extra} to the amount a running action must still process (a transfer whose
     * byte stream grew). Progress so far is accounted first.
     */
    public void extend(Action a, double extra, double now) {
        if (!a.running()) {
            throw new IllegalStateException("action is over");
        }
        updateRemainsLazy(a, now);
        a.remains += extra;
        if (a.heapIndex < 0 || a.heapType != Action.HeapType.LATENCY) {
            touch(a);
        }
    }
}
