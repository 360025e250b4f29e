package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.TimeHandlers;

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
import org.junit.jupiter.params.provider.ValueSource;
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
        long monotonic = TimeHandlers.BOOT_OFFSET_NANOS + 2_250_000_000L; // the hosts' uptime at date 0, plus 2.25 s
        assertThat(Scenario.text(r.actors().getFirst().stdout())).isEqualTo("realtime=946684802.250000000 monotonic=%d.%09d\n"
                .formatted(monotonic / 1_000_000_000L, monotonic % 1_000_000_000L));
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

    /**
     * accept, recv and send (both socket buffers full) each blocked while a signal comes
     * ({@code testapps/src/restarted_calls.c}: SIGCHLD, SIGUSR1, SIGCHLD): after a SA_RESTART
     * handler the call goes on and returns once, as on Linux; after a handler without it, or
     * under SO_RCVTIMEO/SO_SNDTIMEO, it returns EINTR and the program calls it again. The same
     * two programs run natively over loopback give the same call outcomes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"restart", "interrupt", "timeout"})
    void socketCallsCutShortBySignalsRestartOrFailAsOnLinux(String mode) throws Exception {
        String[] expected = mode.equals("restart")
                ? new String[] {"accept=0/0/h1", "recv=5/0/h2", "send=1/0/h3"}
                : new String[] {"accept=-1/EINTR/h1", "accept=0/0/h1", "recv=-1/EINTR/h2", "recv=5/0/h2",
                        "send=-1/EINTR/h3", "send=1/0/h3"};
        // The native reference runs in real time: on a loaded machine a late client may let a signal
        // find the server elsewhere than in the call it targets (seen in a full suite); run it again then.
        List<String> real = restartedCallsNatively(mode);
        for (int attempt = 2; attempt <= 3 && !startsWith(real, expected); attempt++) {
            real = restartedCallsNatively(mode);
        }
        RunReport r = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", Scenario.app("restarted_calls"), 0, "server", "8080", mode)
                .actor("alice", Scenario.app("restarted_calls"), 0, "client", "10.0.0.2", "8080")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<String> simulated = outcomes(Scenario.results(r.actors().get(0)), Scenario.results(r.actors().get(1)));
        assertThat(simulated).isEqualTo(real);
        assertThat(real).startsWith(expected);
        // simulated dates: the signals at 0.1, 0.4, 0.7; connected at 0.22 and accepted at 0.23
        // (one 10 ms latency per handshake step), "hello" sent at 0.52 and received at 0.53, the
        // last send done once the client reads from 1.02 on
        List<Map<String, String>> calls = Scenario.results(r.actors().get(0)).stream().filter(m -> m.containsKey("t")).toList();
        assertThat(dates(calls, "0")).hasSize(3).startsWith(0.23, 0.53);
        assertThat(dates(calls, "0").getLast()).isGreaterThan(1.02);
        assertThat(dates(calls, "EINTR")).containsExactly(mode.equals("restart") ? new Double[0] : new Double[] {0.1, 0.4, 0.7});
    }

    /**
     * A socket call the kernel restarts after a SA_RESTART handler is one call of the program,
     * and the run counts it once (in the actor's syscalls and the run's mediated total). The
     * server of restarted_calls makes the same calls in both modes, except that without
     * SA_RESTART it calls accept, recv and send again after their EINTR and reports those three
     * outcomes too (one clock_gettime each): so it counts exactly six more there (three more,
     * the restarts counted twice, before); the client, the same program in both runs, counts
     * the same.
     */
    @Test
    void aSocketCallRestartedAfterASignalHandlerIsCountedOnce() throws IOException {
        long[] server = new long[2];
        long[] client = new long[2];
        long[] total = new long[2];
        String[] modes = {"restart", "interrupt"};
        for (int i = 0; i < modes.length; i++) {
            RunReport r = new Scenario(Files.createDirectories(dir.resolve(modes[i])), "CM02", "100MBps", "10ms")
                    .actor("bob", Scenario.app("restarted_calls"), 0, "server", "8080", modes[i])
                    .actor("alice", Scenario.app("restarted_calls"), 0, "client", "10.0.0.2", "8080")
                    .run();
            assertThat(r.success()).as("%s", r).isTrue();
            server[i] = r.actors().get(0).syscallsMediated();
            client[i] = r.actors().get(1).syscallsMediated();
            total[i] = r.mediatedSyscalls();
        }
        String counts = "server " + java.util.Arrays.toString(server) + " client " + java.util.Arrays.toString(client);
        assertThat(server[1] - server[0]).as(counts).isEqualTo(6);
        assertThat(client[1]).as(counts).isEqualTo(client[0]);
        assertThat(total[1] - total[0]).as(counts).isEqualTo(6);
    }

    /**
     * A connect blocked in its handshake (100 ms links: SYN at 0.2, SYN-ACK back at 0.4) gets
     * SIGUSR1 at 0.3: after a SA_RESTART handler it goes on and returns 0 at 0.4; after another
     * handler, or under SO_SNDTIMEO, it returns EINTR at 0.3 and the program's second connect
     * waits for the same handshake and returns 0 at 0.4. That is Linux's inet_stream_connect
     * (ERESTARTSYS, or EINTR with a timeout; a blocking connect on a connecting socket waits),
     * checked natively by hand against a listener whose full accept queue dropped the SYN; this
     * test has no native twin because loopback connects at once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"restart", "interrupt", "timeout"})
    void aConnectCutShortBySignalGoesOnOrFailsAsOnLinux(String mode) {
        RunReport r = new Scenario(dir, "CM02", "100MBps", "100ms")
                .actor("bob", Scenario.app("restarted_calls"), 0, "server", "8080", "restart")
                .actor("alice", Scenario.app("restarted_calls"), 0, "client", "10.0.0.2", "8080", mode, "0.3")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> client = Scenario.results(r.actors().get(1));
        assertThat(client.stream().filter(m -> m.containsKey("call")).map(m -> m.get("call") + "=" + m.get("ret") + "/"
                + m.get("errno") + "/h" + m.get("handled") + "@" + date(m)).toList())
                .containsExactly(mode.equals("restart") ? new String[] {"connect=0/0/h1@0.4"}
                        : new String[] {"connect=-1/EINTR/h1@0.3", "connect=0/0/h1@0.4"});
        assertThat(outcomes(Scenario.results(r.actors().get(0)), client)).endsWith("all sent bytes received");
    }

    /**
     * IPV6_V6ONLY as Linux enforces it, the v6only app run natively over the real loopback and
     * under simulation, line for line: a V6ONLY listener on :: refuses IPv4 and IPv4-mapped
     * connections (ECONNREFUSED) and takes ::1 ones; a V6ONLY socket cannot connect to a mapped
     * address (ENETUNREACH) nor bind one (EINVAL); binding ::1 sets the option; an AF_INET
     * socket and a V6ONLY AF_INET6 one share a port in either order and a dual-stack one
     * conflicts; SYNs reach the listener of their family; the option changes only before the
     * socket has a port (EINVAL after bind, listen, connect); AF_INET sockets refuse it
     * (ENOPROTOOPT to set, EOPNOTSUPP to read); IPv4 peers of a dual-stack socket are named
     * ::ffff:127.0.0.1, IPv6 ones ::1.
     */
    @Test
    void ipv6OnlySocketsBehaveAsOnLinux() throws Exception {
        // the simulation's default is net.ipv6.bindv6only = 0: the native twin must run with it
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only")).trim()).isEqualTo("0");
        Process p = new ProcessBuilder(Scenario.app("v6only")).redirectErrorStream(true).start();
        String real = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(real).isZero();
        RunReport r = new Scenario(dir, "CM02", "100MBps", "10ms").actor("alice", Scenario.app("v6only"), 0).run();
        assertThat(r.success()).as("%s %s", r, Scenario.text(r.actors().getFirst().stderr())).isTrue();
        String simulated = Scenario.text(r.actors().getFirst().stdout());
        assertThat(simulated.lines().toList()).isEqualTo(real.lines().toList());
        assertThat(simulated).contains("case=defaults inet6=0 inet=EOPNOTSUPP set_inet=ENOPROTOOPT")
                .contains("case=only_ipv6 inet=ECONNREFUSED mapped=ECONNREFUSED ipv6=0 accepted=1 child_v6only=1")
                .contains("case=mapped_from_v6only connect=ENETUNREACH outside=ENETUNREACH bind=EINVAL")
                .contains("case=sharing_inet_first v6only=0 dual=EADDRINUSE")
                .contains("case=sharing_inet6_first after_v6only=0,0,0 after_dual=EADDRINUSE,EADDRINUSE")
                .contains("case=shared_port inet=0 ready=a ipv6=0 ready=b")
                .contains("after_bind=EINVAL kept=0 after_listen=EINVAL connect=0 after_connect=EINVAL");
    }

    /** The simulated dates at which the calls that ended with {@code errno} returned. */
    private static List<Double> dates(List<Map<String, String>> calls, String errno) {
        return calls.stream().filter(m -> m.get("errno").equals(errno)).map(TcpAppsUnderSimulationTest::date).toList();
    }

    /** The simulated date a RESULT line gives, in seconds from the start, rounded to the ms. */
    private static double date(Map<String, String> m) {
        return Math.round((d(m, "t") - RunOptions.DEFAULT_EPOCH) * 1e3) / 1e3;
    }

    /** The call outcomes of one run, then "all sent bytes received" if the byte counts agree. */
    private static List<String> outcomes(List<Map<String, String>> server, List<Map<String, String>> client) {
        List<String> out = new java.util.ArrayList<>(server.stream().filter(m -> m.containsKey("call"))
                .map(m -> m.get("call") + "=" + m.get("ret") + "/" + m.get("errno") + "/h" + m.get("handled")).toList());
        String sent = server.getLast().get("sent");
        out.add(sent != null && sent.equals(client.getLast().get("received")) ? "all sent bytes received"
                : "sent " + sent + ", received " + client.getLast().get("received"));
        return out;
    }

    /** The call outcomes of restarted_calls' server and client run natively over loopback. */
    private static boolean startsWith(List<String> outcomes, String[] prefix) {
        return outcomes.size() >= prefix.length && outcomes.subList(0, prefix.length).equals(List.of(prefix));
    }

    private List<String> restartedCallsNatively(String mode) throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String app = Scenario.app("restarted_calls");
        Path serverOut = dir.resolve("native-server.txt"), clientOut = dir.resolve("native-client.txt");
        Process server = new ProcessBuilder(app, "server", Integer.toString(port), mode).redirectOutput(serverOut.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process client = null;
        try {
            client = new ProcessBuilder(app, "client", "127.0.0.1", Integer.toString(port))
                    .redirectOutput(clientOut.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertThat(client.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            server.destroyForcibly();
            if (client != null) {
                client.destroyForcibly();
            }
        }
        assertThat(server.exitValue()).isZero();
        assertThat(client.exitValue()).isZero();
        return outcomes(Scenario.results(serverOut), Scenario.results(clientOut));
    }
}
