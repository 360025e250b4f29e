package simterpose.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.support.TestPlatform;

class SimulationTest {
    private static final double EPS = 1e-9;
    // CM02 without cross-traffic: a flow of B bytes on the 1e6 B/s, 10 ms link takes 0.01 + B/1e6
    private static final ModelConfig SIMPLE = ModelConfig.from(Map.of("network/model", "CM02",
            "network/crosstraffic", "no"));

    private final TestPlatform platform = new TestPlatform();
    private final Host a = platform.host("a", 1e9, 1);
    private final Host b = platform.host("b", 1e9, 1);

    SimulationTest() {
        Link l = platform.link("l", 1e6, 0.01);
        platform.symmetric("a", "b", l);
    }

    @Test
    void actorsRunOneAtATimeInCreationThenWakeUpOrder() {
        Simulation sim = new Simulation(platform, SIMPLE);
        List<String> log = new ArrayList<>();
        for (String name : List.of("x", "y", "z")) {
            Actor.spawn(sim, name, a, self -> {
                log.add(name + " starts at " + self.now());
                // z sleeps least, x most: they wake up in the opposite order
                self.sleep(name.equals("x") ? 3 : name.equals("y") ? 2 : 1);
                log.add(name + " wakes at " + self.now());
            });
        }
        sim.run();
        assertThat(log).containsExactly("x starts at 0.0", "y starts at 0.0", "z starts at 0.0",
                "z wakes at 1.0", "y wakes at 2.0", "x wakes at 3.0");
    }

    @Test
    void anActorWaitsForItsTransferAndSeesTheModelDate() {
        Simulation sim = new Simulation(platform, SIMPLE);
        double[] seen = new double[2];
        Actor.spawn(sim, "sender", a, self -> {
            Transfer t = self.simulation().startTransfer(a, b, 1e6);
            self.waitFor(t);
            seen[0] = self.now();
            Execution e = self.simulation().startExecution(a, 2e9);
            self.waitFor(e);
            seen[1] = self.now();
        });
        sim.run();
        assertThat(seen[0]).isCloseTo(1.01, within(EPS));
        assertThat(seen[1]).isCloseTo(3.01, within(EPS));
    }

    @Test
    void waitAnyReturnsTheFirstToFinishAndIgnoresTheOtherLater() {
        Simulation sim = new Simulation(platform, SIMPLE);
        List<String> log = new ArrayList<>();
        Actor.spawn(sim, "w", a, self -> {
            Timer slow = self.simulation().startTimer(5);
            Timer fast = self.simulation().startTimer(1);
            Activity first = self.waitAny(List.of(slow, fast));
            log.add((first == fast ? "fast" : "slow") + "@" + self.now());
            self.sleep(10); // the slow timer ends meanwhile: it must not wake this sleep early
            log.add("slept@" + self.now());
        });
        sim.run();
        assertThat(log).containsExactly("fast@1.0", "slept@11.0");
    }

    @Test
    void aSignalWakesItsWaitersAndATimeoutEndsTheWait() {
        Simulation sim = new Simulation(platform, SIMPLE);
        Signal readable = new Signal();
        List<String> log = new ArrayList<>();
        Actor.spawn(sim, "reader", a, self -> log.add("signalled=" + self.waitFor(readable, -1) + "@" + self.now()));
        Actor.spawn(sim, "impatient", a, self -> log.add("signalled=" + self.waitFor(readable, 0.5) + "@" + self.now()));
        Actor.spawn(sim, "writer", b, self -> {
            self.sleep(2);
            readable.signalAll();
        });
        sim.run();
        assertThat(log).containsExactly("signalled=false@0.5", "signalled=true@2.0");
    }

    @Test
    void cancellingATransferFreesTheLinkForTheOther() {
        Simulation sim = new Simulation(platform, SIMPLE);
        Transfer t1 = sim.startTransfer(a, b, 1e6);
        Transfer t2 = sim.startTransfer(a, b, 1e6);
        sim.at(0.51, t1::cancel);
        sim.run();
        // both at 5e5 B/s from 0.01 to 0.51 (250 kB each), then t2 alone: 750 kB at 1e6
        assertThat(t1.state()).isEqualTo(Activity.State.CANCELLED);
        assertThat(t1.finishTime()).isCloseTo(0.51, within(EPS));
        assertThat(t2.finishTime()).isCloseTo(0.51 + 0.75, within(EPS));
    }

    @Test
    void aTransferCanGrowWhileRunningWithoutPayingLatencyAgain() {
        Simulation sim = new Simulation(platform, SIMPLE);
        Transfer t = sim.startTransfer(a, b, 1e6);
        sim.at(0.5, () -> t.extend(1e6));
        sim.run();
        assertThat(t.bytes()).isEqualTo(2e6);
        assertThat(t.finishTime()).isCloseTo(2.01, within(EPS));
    }

    @Test
    void activitiesAddedWhileOthersRunReshareFromThatDate() {
        Simulation sim = new Simulation(platform, SIMPLE);
        Transfer first = sim.startTransfer(a, b, 1e6);
        Transfer[] second = new Transfer[1];
        sim.at(0.51, () -> second[0] = sim.startTransfer(a, b, 1e6));
        sim.run();
        // first alone 0.01..0.51 (500 kB); second pays 10 ms latency; then they share
        // first: 500 kB - 10 kB (alone until 0.52) = 490 kB at 5e5 → 0.52 + 0.98 = 1.5
        assertThat(first.finishTime()).isCloseTo(1.5, within(EPS));
        // second: 490 kB by 1.5, then 510 kB alone at 1e6
        assertThat(second[0].finishTime()).isCloseTo(2.01, within(EPS));
    }

    @Test
    void sameInputsGiveTheSameResults() {
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            Simulation sim = new Simulation(platform, ModelConfig.defaults());
            List<Activity> acts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                Actor.spawn(sim, "p" + i, n % 2 == 0 ? a : b, self -> {
                    self.sleep(n * 0.013);
                    Activity act = n % 3 == 0 ? self.simulation().startExecution(self.host(), 1e8 * (n + 1))
                            : self.simulation().startTransfer(self.host(), self.host() == a ? b : a, 1e4 * (n + 1));
                    acts.add(act);
                    self.waitFor(act);
                });
            }
            sim.run();
            runs[r] = acts.stream().mapToDouble(Activity::finishTime).toArray();
        }
        assertThat(runs[1]).containsExactly(runs[0]);
    }

    @Test
    void anActorFailureSurfacesInTheEngine() {
        Simulation sim = new Simulation(platform, SIMPLE);
        Actor.spawn(sim, "bad", a, self -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(sim::run).hasMessage("boom");
    }

    @Test
    void anEmptyTransferEndsOnceItsLatencyIsPaid() {
        for (var model : Map.of("CM02", 0.01, "LV08", 13.01 * 0.01).entrySet()) {
            Simulation sim = new Simulation(platform, ModelConfig.from(Map.of("network/model", model.getKey())));
            Transfer t = sim.startTransfer(a, b, 0);
            sim.run();
            assertThat(t.state()).as(model.getKey()).isEqualTo(Activity.State.DONE);
            assertThat(t.finishTime()).as(model.getKey()).isCloseTo(model.getValue(), within(EPS));
        }
    }
}
