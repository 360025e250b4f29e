package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static simterpose.simulator.kernel.Net.LATENCY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Actor;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.model.ModelConfig;

/**
 * The {@code TCP} network model on one 100 ms, 12.5 MB/s link (round trip R = 0.2 s): a burst's
 * first byte arrives after the route's latency, slow start in rounds of one round trip from an
 * initial window of 10 × 1448 bytes, its restart after an idle period longer than the RTO
 * (R + 200 ms), and Nagle's hold of a write's small last packet. The expected dates are worked
 * out by hand from those rules.
 */
class TcpModelTest {
    static final ModelConfig TCP = ModelConfig.from(Map.of("network/model", "TCP"));
    /** A lone flow's rate: the link at weight 1.05 (its ACKs' cross-traffic), times 1448/1500. */
    static final double RATE = Net.BANDWIDTH / 1.05 * 1448 / 1500;
    static final double R = 2 * LATENCY;
    static final int IW = 14480;

    /**
     * The client connects (done at 2L), then {@code client} writes; the server reads and records
     * when each byte count arrived, answering {@code answer} bytes after each {@code request} bytes.
     */
    static List<double[]> exchange(ModelConfig cfg, BiConsumer<Posix, Integer> client, long request, int answer,
                                   int rounds) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, cfg);
        Kernel k = new Kernel(sim);
        List<double[]> arrivals = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            for (int r = 0; r < rounds; r++) {
                long got = 0;
                while (got < request) {
                    got += p.read(c, 1 << 20).length;
                }
                arrivals.add(new double[] {self.now(), got});
                if (answer > 0) {
                    p.write(c, new byte[answer]);
                }
            }
            p.close(c);
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            client.accept(p, fd);
            p.close(fd);
        });
        sim.run();
        return arrivals;
    }

    @Test
    void overAnEstablishedConnectionEachMessageArrivesAfterTheLatencyAloneNotLv08sThirteenTimesIt() {
        List<double[]> at = exchange(TCP, (p, fd) -> {
            for (int r = 0; r < 3; r++) {
                p.write(fd, new byte[1]);
                assertThat(p.read(fd, 1)).hasSize(1);
            }
        }, 1, 1, 3);
        // connect ends at 2L; each request then takes L + 1/RATE, each answer the same
        for (int r = 0; r < 3; r++) {
            assertThat(at.get(r)[0]).isCloseTo(2 * LATENCY + r * R + LATENCY + (2 * r + 1) / RATE, within(1e-9));
        }
        List<double[]> lv08 = exchange(Net.LV08, (p, fd) -> {
            p.write(fd, new byte[1]);
            assertThat(p.read(fd, 1)).hasSize(1);
        }, 1, 1, 1);
        assertThat(lv08.getFirst()[0] - 2 * LATENCY).isGreaterThan(13 * LATENCY);
    }

    @Test
    void aTransferOnANewConnectionGrowsItsWindowFromTenSegmentsDoublingEachRoundTrip() {
        long bytes = IW + 2L * IW + 4L * IW; // exactly three rounds
        List<double[]> at = exchange(TCP, (p, fd) -> p.write(fd, new byte[(int) bytes]), bytes, 0, 1);
        // round k's first byte arrives at 2L + L + kR; the third round's 4 IW then take 4 IW / RATE
        assertThat(at.getFirst()[0]).isCloseTo(3 * LATENCY + 2 * R + 4.0 * IW / RATE, within(1e-9));
    }

    @Test
    void aBurstAfterAnIdlePeriodLongerThanTheRtoStartsSlowAgainAndOneAfterAShortPauseDoesNot() {
        long bytes = 7L * IW; // three rounds from the initial window; one round once the window is 8 IW
        for (double pause : new double[] {0.2, 2.0}) { // RTO = R + 0.2 = 0.4 s, idle from the last delivery: pause + L
            List<double[]> at = exchange(TCP, (p, fd) -> {
                p.write(fd, new byte[(int) bytes]);
                p.read(fd, 1); // the server's answer once it has the whole burst
                p.self.sleep(pause);
                p.write(fd, new byte[(int) bytes]);
            }, bytes, 1, 2);
            double first = at.get(0)[0];
            double secondStart = first + LATENCY + 1 / RATE + pause; // the answer's trip, then the pause
            double expected = pause < 0.4
                    ? secondStart + LATENCY + 7.0 * IW / RATE          // window 8 IW: one round
                    : secondStart + LATENCY + 2 * R + 4.0 * IW / RATE; // window back to IW: three rounds
            assertThat(at.get(1)[0]).as("after a pause of %s s", pause).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void aSmallLastPacketWaitsForTheAckOfTheSmallOneBeforeItUnlessTcpNodelay() {
        int small = 100;
        int next = 2000; // one full packet of 1448, then a small one of 552
        for (boolean noDelay : new boolean[] {false, true}) {
            List<double[]> at = exchange(TCP, (p, fd) -> {
                if (noDelay) {
                    p.setInt(fd, LinuxNet.IPPROTO_TCP, LinuxNet.TCP_NODELAY, 1);
                }
                p.write(fd, new byte[small]);
                p.write(fd, new byte[next]);
                p.self.sleep(1); // no FIN yet (see the next test)
            }, small + next, 0, 1);
            double smallArrives = 3 * LATENCY + small / RATE;
            double expected = noDelay
                    ? smallArrives + next / RATE // queued behind the first, in the same flow
                    : smallArrives + LATENCY + LATENCY + 552 / RATE; // its ACK back, then the tail's way
            assertThat(at.getFirst()[0]).as("TCP_NODELAY %s", noDelay).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void aShutdownRightAfterTheWritesSendsTheSmallTailNagleHeldAtOnceWithTheFin() {
        // python3's http.server: headers (small), the body, then shutdown(SHUT_WR) and close;
        // Linux's tcp_send_fin puts the FIN on the held tail and pushes it, Nagle off
        int small = 100;
        int next = 2000;
        for (boolean close : new boolean[] {false, true}) {
            List<double[]> at = exchange(TCP, (p, fd) -> {
                p.write(fd, new byte[small]);
                p.write(fd, new byte[next]);
                p.self.sleep(0.01); // before the first packet's ACK (at 4L) is back
                if (!close) {
                    p.shutdown(fd, LinuxNet.SHUT_WR);
                }
                // exchange closes the socket
            }, small + next, 0, 1);
            double smallArrives = 3 * LATENCY + small / RATE;
            // the full packet follows the small one in the same flow; the tail leaves at the FIN
            // (2L + 0.01), behind the full packet, so it arrives as the flow continues
            assertThat(at.getFirst()[0]).as(close ? "close" : "shutdown").isCloseTo(smallArrives + next / RATE, within(1e-9));
        }
    }

    @Test
    void runsDefaultIsTheTcpModelWhilePredictsAndSimgridsStayLv08() {
        assertThat(ModelConfig.resolveForRun(Map.of(), Map.of()).networkModel()).isEqualTo("TCP");
        assertThat(ModelConfig.resolveForRun(Map.of("network/model", "CM02"), Map.of()).networkModel()).isEqualTo("CM02");
        assertThat(ModelConfig.resolveForRun(Map.of(), Map.of("network/model", "LV08")).networkModel()).isEqualTo("LV08");
        assertThat(ModelConfig.defaults().networkModel()).isEqualTo("LV08");
        assertThat(ModelConfig.defaults().latencyFactor()).isEqualTo(13.01);
        assertThat(TCP.latencyFactor()).isEqualTo(1.0);
    }
}
