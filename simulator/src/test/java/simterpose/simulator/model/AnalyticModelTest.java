package simterpose.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Execution;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.SharingPolicy;
import simterpose.simulator.support.TestPlatform;

/** Finish times computed by hand from the CM02/LV08/Cas01 formulas. */
class AnalyticModelTest {
    private static final double EPS = 1e-9;
    private static final ModelConfig CM02 = ModelConfig.from(Map.of("network/model", "CM02"));
    private static final ModelConfig CM02_NO_CROSS = ModelConfig.from(Map.of("network/model", "CM02",
            "network/crosstraffic", "no"));

    private static TestPlatform twoHosts(double bw, double lat, SharingPolicy sharing) {
        TestPlatform p = new TestPlatform();
        p.host("a", 1e9, 1);
        p.host("b", 1e9, 1);
        Link l = p.link("l", bw, lat, sharing);
        p.symmetric("a", "b", l);
        return p;
    }

    private static double flow(TestPlatform p, ModelConfig cfg, double bytes) {
        Simulation sim = new Simulation(p, cfg);
        Transfer t = sim.startTransfer(p.host("a").orElseThrow(), p.host("b").orElseThrow(), bytes);
        sim.run();
        return t.finishTime();
    }

    @Test
    void oneFlowUnderCm02PaysLatencyThenBandwidthWithCrossTrafficOnTheSameLink() {
        // one SHARED link used both ways: weight 1 + 0.05 → share 1e6 / 1.05
        assertThat(flow(twoHosts(1e6, 0.01, SharingPolicy.SHARED), CM02, 1e6)).isCloseTo(0.01 + 1.05, within(EPS));
        assertThat(flow(twoHosts(1e6, 0.01, SharingPolicy.SHARED), CM02_NO_CROSS, 1e6))
                .isCloseTo(0.01 + 1.0, within(EPS));
    }

    @Test
    void oneFlowUnderLv08ScalesLatencyAndBandwidth() {
        double expected = 13.01 * 0.01 + 1e6 / (0.97 * 1e6 / 1.05);
        assertThat(flow(twoHosts(1e6, 0.01, SharingPolicy.SHARED), ModelConfig.defaults(), 1e6))
                .isCloseTo(expected, within(EPS));
    }

    @Test
    void twoFlowsShareALinkEqually() {
        TestPlatform p = twoHosts(1e6, 0.01, SharingPolicy.SHARED);
        Simulation sim = new Simulation(p, CM02_NO_CROSS);
        var a = p.host("a").orElseThrow();
        var b = p.host("b").orElseThrow();
        Transfer t1 = sim.startTransfer(a, b, 1e6);
        Transfer t2 = sim.startTransfer(a, b, 2e6);
        sim.run();
        // both at 0.5e6 until t1 ends at 0.01+2; then t2 alone for its last 1e6 bytes
        assertThat(t1.finishTime()).isCloseTo(2.01, within(EPS));
        assertThat(t2.finishTime()).isCloseTo(3.01, within(EPS));
    }

    @Test
    void fatpipeGivesEveryFlowTheWholeBandwidth() {
        TestPlatform p = twoHosts(1e6, 0.01, SharingPolicy.FATPIPE);
        Simulation sim = new Simulation(p, CM02);
        var a = p.host("a").orElseThrow();
        var b = p.host("b").orElseThrow();
        Transfer t1 = sim.startTransfer(a, b, 1e6);
        Transfer t2 = sim.startTransfer(a, b, 1e6);
        sim.run();
        // FATPIPE: max(1.05 x) ≤ bw, crosstraffic weights merge by max (1), not sum
        assertThat(t1.finishTime()).isCloseTo(1.01, within(EPS));
        assertThat(t2.finishTime()).isCloseTo(1.01, within(EPS));
    }

    @Test
    void tcpGammaBoundsAFlowOnALongFatLink() {
        // gamma / (2 × 0.1) = 20971520 B/s < 1e9
        double bytes = 4194304.0 / 0.2;
        assertThat(flow(twoHosts(1e9, 0.1, SharingPolicy.SHARED), CM02_NO_CROSS, bytes))
                .isCloseTo(0.1 + 1.0, within(EPS));
    }

