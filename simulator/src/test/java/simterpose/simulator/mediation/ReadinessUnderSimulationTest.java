package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.TimeHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import simterpose.simulator.platform.Platform;

/**
 * The readiness APIs (poll, select, epoll level- and edge-triggered, one-shot, EPOLLRDHUP,
 * non-blocking connect) in real processes under the simulation, each in a small exchange
 * ({@code testapps/src/readiness.c}: a client sends three 4-byte messages 100 ms apart, then
 * shuts down its sending side 100 ms later; the server echoes): the events each program sees
 * and the virtual times it sees them at are the model's. Plus waits mixing a simulated socket
 * with real fds ({@code mixed_wait.c}), and netcat moving a 10 MB file.
 *
 * <p>Platform: alice 10.0.0.1 — 100 MBps, 10 ms (CM02: no latency or bandwidth factor) — bob
 * 10.0.0.2. The client starts at 0.1 s: connected at 0.12 (SYN, SYN-ACK), accepted at 0.13.
 */
class ReadinessUnderSimulationTest {
    private static final double L = 0.010;
    private static final double START = 0.1;
    private static final double CONNECTED = START + 2 * L;

    @TempDir
    Path dir;

    private Scenario scenario() {
        return new Scenario(dir, "CM02", "100MBps", "10ms");
    }

    /** Seconds a message of {@code bytes} takes alice→bob in the model. */
    private double oneWay(long bytes) {
        Platform p = scenario().platform();
        return TcpAppsUnderSimulationTest.modelTime(p, TcpAppsUnderSimulationTest.config(p), bytes);
    }

    /** The server's and the client's RESULT lines for one API (the server reads {@code chunk} bytes per wake-up). */
    private List<List<Map<String, String>>> exchange(String api, int chunk) {
        RunReport r = scenario()
                .actor("bob", Scenario.app("readiness"), 0, "server", api, "5000", Integer.toString(chunk))
                .actor("alice", Scenario.app("readiness"), START, "client", "10.0.0.2", "5000", "3", "100", "4")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> server = Scenario.results(r.actors().get(0));
        List<Map<String, String>> client = Scenario.results(r.actors().get(1));
        assertClientSaw(client);
        return List.of(server, client);
    }

    /** Non-blocking connect: EINPROGRESS, writable with SO_ERROR 0 after one round trip; 12 bytes echoed. */
    private static void assertClientSaw(List<Map<String, String>> client) {
        assertThat(client.get(0)).containsEntry("ev", "connect").containsEntry("errno", "EINPROGRESS");
        assertThat(date(client.get(0))).isCloseTo(START, within(1e-6));
        assertThat(client.get(1)).containsEntry("ev", "writable").containsEntry("revents", "4").containsEntry("so_error", "0");
        assertThat(date(client.get(1))).isCloseTo(CONNECTED, within(1e-6));
        assertThat(client.getLast()).containsEntry("ev", "echoed").containsEntry("n", "12");
    }

