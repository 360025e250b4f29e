package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Platform;

/**
 * UDP programs (C test apps and Debian's python3) run as real processes under the simulation:
 * datagrams keep their boundaries and bytes, the calls answer as real Linux does, and the
 * times the programs read on their own clocks are the network model's.
 */
class UdpAppsUnderSimulationTest {
    @TempDir
    Path dir;

    private static final double BANDWIDTH = 100e6; // "100MBps"
    private static final double LATENCY = 0.01; // "10ms"

    /**
     * Seconds one datagram of {@code bytes} takes alone on the scenario's one-link route, from
     * the model's rules ({@link simterpose.simulator.model.NetworkModel}): the latency phase
     * {@code latency_factor × latency}, then the bytes at {@code bandwidth_factor × rate}. A lone
     * flow's rate is the smaller of its bound {@code TCP_gamma / (2 × latency)} and what the link
     * leaves it: the route back crosses the same SHARED link, so with cross-traffic the flow
     * weighs 1 + 0.05 there and gets {@code bandwidth / 1.05}.
     */
    static double oneWay(ModelConfig cfg, long bytes) {
        double weight = cfg.crossTraffic() ? 1.05 : 1;
        double rate = Math.min(BANDWIDTH / weight, cfg.tcpGamma() / (2 * LATENCY));
        return cfg.latencyFactor() * LATENCY + bytes / (cfg.bandwidthFactor() * rate);
    }

    static ModelConfig config(Scenario s) {
        Platform p = s.platform();
        return ModelConfig.resolve(p.config(), Map.of());
    }

    static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    static String stderrOf(RunReport r) {
        StringBuilder sb = new StringBuilder(r.toString());
        for (RunReport.ActorReport a : r.actors()) {
            sb.append('\n').append(a.name()).append(": ").append(Scenario.text(a.stderr()));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} x {1} B under {2} {3}")
    @CsvSource({"20, 1, CM02, sendto", "20, 1, LV08, sendto", "20, 1000, CM02, sendto", "20, 1000, LV08, sendto",
        "10, 65507, CM02, sendto", "10, 65507, LV08, connect"})
    void udpPingPongMatchesTheModel(int rounds, long size, String model, String mode) {
        Scenario s = new Scenario(dir, model, "100MBps", "10ms")
                .actor("bob", Scenario.app("udp_pingpong"), 0, "server", "7000", Integer.toString(rounds))
                .actor("alice", Scenario.app("udp_pingpong"), 0, "client", "10.0.0.2", "7000",
                        Integer.toString(rounds), Long.toString(size), mode);
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        Map<String, String> client = Scenario.results(r.actors().get(1)).getFirst();
        Map<String, String> server = Scenario.results(r.actors().get(0)).getFirst();
        assertThat(client.get("ok")).as("every echo came back byte for byte from the server").isEqualTo("1");
        assertThat(Long.parseLong(server.get("bytes"))).isEqualTo(rounds * size);
        ModelConfig cfg = config(s);
        double round = 2 * oneWay(cfg, size);
        for (String key : List.of("mean_rtt", "min_rtt", "max_rtt")) {
            double rtt = d(client, key);
            assertThat(Math.abs(rtt - round) / round).as("%s %s vs model %s", key, rtt, round).isLessThan(1e-3);
        }
        // the server saw the first datagram one way after the client's start
        assertThat(d(server, "first") - d(client, "start")).isCloseTo(oneWay(cfg, size), within(1e-6));
        assertThat(r.actors().get(1).bytesSent()).isEqualTo(rounds * size);
        assertThat(r.actors().get(1).bytesReceived()).isEqualTo(rounds * size);
        System.out.printf("udp ping-pong %d B %s %s: mean rtt %.9f s, model %.9f s, wall %s%n", size, model, mode,
                d(client, "mean_rtt"), round, r.wall());
    }

    @Test
    void aBurstArrivesInOrderOneTransferTimeApart() {
        int count = 200;
        long size = 1400;
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("udp_burst"), 0, "recv", "7000", Integer.toString(count))
                .actor("alice", Scenario.app("udp_burst"), 0.001, "send", "10.0.0.2", "7000", Integer.toString(count),
                        Long.toString(size));
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        List<Map<String, String>> got = Scenario.results(r.actors().get(0));
        double start = d(Scenario.results(r.actors().get(1)).getFirst(), "start");
        ModelConfig cfg = config(s);
        double perDatagram = oneWay(cfg, size) - cfg.latencyFactor() * LATENCY;
        assertThat(got).hasSize(count);
        for (int k = 0; k < count; k++) {
            assertThat(got.get(k).get("seq")).as("arrival order").isEqualTo(Integer.toString(k));
            assertThat(got.get(k).get("len")).isEqualTo(Long.toString(size));
            // the first pays the latency; each next one follows one transfer time later
            double expected = start + oneWay(cfg, size) + k * perDatagram;
            assertThat(d(got.get(k), "at")).as("datagram %d", k).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void twoRunsOfCompetingUdpSendersGiveIdenticalOutputs() throws Exception {
        String[] outputs = new String[2];
        for (int run = 0; run < 2; run++) {
            Path d = Files.createDirectory(dir.resolve("run" + run));
            Scenario s = new Scenario(d, "LV08", "10MBps", "5ms")
                    .actor("bob", Scenario.app("udp_burst"), 0, "recv", "7000", "60")
                    .actor("alice", Scenario.app("udp_burst"), 0.001, "send", "10.0.0.2", "7000", "30", "3000")
                    .actor("alice", Scenario.app("udp_burst"), 0.002, "send", "10.0.0.2", "7000", "30", "700");
            RunReport r = s.run();
            assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
            StringBuilder out = new StringBuilder().append(r.makespan());
            for (RunReport.ActorReport a : r.actors()) {
                out.append(Scenario.text(a.stdout()));
            }
            outputs[run] = out.toString();
        }
        assertThat(outputs[1]).isEqualTo(outputs[0]);
        assertThat(outputs[0]).contains("len=3000").contains("len=700");
    }

    @Test
    void udpSemanticsMatchRealLinux() throws Exception {
        Process p = new ProcessBuilder(Scenario.app("udp_semantics")).redirectErrorStream(true).start();
        String real = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(real).isZero();
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("udp_semantics"), 0);
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        String simulated = Scenario.text(r.actors().getFirst().stdout());
        assertThat(simulated.lines().toList()).isEqualTo(real.lines().toList());
        assertThat(simulated).contains("case=rcvbuf default=212992 sndbuf=212992 sent=300 kept=256");
    }

    /**
     * recvmmsg's timeout ends the call after the datagram that finds it expired, as Linux checks
     * it (not while waiting for one): the same lines natively and simulated, the simulated wait
     * being the sender's 300 ms sleep in simulated time.
     */
    @Test
    void recvmmsgReturnsAfterTheDatagramThatFindsItsTimeoutExpiredAsRealLinux() throws Exception {
        Process p = new ProcessBuilder(Scenario.app("recvmmsg_timeout")).redirectErrorStream(true).start();
        String real = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(real).isZero();
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("recvmmsg_timeout"), 0);
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        String simulated = Scenario.text(r.actors().getFirst().stdout());
        assertThat(simulated.lines().toList()).isEqualTo(real.lines().toList());
        assertThat(simulated).contains("case=invalid recvmmsg=EINVAL")
                .contains("case=timeout received=2 lens=5,6 left=0.000000000 tenths=3")
                .contains("case=drain received=2 lens=5,6");
    }