    @Test
    void crossTrafficSlowsOppositeFlowsOnSplitDuplexLinks() {
        TestPlatform p = new TestPlatform();
        var a = p.host("a", 1e9, 1);
        var b = p.host("b", 1e9, 1);
        Link up = p.link("l_UP", 1e6, 0.0);
        Link down = p.link("l_DOWN", 1e6, 0.0);
        p.oneWay("a", "b", up).oneWay("b", "a", down);
        Simulation sim = new Simulation(p, CM02);
        Transfer ab = sim.startTransfer(a, b, 1e6);
        Transfer ba = sim.startTransfer(b, a, 1e6);
        sim.run();
        // up: x_ab + 0.05 x_ba ≤ 1e6 and symmetric → x = 1e6 / 1.05
        assertThat(ab.finishTime()).isCloseTo(1.05, within(EPS));
        assertThat(ba.finishTime()).isCloseTo(1.05, within(EPS));
    }

    @Test
    void lv08SharesInverselyToPenalty() {
        // two flows on a shared 1e6 link; one also crosses a 0.5 s link: penalties differ
        TestPlatform p = new TestPlatform();
        var a = p.host("a", 1e9, 1);
        var b = p.host("b", 1e9, 1);
        var c = p.host("c", 1e9, 1);
        Link shared = p.link("s", 1e6, 0.5);
        Link slow = p.link("x", 1e9, 1.5);
        p.oneWay("a", "b", shared).oneWay("c", "b", slow, shared).oneWay("b", "a").oneWay("b", "c");
        ModelConfig cfg = ModelConfig.from(Map.of("network/crosstraffic", "no", "network/latency-factor", "1",
                "network/bandwidth-factor", "1", "network/weight-S", "0"));
        Simulation sim = new Simulation(p, cfg);
        Transfer fast = sim.startTransfer(a, b, 1e6);
        Transfer slowFlow = sim.startTransfer(c, b, 1e6);
        sim.run();
        // after latencies (0.5 and 2.0): fast alone until 2.0 (1.5 s at 1e6 → done at 1.5)
        assertThat(fast.finishTime()).isCloseTo(1.5, within(EPS));
        assertThat(slowFlow.finishTime()).isCloseTo(3.0, within(EPS));
    }

    @Test
    void aFlowWithNoLatencyToPaySharesWithPenaltyOne() {
        TestPlatform p = new TestPlatform();
        var a = p.host("a", 1e9, 1);
        var b = p.host("b", 1e9, 1);
        var c = p.host("c", 1e9, 1);
        Link shared = p.link("s", 3e6, 1.0);
        Link extra = p.link("x", 1e9, 1.0);
        p.oneWay("a", "b", shared).oneWay("c", "b", extra, shared).oneWay("b", "a").oneWay("b", "c");
        ModelConfig cfg = ModelConfig.from(Map.of("network/crosstraffic", "no", "network/latency-factor", "0",
                "network/bandwidth-factor", "1", "network/weight-S", "0", "network/TCP-gamma", "1e12"));
        Simulation sim = new Simulation(p, cfg);
        Transfer f1 = sim.startTransfer(a, b, 2e6);  // penalty 1
        Transfer f2 = sim.startTransfer(c, b, 1e6);  // penalty 2
        sim.run();
        // latency × factor = 0: SimGrid creates the variable with penalty 1 and never applies
        // the route penalty (1 and 2), so both get 1.5e6: f2 ends at 2/3, f1 at 2/3 + 1e6/3e6
        assertThat(f2.finishTime()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(f1.finishTime()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void twoCoresShareThreeExecutionsAndOneCoreBoundsAlone() {
        TestPlatform p = new TestPlatform();
        var h = p.host("h", 1e9, 2);
        Simulation sim = new Simulation(p, ModelConfig.defaults());
        Execution e1 = sim.startExecution(h, 1e9);
        Execution e2 = sim.startExecution(h, 1e9);
        Execution e3 = sim.startExecution(h, 2e9);
        sim.run();
        // 3 × 2/3e9 until 1.5 (e1, e2 done; e3 has 1e9 left), then e3 alone at one core: 1 s
        assertThat(e1.finishTime()).isCloseTo(1.5, within(EPS));
        assertThat(e2.finishTime()).isCloseTo(1.5, within(EPS));
        assertThat(e3.finishTime()).isCloseTo(2.5, within(EPS));
    }
}
