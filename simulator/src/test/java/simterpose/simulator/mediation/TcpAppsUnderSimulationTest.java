package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;

/**
 * The C test apps (blocking sockets) run as real processes under the simulation: bytes arrive
 * exact, and the times the programs read on their own (virtual) clocks are the model's.
 */
class TcpAppsUnderSimulationTest {
    @TempDir
    Path dir;

    /** Seconds one lone flow of {@code bytes} alice→bob takes in the model (its own Simulation). */
    static double modelTime(Platform p, ModelConfig cfg, long... flows) {
        Simulation sim = new Simulation(p, cfg);
        Host a = p.host("alice").orElseThrow();
        Host b = p.host("bob").orElseThrow();
        Transfer[] t = new Transfer[flows.length];
        for (int i = 0; i < flows.length; i++) {
            t[i] = sim.startTransfer(a, b, flows[i]);
        }
        sim.run();
        double last = 0;
        for (Transfer x : t) {
            last = Math.max(last, x.finishTime());
        }
        return last;
    }

    static ModelConfig config(Platform p) {
        return ModelConfig.resolve(p.config(), Map.of());
    }

    /** sha256 of the tcp apps' pattern: byte i is (i * 2654435761 mod 2^32) >> 13. */
    static byte[] patternSha(long bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (long off = 0; off < bytes; off += buf.length) {
            int n = (int) Math.min(buf.length, bytes - off);
            for (int i = 0; i < n; i++) {
                long x = off + i;
                buf[i] = (byte) (((x * 2654435761L) & 0xFFFFFFFFL) >>> 13);
            }
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    static byte[] fileSha(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    @ParameterizedTest(name = "{0} bytes under {1}")
    @CsvSource({"1, CM02", "1, LV08", "1000000, CM02", "1000000, LV08", "100000000, CM02", "100000000, LV08"})
    void aLoneTransferArrivesExactAndTakesTheModelsTimeAfterTheHandshake(long bytes, String model) throws Exception {
        Scenario s = new Scenario(dir, model, "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1", dir.toString())
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", Long.toString(bytes));
        RunReport r = s.run();
        assertThat(r.success()).as("%s", r).isTrue();
        Map<String, String> server = Scenario.results(r.actors().get(0)).getFirst();
        Map<String, String> client = Scenario.results(r.actors().get(1)).getFirst();
        assertThat(Long.parseLong(server.get("bytes"))).isEqualTo(bytes);
        assertThat(fileSha(dir.resolve("conn-0.bin"))).isEqualTo(patternSha(bytes));
        double measured = d(server, "eof") - d(client, "connected");
        Platform p = s.platform();
        double expected = modelTime(p, config(p), bytes);
        assertThat(Math.abs(measured - expected) / expected).as("eof-connected %s vs model %s", measured, expected)
                .isLessThan(1e-3);
        assertThat(r.actors().get(1).bytesSent()).isEqualTo(bytes);
        assertThat(r.actors().get(0).bytesReceived()).isEqualTo(bytes);
        System.out.printf("transfer %d B %s: eof-connected %.9f s, model %.9f s, wall %s, %d mediated%n",
                bytes, model, measured, expected, r.wall(), r.mediatedSyscalls());
    }

    @Test
    void connectReturnsAfterTwoLatenciesAndAcceptAfterThree() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "100ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1")
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", "10");
        RunReport r = s.run();
        assertThat(r.success()).as("%s", r).isTrue();
        Map<String, String> server = Scenario.results(r.actors().get(0)).getFirst();
        Map<String, String> client = Scenario.results(r.actors().get(1)).getFirst();
        double epoch = RunOptions.DEFAULT_EPOCH;
        assertThat(d(client, "connected") - epoch).isCloseTo(0.2, within(1e-6));
        assertThat(d(server, "accepted") - epoch).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void twoClientsShareTheLinkAsTheModelSharesIt() {
        long bytes = 20_000_000;
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "2")
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", Long.toString(bytes))
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", Long.toString(bytes));
        RunReport r = s.run();
        assertThat(r.success()).as("%s", r).isTrue();
        Platform p = s.platform();
        double shared = modelTime(p, config(p), bytes, bytes);
        double alone = modelTime(p, config(p), bytes);
        List<Map<String, String>> conns = Scenario.results(r.actors().get(0));
        assertThat(conns).hasSize(2);
        for (int i = 1; i <= 2; i++) {
            Map<String, String> client = Scenario.results(r.actors().get(i)).getFirst();
            double connected = d(client, "connected");
            double eof = conns.stream().mapToDouble(m -> d(m, "eof")).max().orElseThrow();
            assertThat(Math.abs((eof - connected) - shared) / shared).as("shared %s alone %s", shared, alone)
                    .isLessThan(1e-3);
        }
        assertThat(shared).isGreaterThan(1.5 * alone - 0.05);
    }

    @Test
    void pingPongRoundsTakeTheModelsRoundTrip() {
        int rounds = 100;
        long size = 1000;
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_pingpong"), 0, "server", "8080", Integer.toString(rounds), Long.toString(size))
                .actor("alice", Scenario.app("tcp_pingpong"), 0, "client", "10.0.0.2", "8080", Integer.toString(rounds),
                        Long.toString(size));
        RunReport r = s.run();
        assertThat(r.success()).as("%s", r).isTrue();
        Platform p = s.platform();
        ModelConfig cfg = config(p);
        Simulation there = new Simulation(p, cfg);
        Transfer go = there.startTransfer(p.host("alice").orElseThrow(), p.host("bob").orElseThrow(), size);
        there.run();
        Simulation back = new Simulation(p, cfg);
        Transfer ret = back.startTransfer(p.host("bob").orElseThrow(), p.host("alice").orElseThrow(), size);
        back.run();
        double round = go.finishTime() + ret.finishTime();
        double rtt = d(Scenario.results(r.actors().get(1)).getFirst(), "mean_rtt");
        assertThat(Math.abs(rtt - round) / round).as("rtt %s model %s", rtt, round).isLessThan(1e-3);
        System.out.printf("ping-pong: mean rtt %.9f s, model %.9f s, wall %s%n", rtt, round, r.wall());
    }

    @Test
    void aStaticProgramRuns() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("hello_static"), 1.5);
        RunReport r = s.run();
        assertThat(r.success()).isTrue();
        assertThat(Scenario.text(r.actors().getFirst().stdout())).isEqualTo("hello static\n");
        assertThat(r.actors().getFirst().start()).isEqualTo(1.5);
        assertThat(r.makespan()).isEqualTo(1.5);
    }

    @Test
    void aStaticProgramReadsTheVirtualClockThoughItsVdsoWouldHaveAnswered() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("bob", Scenario.app("clock_static"), 2.25);
        RunReport r = s.run();
        assertThat(r.success()).isTrue();
        assertThat(Scenario.text(r.actors().getFirst().stdout()))
                .isEqualTo("realtime=946684802.250000000 monotonic=2.250000000\n");
    }

    @Test
    void withCpuModelNoneTwoRunsGiveIdenticalReportsAndOutputs() throws IOException {
        String[] outputs = new String[2];
        String[] reports = new String[2];
        for (int run = 0; run < 2; run++) {
            Path d = Files.createDirectory(dir.resolve("run" + run));
            Scenario s = new Scenario(d, "LV08", "10MBps", "5ms")
                    .actor("bob", Scenario.app("tcp_server"), 0, "8080", "2")
                    .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", "3000000")
                    .actor("alice", Scenario.app("tcp_client"), 0.001, "10.0.0.2", "8080", "1000000");
            RunReport r = s.run();
            assertThat(r.success()).isTrue();
            StringBuilder out = new StringBuilder();
            StringBuilder rep = new StringBuilder().append(r.makespan()).append(' ').append(r.mediatedSyscalls());
            for (RunReport.ActorReport a : r.actors()) {
                out.append(Scenario.text(a.stdout())).append(Scenario.text(a.stderr()));
                rep.append(List.of(a.name(), a.host(), a.outcome(), a.exitCode(), a.start(), a.end(), a.bytesSent(),
                        a.bytesReceived(), a.syscallsMediated()));
            }
            outputs[run] = out.toString();
            reports[run] = rep.toString();
        }
        assertThat(outputs[1]).isEqualTo(outputs[0]);
        assertThat(reports[1]).isEqualTo(reports[0]);
    }
}