    /** The dates the client sent its messages and shut down, read on its own clock. */
    private static double[] sends(List<Map<String, String>> client) {
        return client.stream().filter(m -> m.get("ev").equals("sent") || m.get("ev").equals("shutdown"))
                .mapToDouble(ReadinessUnderSimulationTest::date).toArray();
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    /** The simulated date of a result's {@code t}, a CLOCK_MONOTONIC reading (the hosts' uptime at date 0, plus the date). */
    private static double date(Map<String, String> m) {
        return d(m, "t") - TimeHandlers.BOOT_OFFSET_SECONDS;
    }

    /** "ev[:n]@t" per server event, t rounded to the µs, for whole-sequence comparisons. */
    private static List<String> events(List<Map<String, String>> server) {
        return server.stream().map(m -> m.get("ev") + (m.containsKey("n") ? ":" + m.get("n") : "")
                + "@" + Math.round(date(m) * 1e6)).toList();
    }

    private static String at(String ev, double t) {
        return ev + "@" + Math.round(t * 1e6);
    }

    /** The accept after the handshake, then one read event per message, each when the model delivers it. */
    private List<String> acceptThenOneReadPerMessage(String read, double[] sends) {
        double msg = oneWay(4);
        return new java.util.ArrayList<>(List.of(at("accept", START + 3 * L),
                at(read, sends[0] + msg), at(read, sends[1] + msg), at(read, sends[2] + msg)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "select"})
    void pollAndSelectWakeTheServerAtEachArrivalAndAtEndOfStream(String api) {
        var both = exchange(api, 65536);
        double[] s = sends(both.get(1));
        List<String> expected = acceptThenOneReadPerMessage("in:4", s);
        if (api.equals("poll")) {
            expected.add(at("rdhup", s[3] + L)); // it asked for POLLRDHUP: the FIN crosses in one latency
        }
        expected.add(at("eof", s[3] + L));
        assertThat(events(both.get(0))).containsExactlyElementsOf(expected);
    }

    @Test
    void levelTriggeredEpollReportsAgainUntilDrained() {
        var both = exchange("epoll", 1);
        double[] s = sends(both.get(1));
        double msg = oneWay(4);
        List<String> expected = new java.util.ArrayList<>(List.of(at("accept", START + 3 * L)));
        for (int m = 0; m < 3; m++) {
            for (int b = 0; b < 4; b++) {
                expected.add(at("in:1", s[m] + msg)); // one report per byte read, all at the arrival date
            }
        }
        expected.add(at("eof", s[3] + L));
        assertThat(events(both.get(0))).containsExactlyElementsOf(expected);
        assertThat(both.get(0).getLast()).containsEntry("reports", "13");
    }

    @Test
    void edgeTriggeredEpollReportsOncePerArrivalThoughDataIsLeft() {
        var both = exchange("epollet", 1);
        double[] s = sends(both.get(1));
        List<String> expected = acceptThenOneReadPerMessage("in:1", s);
        expected.addAll(List.of(at("rdhup", s[3] + L), at("in:9", s[3] + L), at("eof", s[3] + L)));
        assertThat(events(both.get(0))).containsExactlyElementsOf(expected);
        assertThat(both.get(0).getLast()).containsEntry("reports", "4");
    }

    @Test
    void oneShotEpollStaysSilentUntilRearmed() {
        var both = exchange("oneshot", 65536);
        double[] s = sends(both.get(1));
        double first = s[0] + oneWay(4);
        // disarmed after the first report: the 250 ms wait times out though two messages came
        assertThat(events(both.get(0))).containsExactly(at("accept", START + 3 * L), at("in:4", first),
                at("timeout", first + 0.25), at("in:8", first + 0.25), at("eof", s[3] + L));
    }

    @Test
    void epollRdhupReportsThePeersShutdownOneLatencyAfterIt() {
        var both = exchange("rdhup", 65536);
        double[] s = sends(both.get(1));
        List<String> expected = acceptThenOneReadPerMessage("in:4", s);
        expected.addAll(List.of(at("rdhup", s[3] + L), at("eof", s[3] + L)));
        assertThat(events(both.get(0))).containsExactlyElementsOf(expected);
    }

    @Test
    void aRefusedNonBlockingConnectReportsOutErrHupAndEconnrefusedAfterOneRoundTrip() {
        RunReport r = scenario().actor("alice", Scenario.app("readiness"), START, "refused", "10.0.0.2", "6000").run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> out = Scenario.results(r.actors().getFirst());
        assertThat(out.get(0)).containsEntry("errno", "EINPROGRESS");
        assertThat(out.get(1)).containsEntry("ev", "refused").containsEntry("events", "28") // EPOLLOUT|EPOLLERR|EPOLLHUP
                .containsEntry("so_error", "ECONNREFUSED");
        assertThat(date(out.get(1))).isCloseTo(START + 2 * L, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "select", "epoll"})
    void aWaitOnAPipeAndASimulatedSocketWakesForEachAtItsOwnDate(String api) {
        RunReport r = scenario()
                .actor("bob", Scenario.app("readiness"), 0, "server", "poll", "5000", "65536")
                .actor("alice", Scenario.app("mixed_wait"), START, api, "10.0.0.2", "5000")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> out = Scenario.results(r.actors().get(1));
        double connected = date(out.getFirst());
        assertThat(connected).isCloseTo(CONNECTED, within(1e-6));
        double echo = connected + 2 * oneWay(5); // to bob and back (the link is symmetric)
        double pipe3 = connected + 0.15; // the writer thread's third byte
        assertThat(out.stream().skip(1).map(m -> m.get("ev") + (m.containsKey("pipe") ? m.get("pipe") + m.get("sock") : "")
                + "@" + Math.round(date(m) * 1e6)).toList()).containsExactly(
                at("ready01", echo), at("ready10", connected + 0.05), at("ready10", connected + 0.10),
                at("ready10", pipe3),
                at("timeout", pipe3 + 0.1), // a pipe alone with a 100 ms timeout: simulated time
                at("file", pipe3 + 0.1), // a regular file is ready at once
                at("spun", pipe3 + 0.15)); // poll(pipe, 0) in a loop: the clock still reaches the writer's date
        assertThat(out.get(5)).containsEntry("n", "0");
        assertThat(out.get(6)).containsEntry("n", "1").containsEntry("revents", "1");
    }

    @Test
    void shortTimeoutsInARowFromANetworkDateEachTimeOutOnTime() {
        RunReport r = new Scenario(dir, "LV08", "100MBps", "10ms") // LV08: dates that are no whole nanoseconds
                .actor("bob", Scenario.app("readiness"), 0, "server", "poll", "5000", "65536")
                .actor("alice", Scenario.app("wait_timeouts"), START, "10.0.0.2", "5000")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> out = Scenario.results(r.actors().get(1));
        double start = date(out.getFirst());
        for (int i = 1; i <= 3; i++) { // 200 waits of 5 ms per API, on an idle simulated socket
            assertThat(out.get(i)).containsEntry("zeros", "200");
            assertThat(date(out.get(i)) - start).isCloseTo(i, within(1e-6));
        }
        Map<String, String> echo = out.get(4); // a select that an echo ended early left the rest in its timeval
        assertThat(echo).containsEntry("call", "select_left").containsEntry("zeros", "0");
        assertThat(d(echo, "left")).isCloseTo(1 - d(echo, "waited"), within(2e-6));
    }

    @Test
    void aSignalFromAnotherTraceeCutsSimulatedWaitsShortWithEintr() {
        RunReport r = scenario().actor("alice", Scenario.app("interrupted_wait"), 0).run();
        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> out = Scenario.results(r.actors().getFirst());
        assertThat(out.stream().filter(m -> m.containsKey("t")).map(m -> m.get("call") + "=" + m.get("ret") + "/"
                + m.get("errno") + "/h" + m.get("handled") + "@" + Math.round(date(m) * 1e6)).toList()).containsExactly(
                "poll=-1/EINTR/h1@50000", // the child's kills come every 50 ms of simulated time
                "nanosleep=-1/EINTR/h2@100000",
                "epoll_wait=-1/EINTR/h3@150000",
                "ppoll=-1/EINTR/h4@200000", // SIGUSR1 blocked but for ppoll's mask: handled under it
                "poll=0/0/h4@500000"); // the child's exit (SIGCHLD, ignored) does not cut a wait short
        assertThat(out.get(2)).containsEntry("call", "rem").containsEntry("sec", "0").containsEntry("nsec", "950000000");
    }

    /** 10 MB of seeded random bytes, also written to in.bin; skips the test without netcat-openbsd. */
    private byte[] netcatInput(long seed) throws Exception {
        assumeThat(Path.of("/usr/bin/nc")).as("netcat-openbsd (bin/install-deps)").isExecutable();
        byte[] data = new byte[10_000_000];
        new SplittableRandom(seed).nextBytes(data);
        Files.write(dir.resolve("in.bin"), data);
        return data;
    }

    @Test
    void netcatMovesTenMegabytesByteExactAndBothEndsExitByThemselves() throws Exception {
        byte[] data = netcatInput(5);
        Path in = dir.resolve("in.bin");
        Path out = dir.resolve("out.bin");
        Scenario s = scenario()
                .actor("bob", "/bin/sh", 0, "-c", "nc -l 5000 &gt; " + out)
                .actor("alice", "/bin/sh", START, "-c", "nc -N 10.0.0.2 5000 &lt; " + in);
        RunReport r = s.run();
        assertThat(r.success()).as("%s", r).isTrue();
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(data));
        double transfer = oneWay(data.length);
        double serverEnd = r.actors().get(0).end();
        // the bytes flow from the connection on; the receiver ends once the FIN follows them
        assertThat(serverEnd - CONNECTED).isBetween(transfer * (1 - 1e-9), transfer * 1.05 + 2 * L);
        System.out.printf("nc 10 MB: receiver ends %.6f s after connect, model %.6f s, wall %s, %d mediated%n",
                serverEnd - CONNECTED, transfer, r.wall(), r.mediatedSyscalls());
    }

    @Test
    void netcatBetweenPipesBusyWaitsWithoutStoppingTheClock() throws Exception {
        byte[] data = netcatInput(6);
        Path in = dir.resolve("in.bin");
        Path sum = dir.resolve("out.sha256");
        // cat exits once the pipe holds the rest: nc then polls a pipe that reports POLLHUP while
        // its buffer is full and the socket is not writable, a spin the simulation must let pass
        RunReport r = scenario()
                .actor("bob", "/bin/sh", 0, "-c", "nc -l 5000 | sha256sum &gt; " + sum)
                .actor("alice", "/bin/sh", START, "-c", "cat " + in + " | nc -N 10.0.0.2 5000")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        assertThat(Files.readString(sum)).startsWith(sha256(data) + " ");
        double transfer = oneWay(data.length);
        assertThat(r.actors().get(0).end() - CONNECTED).isBetween(transfer * (1 - 1e-9), transfer * 1.05 + 2 * L);
    }

    @Test
    void iperf3RunsItsTwoSecondsOfSimulatedTimeWithoutCpuModel() {
        assumeThat(Path.of("/usr/bin/iperf3")).as("iperf3 (bin/install-deps)").isExecutable();
        // its client selects on a writable stream before the test starts and does not write: a spin
        RunReport r = scenario()
                .actor("bob", "iperf3", 0, "-s", "-1")
                .actor("alice", "iperf3", START, "-c", "10.0.0.2", "-t", "2")
                .run();
        assertThat(r.success()).as("%s", r).isTrue();
        String client = Scenario.text(r.actors().get(1).stdout());
        assertThat(client).containsPattern("0\\.00-2\\.00 +sec .* sender").contains("iperf Done.");
        // the server stops reading at the test's end: what is still in flight then is not received
        assertThat(r.actors().get(0).bytesReceived()).isBetween(100_000_000L, r.actors().get(1).bytesSent());
        System.out.printf("iperf3 2 s: %d B, wall %s%n", r.actors().get(1).bytesSent(), r.wall());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
