package simterpose.simulator.mediation.run;

import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Wait;
import simterpose.simulator.mediation.tracee.SpinSigns;
import simterpose.simulator.mediation.tracee.TracedThread;

/**
 * Under {@code --cpu-model=none}, the turns of threads preempted with nothing to compute, in the
 * order they were given up: they come back behind what is ready at this date, and the clock moves
 * for them only once each has spun {@link SpinSigns#SPIN_QUANTA} quanta (owner thread only).
 */
final class YieldedTurns {
    private record Yielded(TracedThread thread, Runnable turn) {}

    private final List<Yielded> turns = new ArrayList<>();

    void add(TracedThread thread, Runnable turn) {
        turns.add(new Yielded(thread, turn));
    }

    /** Some thread gave up its turn before spinning {@link SpinSigns#SPIN_QUANTA} quanta at this date. */
    boolean someMayBeComputing() {
        for (Yielded y : turns) {
            if (y.thread().spin.quanta < SpinSigns.SPIN_QUANTA) {
                return true;
            }
        }
        return false;
    }

    /** The clock moved: spinning until the new date again costs the same quanta. */
    void clockMoved() {
        for (Yielded y : turns) {
            y.thread().spin.quanta = 0;
        }
    }

    /** The yielded turns join the ready queue, in the order they were given up; false if there were none. */
    boolean giveBack(Simulation sim) {
        if (turns.isEmpty()) {
            return false;
        }
        for (Yielded y : turns) {
            Wait.soon(sim, y.turn());
        }
        turns.clear();
        return true;
    }
}
