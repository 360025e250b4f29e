package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --mediation=address}: the same real programs run under full mediation and under
 * address mode give the same report (simulated times to 1e-9 s), the same bytes, and in
 * address mode the tool copies no payload byte (the report's payloadBytesCopied).
 */
class AddressModeUnderSimulationTest {
    @TempDir
    Path dir;

    private RunReport run(String mode, java.util.function.Function<Path, Scenario> build) throws Exception {
        Path where = Files.createDirectories(dir.resolve(mode));
        Scenario s = build.apply(where);
        RunOptions options = Scenario.options(where.resolve("out"))
                .withMediation(mode.equals("address") ? RunOptions.Mediation.ADDRESS : RunOptions.Mediation.FULL);
        RunReport r = s.run(options, new RunListener() {});
        assertThat(r.success()).as("%s: %s", mode, r).isTrue();
        return r;
    }

    /** Same makespan, same start and end of every actor (1e-9 s), same byte counts, same RESULT lines. */
    private static void assertSameRun(RunReport full, RunReport address) {
        assertThat(address.makespan()).isCloseTo(full.makespan(), within(1e-9));
        assertThat(address.actors()).hasSameSizeAs(full.actors());
        for (int i = 0; i < full.actors().size(); i++) {
            RunReport.ActorReport f = full.actors().get(i);
            RunReport.ActorReport a = address.actors().get(i);
            assertThat(a.start()).isCloseTo(f.start(), within(1e-9));
            assertThat(a.end()).as("end of %s", f.name()).isCloseTo(f.end(), within(1e-9));
            assertThat(a.bytesSent()).isEqualTo(f.bytesSent());
            assertThat(a.bytesReceived()).isEqualTo(f.bytesReceived());
            assertThat(Scenario.results(a)).as("RESULT lines of %s", f.name()).isEqualTo(Scenario.results(f));
        }
    }

    @Test
    void aFileSentOverTcpArrivesByteExactAtTheSameSimulatedTimesWithoutTheToolCopyingIt() throws Exception {
        byte[] content = new byte[3_000_000];
        new Random(18).nextBytes(content);
        Path file = Files.write(dir.resolve("payload.bin"), content);
        java.util.function.Function<Path, Scenario> build = where -> new Scenario(where, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1", where.toString())
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", Long.toString(content.length),
                        file.toString());
        RunReport full = run("full", build);
        RunReport address = run("address", build);

        assertSameRun(full, address);
        byte[] expected = TcpAppsUnderSimulationTest.fileSha(file);
        assertThat(TcpAppsUnderSimulationTest.fileSha(dir.resolve("full/conn-0.bin"))).isEqualTo(expected);
        assertThat(TcpAppsUnderSimulationTest.fileSha(dir.resolve("address/conn-0.bin"))).isEqualTo(expected);
        assertThat(full.payloadBytesCopied()).isEqualTo(2L * content.length); // read from alice, written into bob
        assertThat(address.payloadBytesCopied()).isZero();
    }

    @Test
    void pingPongAndTwoClientsOfOneServerKeepTheirTimesAndStreamsApart() throws Exception {
        java.util.function.Function<Path, Scenario> build = where -> new Scenario(where, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "2", where.toString())
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", "2000000")
                .actor("alice", Scenario.app("tcp_client"), 0.05, "10.0.0.2", "8080", "1000000")
                .actor("bob", Scenario.app("tcp_pingpong"), 0, "server", "9090", "50", "1000")
                .actor("alice", Scenario.app("tcp_pingpong"), 0, "client", "10.0.0.2", "9090", "50", "1000");
        RunReport full = run("full", build);
        RunReport address = run("address", build);

        assertSameRun(full, address);
        for (String conn : List.of("conn-0.bin", "conn-1.bin")) {
            assertThat(Files.mismatch(dir.resolve("full").resolve(conn), dir.resolve("address").resolve(conn)))
                    .as(conn).isEqualTo(-1L);
        }
        assertThat(Files.size(dir.resolve("address/conn-0.bin")) + Files.size(dir.resolve("address/conn-1.bin")))
                .isEqualTo(3_000_000L);
        assertThat(address.payloadBytesCopied()).isZero();
    }

    @Test
    void aPythonClientAndServerSeeTheSameBytesAndTimes() throws Exception {
        String server = """
                import hashlib, socket, time
                s = socket.socket(); s.bind(("0.0.0.0", 7000)); s.listen(1)
                c, _ = s.accept(); h = hashlib.sha256(); n = 0
                while True:
                    b = c.recv(65536)
                    if not b: break
                    h.update(b); n += len(b)
                c.sendall(h.hexdigest().encode()); c.close()
                print("RESULT bytes=%d sha=%s t=%.9f" % (n, h.hexdigest(), time.time()))
                """;
        String client = """
                import hashlib, random, socket, time
                data = random.Random(7).randbytes(500000)
                c = socket.create_connection(("10.0.0.2", 7000))
                for i in range(0, len(data), 7000): c.sendall(data[i:i + 7000])
                c.shutdown(socket.SHUT_WR); answer = c.recv(100)
                print("RESULT sha=%s echoed=%s t=%.9f" % (hashlib.sha256(data).hexdigest(), answer.decode(), time.time()))
                """;
        Path serverPy = Files.writeString(dir.resolve("server.py"), server);
        Path clientPy = Files.writeString(dir.resolve("client.py"), client);
        java.util.function.Function<Path, Scenario> build = where -> new Scenario(where, "LV08", "100MBps", "10ms")
                .actor("bob", "/usr/bin/python3", 0, serverPy.toString())
                .actor("alice", "/usr/bin/python3", 0.01, clientPy.toString());
        RunReport full = run("full", build);
        RunReport address = run("address", build);

        assertSameRun(full, address);
        Map<String, String> sent = Scenario.results(address.actors().get(1)).getFirst();
        Map<String, String> got = Scenario.results(address.actors().get(0)).getFirst();
        assertThat(got).containsEntry("bytes", "500000").containsEntry("sha", sent.get("sha"));
        assertThat(sent.get("echoed")).isEqualTo(sent.get("sha"));
        assertThat(address.payloadBytesCopied()).isZero();
    }
    /**
     * Faulting buffers, among them one that worked (so address mode knows it usable) and is then
     * unmapped, and one then made read-only: EFAULT in both modes, and the simulated socket takes
     * and gives exactly what full mediation's does (same times, same bytes).
     */
    @Test
    void buffersThatFaultAfterWorkingFailAlikeInBothModes() throws Exception {
        Path script = Files.writeString(dir.resolve("stream_calls.py"), StreamDataUnderSimulationTest.SCRIPT);
        java.util.function.Function<Path, Scenario> build = where -> new Scenario(where, "LV08", "100MBps", "1ms")
                .actor("bob", "/usr/bin/python3", 0, script.toString(), "server", "8080")
                .actor("alice", "/usr/bin/python3", 1, script.toString(), "client", "10.0.0.2", "8080");
        RunReport full = run("full", build);
        RunReport address = run("address", build);

        assertSameRun(full, address);
        assertThat(Scenario.results(address.actors().get(1)).getFirst()).containsEntry("gone_send", "-14");
        assertThat(Scenario.results(address.actors().get(0)).getFirst()).containsEntry("ro_recv", "-14")
                .containsEntry("same", "True");
    }
}
