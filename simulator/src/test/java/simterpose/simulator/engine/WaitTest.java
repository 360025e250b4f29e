package simterpose.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.support.TestPlatform;

/** Thread-less waiting: continuations run from the ready queue, in the same order as actors. */
class WaitTest {
    private static final ModelConfig CM02 = ModelConfig.from(Map.of("network/model", "CM02"));
    private final TestPlatform platform = new TestPlatform();
    private final Host a = platform.host("a", 1e9, 1);
    private final Simulation sim = new Simulation(platform, CM02);
    private final List<String> log = new ArrayList<>();

    @Test
    void aSignalledWaitRunsItsContinuationAfterWhatWasAlreadyReadyAndOnlyOnce() {
        Signal s = new Signal();
        Signal other = new Signal();
        Wait.forAny(sim, List.of(s, other), 5, signalled -> log.add("w signalled=" + signalled + " at " + sim.now()));
        sim.at(1, () -> {
            Wait.soon(sim, () -> log.add("earlier at " + sim.now()));
            s.signalAll();
            other.signalAll(); // a second firing is ignored
        });
        sim.run();
        assertThat(log).containsExactly("earlier at 1.0", "w signalled=true at 1.0");
        assertThat(s.hasWaiters() || other.hasWaiters()).as("no waiter left behind").isFalse();
    }

    @Test
    void aWaitThatTimesOutSaysSoAndItsTimerNoLongerHoldsTheClock() {
        Signal s = new Signal();
        Wait.forAny(sim, List.of(s), 2, signalled -> log.add("signalled=" + signalled + " at " + sim.now()));
        sim.run();
        assertThat(log).containsExactly("signalled=false at 2.0");
        assertThat(s.hasWaiters()).isFalse();
    }

    @Test
    void aSignalledWaitCancelsItsTimer() {
        Signal s = new Signal();
        Wait.forAny(sim, List.of(s), 10, signalled -> log.add("signalled=" + signalled + " at " + sim.now()));
        sim.at(1, s::signalAll);
        sim.run();
        assertThat(log).containsExactly("signalled=true at 1.0");
        assertThat(sim.now()).as("the 10 s timer was cancelled: nothing moved the clock past 1 s").isEqualTo(1.0);
    }

    @Test
    void aCancelledWaitNeverRunsAndFireNowWakesAtOnce() {
        Signal s = new Signal();
        Wait cancelled = Wait.forAny(sim, List.of(s), -1, signalled -> log.add("cancelled ran"));
        Wait kicked = Wait.forAny(sim, List.of(s), -1, signalled -> log.add("kicked signalled=" + signalled + " at " + sim.now()));
        sim.at(3, () -> {
            cancelled.cancel();
            kicked.fireNow();
        });
        sim.at(4, s::signalAll);
        sim.run();
        assertThat(log).containsExactly("kicked signalled=true at 3.0");
    }

    @Test
    void waitsForActivitiesAndDelaysRunInDateThenReadyOrder() {
        Execution e = sim.startExecution(a, 2e9); // 2 s on a 1 Gf core
        Wait.forActivity(sim, e, () -> log.add("execution done at " + sim.now()));
        Wait.after(sim, 1, () -> log.add("after 1 s at " + sim.now()));
        Wait.after(sim, 0, () -> log.add("after 0 s at " + sim.now()));
        Actor.spawn(sim, "actor", a, self -> log.add("actor at " + self.now()));
        sim.run();
        assertThat(log).containsExactly("after 0 s at 0.0", "actor at 0.0", "after 1 s at 1.0", "execution done at 2.0");
    }
}