    @Test
    void aConnectedSocketLearnsOfAClosedPortOneRoundTripAfterItsDatagram() throws Exception {
        Path client = dir.resolve("refused.py");
        Files.writeString(client, """
                import socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.connect(("10.0.0.2", 9999))
                t0 = time.time()
                s.send(b"x" * 100)
                try:
                    s.recv(10)
                    print("received")
                except ConnectionRefusedError:
                    print("refused %.9f" % (time.time() - t0))
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.sendto(b"y", ("10.0.0.2", 9999))
                time.sleep(1)
                u.setblocking(False)
                try:
                    u.recv(10)
                except BlockingIOError:
                    print("unconnected: no error")
                try:
                    u.sendto(b"z", ("192.0.2.1", 9))
                except OSError as e:
                    print("outside the platform:", e.errno == 101)
                """);
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", "/usr/bin/python3", 0, client.toString());
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        List<String> lines = Scenario.text(r.actors().getFirst().stdout()).lines().toList();
        assertThat(lines).hasSize(3);
        // the datagram's one-way time, then the ICMP port unreachable's latency back
        double expected = oneWay(config(s), 100) + LATENCY;
        assertThat(lines.get(0)).startsWith("refused ");
        assertThat(Double.parseDouble(lines.get(0).substring(8))).isCloseTo(expected, within(1e-5));
        assertThat(lines.subList(1, 3)).containsExactly("unconnected: no error", "outside the platform: True");
    }

    @Test
    void aPythonUdpEchoWithSelectAndPollAnswersEveryDatagramInTheModelsTime() throws Exception {
        Path server = dir.resolve("echo.py");
        Files.writeString(server, """
                import select, socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("0.0.0.0", 5005))
                for _ in range(10):
                    readable, _, _ = select.select([s], [], [], 5.0)
                    assert readable == [s]
                    data, peer = s.recvfrom(65535)
                    s.sendto(data, peer)
                """);
        Path client = dir.resolve("client.py");
        Files.writeString(client, """
                import select, socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                p = select.poll()
                p.register(s, select.POLLIN)
                ok = True
                t0 = time.time()
                for i in range(10):
                    msg = bytes((i + k) % 256 for k in range(1000))
                    s.sendto(msg, ("10.0.0.2", 5005))
                    ok = ok and p.poll(5000) == [(s.fileno(), select.POLLIN)]
                    data, peer = s.recvfrom(65535)
                    ok = ok and data == msg and peer == ("10.0.0.2", 5005)
                print(ok, "%.9f" % ((time.time() - t0) / 10))
                """);
        Scenario s = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", "/usr/bin/python3", 0, server.toString())
                .actor("alice", "/usr/bin/python3", 0.5, client.toString());
        RunReport r = s.run();
        assertThat(r.success()).as("%s", stderrOf(r)).isTrue();
        String[] out = Scenario.text(r.actors().get(1).stdout()).trim().split(" ");
        assertThat(out[0]).isEqualTo("True");
        double round = 2 * oneWay(config(s), 1000);
        assertThat(Math.abs(Double.parseDouble(out[1]) - round) / round).isLessThan(1e-3);
    }
}
