package simterpose.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.support.TestPlatform;

/** {@link Simulation#continueTransfer}: the next segment of a flow, without a new latency phase. */
class ContinueTransferTest {
    @Test
    void backToBackSegmentsTakeExactlyAsLongAsOneFlow() {
        for (String model : new String[] {"CM02", "LV08"}) {
            ModelConfig cfg = ModelConfig.from(Map.of("network/model", model));
            TestPlatform p = new TestPlatform();
            Host a = p.host("a", 1e9, 1);
            Host b = p.host("b", 1e9, 1);
            p.symmetric("a", "b", p.link("l", 1.25e7, 0.05));

            Simulation one = new Simulation(p, cfg);
            Transfer whole = one.startTransfer(a, b, 3e6);
            one.run();

            Simulation split = new Simulation(p, cfg);
            Transfer first = split.startTransfer(a, b, 1e6);
            Transfer[] last = new Transfer[1];
            first.onCompletion(f -> last[0] = split.continueTransfer(a, b, 2e6));
            split.run();

            assertThat(last[0].startTime()).isEqualTo(first.finishTime());
            assertThat(last[0].finishTime()).isCloseTo(whole.finishTime(), within(1e-9));
        }
    }

    @Test
    void aContinuedTransferPaysNoLatency() {
        ModelConfig cfg = ModelConfig.from(Map.of("network/model", "CM02", "network/crosstraffic", "no"));
        TestPlatform p = new TestPlatform();
        Host a = p.host("a", 1e9, 1);
        Host b = p.host("b", 1e9, 1);
        p.symmetric("a", "b", p.link("l", 1e6, 0.1));
        Simulation sim = new Simulation(p, cfg);
        Transfer t = sim.continueTransfer(a, b, 1e6);
        sim.run();
        assertThat(t.finishTime()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aWindowLimitBoundsTheFlowAsASmallerTcpGammaWould() {
        TestPlatform p = new TestPlatform();
        Host a = p.host("a", 1e9, 1);
        Host b = p.host("b", 1e9, 1);
        p.symmetric("a", "b", p.link("l", 1.25e7, 0.05));
        ModelConfig small = ModelConfig.from(Map.of("network/model", "LV08", "network/TCP-gamma", "65536"));
        Simulation ref = new Simulation(p, small);
        Transfer expected = ref.startTransfer(a, b, 1e6);
        ref.run();

        Simulation sim = new Simulation(p, ModelConfig.from(Map.of("network/model", "LV08")));
        Transfer t = sim.startTransfer(a, b, 1e6);
        t.limitWindow(65536);
        sim.run();
        assertThat(t.finishTime()).isCloseTo(expected.finishTime(), within(1e-9));
        assertThat(t.finishTime()).isGreaterThan(1e6 / (65536 / 0.1)); // the window, not the link, set the pace
    }
}
