package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.model.ModelConfig;

/** Several flows at once, and request/response rounds, against the model's own predictions. */
class SharingAndPingPongTest {
    private static ModelConfig model(String name) {
        return name.equals("CM02") ? Net.CM02 : Net.LV08;
    }

    /** Two connections from client to server, started together, carrying sizes[i] bytes; EOF dates. */
    static double[] twoConnections(Net net, ModelConfig cfg, long[] sizes, List<Double> trace) {
        Simulation sim = new Simulation(net.platform, cfg);
        Kernel k = new Kernel(sim);
        double[] eof = new double[sizes.length];
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            for (int i = 0; i < sizes.length; i++) {
                int c = p.accept(l);
                Actor.spawn(sim, "reader" + i, net.server, me -> {
                    Posix q = new Posix(k, p.proc, me);
                    byte[] all = q.readAll(c);
                    eof[all[0]] = me.now();
                    trace.add(me.now());
                    assertThat((long) all.length).isEqualTo(sizes[all[0]]);
                });
                trace.add(self.now());
            }
        });
        for (int i = 0; i < sizes.length; i++) {
            int id = i;
            Actor.spawn(sim, "writer" + i, net.client, self -> {
                Posix p = new Posix(k, k.newProcess(10 + id, net.client), self);
                self.sleep(0);
                int fd = p.client(net.serverAddr(k, 80));
                byte[] data = new byte[(int) sizes[id]];
                Arrays.fill(data, (byte) id);
                assertThat(p.write(fd, data)).isEqualTo(data.length);
                trace.add(self.now());
                p.close(fd);
            });
        }
        sim.run();
        return eof;
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void twoConnectionsSharingALinkEndWhenTwoModelFlowsWould(String name) {
        ModelConfig cfg = model(name);
        Net net = new Net();
        long[] sizes = {2_000_000, 6_000_000};
        double[] eof = twoConnections(net, cfg, sizes, new ArrayList<>());

        Simulation ref = new Simulation(net.platform, cfg);
        Transfer a = ref.startTransfer(net.client, net.server, sizes[0]);
        Transfer b = ref.startTransfer(net.client, net.server, sizes[1]);
        ref.run();
        double handshake = 2 * Net.LATENCY;
        assertThat(eof[0]).isCloseTo(handshake + a.finishTime(), within(1e-6 * eof[0]));
        assertThat(eof[1]).isCloseTo(handshake + b.finishTime(), within(1e-6 * eof[1]));
        // and sharing mattered: alone, the first would have ended earlier
        assertThat(eof[0]).isGreaterThan(handshake + net.predict(cfg, net.client, net.server, sizes[0]) + 0.1);
    }

    @Test
    void theSameRunTwiceGivesTheSameEventDates() {
        Net net = new Net();
        long[] sizes = {300_000, 5_000_000};
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        twoConnections(net, Net.LV08, sizes, first);
        twoConnections(net, Net.LV08, sizes, second);
        assertThat(first).hasSizeGreaterThan(4);
        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void eachPingPongRoundCostsOneModelFlowEachWay(String name) {
        ModelConfig cfg = model(name);
        Net net = new Net();
        int rounds = 20;
        int size = 10_000;
        Simulation sim = new Simulation(net.platform, cfg);
        Kernel k = new Kernel(sim);
        double[] roundEnds = new double[rounds];
        double[] connected = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            for (int r = 0; r < rounds; r++) {
                byte[] got = p.read(c, size, LinuxNet.MSG_WAITALL);
                assertThat(got).hasSize(size);
                assertThat(p.write(c, got)).isEqualTo(size);
            }
            assertThat(p.read(c, 1)).isEmpty();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            connected[0] = self.now();
            for (int r = 0; r < rounds; r++) {
                byte[] msg = new byte[size];
                Arrays.fill(msg, (byte) r);
                p.write(fd, msg);
                byte[] back = p.read(fd, size, LinuxNet.MSG_WAITALL);
                assertThat(back).isEqualTo(msg);
                roundEnds[r] = self.now();
            }
            p.close(fd);
        });
        sim.run();
        double round = net.predict(cfg, net.client, net.server, size) + net.predict(cfg, net.server, net.client, size);
        assertThat(connected[0]).isCloseTo(2 * Net.LATENCY, within(1e-12));
        for (int r = 0; r < rounds; r++) {
            double expected = connected[0] + (r + 1) * round;
            assertThat(roundEnds[r]).as("round %d", r).isCloseTo(expected, within(1e-6 * expected));
        }
    }
}
