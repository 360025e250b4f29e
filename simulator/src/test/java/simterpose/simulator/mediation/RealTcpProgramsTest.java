package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.SpinGuard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Platform;

/**
 * Real Debian TCP programs (python3's http.server and urllib, curl, iperf3) and the small C
 * apps that pin down what they need (TCP_INFO, busy polling) under the simulation: bytes
 * arrive exact, and what the programs measure is the model's.
 */
class RealTcpProgramsTest {
    @TempDir
    Path dir;

    private static final String PYTHON = "/usr/bin/python3";
    private static final String CURL = "/usr/bin/curl";
    private static final String IPERF3 = "/usr/bin/iperf3";

    /** Collects the run's diagnostics (unmediated syscalls on virtual sockets). */
    static final class Diagnostics implements RunListener {
        final List<String> messages = new ArrayList<>();

        @Override
        public synchronized void diagnostic(String message) {
            messages.add(message);
        }
    }

    private static void assumeInstalled(String program) {
        assumeTrue(Files.isExecutable(Path.of(program)), program + " is not installed (bin/install-deps)");
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Path www = Files.createDirectories(dir.resolve("www"));
        return Files.write(www.resolve(name), content);
    }

    @Test
    void tcpInfoShowsTheSimulatedConnectionRoundTripWindowAndAckedBytes() {
        long bytes = 3_000_000;
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1")
                .actor("alice", Scenario.app("tcp_info"), 0, "10.0.0.2", "8080", Long.toString(bytes));
        RunReport r = s.run();

        assertThat(r.success()).as("%s", r).isTrue();
        List<Map<String, String>> info = Scenario.results(r.actors().get(1));
        Map<String, String> connected = info.get(0);
        Map<String, String> closed = info.get(1);
        assertThat(connected).containsEntry("len", "232")
                .containsEntry("state", "1") // TCP_ESTABLISHED
                .containsEntry("rtt", "20000") // two 10 ms latencies, in us
                .containsEntry("snd_mss", "1448")
                .containsEntry("snd_cwnd", Long.toString(4194304 / 1448)) // TCP_gamma in segments
                .containsEntry("total_retrans", "0")
                .containsEntry("bytes_acked", "0");
        assertThat(closed).containsEntry("state", "6") // TIME_WAIT: our FIN acked, the peer's received
                .containsEntry("bytes_acked", Long.toString(bytes))
                .containsEntry("bytes_sent", Long.toString(bytes))
                .containsEntry("notsent", "0");
    }

    @Test
    void aZeroTimeoutPollLoopLetsSimulatedTimeReachTheHandshake() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1")
                .actor("alice", Scenario.app("poll_spin"), 0, "10.0.0.2", "8080");
        RunReport r = s.run();

        assertThat(r.success()).as("%s", r).isTrue();
        Map<String, String> spin = Scenario.results(r.actors().get(1)).getFirst();
        double waited = Double.parseDouble(spin.get("connected")) - Double.parseDouble(spin.get("start"));
        // the handshake takes a round trip; the spinning loop is held until then and sees it at once
        assertThat(waited).isBetween(0.020 - 1e-6, 0.020 + 1e-6); // the held poll wakes when the clock moves
        assertThat(Long.parseLong(spin.get("polls"))).isGreaterThan(SpinGuard.REPEATS);
    }

    /** An accept loop polls once per connection at one instant: it makes progress, so no poll of it is held. */
    @Test
    void aPollAndAcceptLoopIsNotMistakenForASpin() throws Exception {
        assumeInstalled(PYTHON);
        int clients = 3 * SpinGuard.REPEATS / 2;
        Path server = Files.writeString(dir.resolve("server.py"), """
                import select, socket, time
                l = socket.socket(); l.bind(("0.0.0.0", 8080)); l.listen(1000); l.setblocking(False)
                p = select.poll(); p.register(l, select.POLLIN)
                times = set()
                for i in range(%d):
                    p.poll()
                    c, _ = l.accept()  # one per poll
                    times.add(time.time())
                print("RESULT accepted=%%d distinct_times=%%d spread=%%.9f" %% (i + 1, len(times), max(times) - min(times)))
                """.formatted(clients));
        Path client = Files.writeString(dir.resolve("client.py"), """
                import socket, time
                socks = []
                for i in range(%d):
                    s = socket.socket(); s.setblocking(False)
                    s.connect_ex(("10.0.0.2", 8080)); socks.append(s)
                time.sleep(1)
                """.formatted(clients));
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", PYTHON, 0, server.toString())
                .actor("alice", PYTHON, 0.5, client.toString());
        RunReport r = s.run();

        assertThat(r.success()).as("%s %s", r, Scenario.text(r.actors().get(0).stderr())).isTrue();
        assertThat(Scenario.results(r.actors().get(0)).getFirst())
                .containsEntry("accepted", Integer.toString(clients))
                .containsEntry("distinct_times", "1"); // every handshake ends at the same instant; none waited
    }

    /**
     * python3's http.server on bob serves a random file of {@code size} bytes to a client on
     * alice; asserts the client exited 0 with the same bytes and no diagnostic. The server's
     * arguments come after {@code -m http.server}; the client's use {@code URL} and
     * {@code FILE} for the file's URL and where it must write it.
     */
    private RunReport serveAndFetch(int size, List<String> serverArgs, String client, String... clientArgs)
            throws Exception {
        assumeInstalled(PYTHON);
        assumeInstalled(client);
        Path file = randomFile("payload", size);
        Path got = dir.resolve("got");
        List<String> server = new ArrayList<>(List.of("-m", "http.server", "-d", file.getParent().toString()));
        server.addAll(serverArgs);
        String[] args = java.util.Arrays.stream(clientArgs)
                .map(a -> a.replace("URL", "http://10.0.0.2:8000/payload").replace("FILE", got.toString()))
                .toArray(String[]::new);
        Diagnostics diagnostics = new Diagnostics();
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", PYTHON, 0, 100, server.toArray(String[]::new))
                .actor("alice", client, 1, args);
        RunReport r = s.run(diagnostics);

        assertThat(r.actors().get(1).exitCode()).as("%s\n%s", r, Scenario.text(r.actors().get(1).stderr())).isZero();
        assertThat(diagnostics.messages).isEmpty();
        assertThat(TcpAppsUnderSimulationTest.fileSha(got)).isEqualTo(TcpAppsUnderSimulationTest.fileSha(file));
        assertThat(Scenario.text(r.actors().get(0).stderr())).contains("\"GET /payload HTTP/1.1\" 200");
        return r;
    }

    private static final String URLLIB = "import urllib.request as u; u.urlretrieve('URL', 'FILE')";

    @Test
    void pythonHttpServerServesTenMegabytesToPythonUrllibExactly() throws Exception {
        serveAndFetch(10 << 20, List.of("-b", "0.0.0.0", "8000"), PYTHON, "-c", URLLIB);
    }

    @Test
    void anIpv6HttpServerListensDualStackAndServesAnIpv4Client() throws Exception {
        // -b ::: python binds an AF_INET6 socket to :: with IPV6_V6ONLY off (its dual-stack server)
        RunReport r = serveAndFetch(1 << 20, List.of("-b", "::", "8000"), PYTHON, "-c", URLLIB);
        assertThat(Scenario.text(r.actors().get(0).stdout())).contains("Serving HTTP on :: port 8000");
        // the peer address accept wrote is the client's, IPv4-mapped
        assertThat(Scenario.text(r.actors().get(0).stderr())).contains("::ffff:10.0.0.1 - - ");
    }

    /** By host name: curl resolves "bob" through the platform's /etc/hosts (no DNS packet). */
    @Test
    void curlFetchesTenMegabytesFromPythonHttpServerExactly() throws Exception {
        serveAndFetch(10 << 20, List.of("8000"), CURL, "-sS", "-o", "FILE", "http://bob:8000/payload");
    }

    /**
     * iperf3's receiver rate is what the model gives one bulk flow on the link: after the latency
     * phase (latency factor × latency) bytes move at bandwidth factor × bandwidth, shared with
     * the flow's own cross-traffic weight on the reverse route of the one SHARED link (1 + 0.05),
     * TCP_gamma's bound (gamma / (2 × latency)) being far above. The link is short (10 us) so
     * that iperf3's control messages, which bracket its measurement, weigh under 1 %.
     */
    @Test
    void iperf3CompletesAndReportsTheModelsThroughput() throws Exception {
        assumeInstalled(IPERF3);
        long bytes = 10L << 20;
        Diagnostics diagnostics = new Diagnostics();
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10us")
                .actor("bob", IPERF3, 0, "-s", "-1")
                .actor("alice", IPERF3, 1, "-c", "10.0.0.2", "-n", "10M", "-J");
        RunReport r = s.run(diagnostics);

        assertThat(r.success()).as("%s\n%s", r, Scenario.text(r.actors().get(1).stdout())).isTrue();
        assertThat(diagnostics.messages).isEmpty();
        String json = Scenario.text(r.actors().get(1).stdout());
        assertThat(number(json, "sum_sent", "bytes")).isEqualTo(bytes);
        assertThat(number(json, "sum_sent", "retransmits")).isZero(); // TCP_INFO: no loss in the model
        double received = number(json, "sum_received", "bits_per_second");

        Platform p = s.platform();
        ModelConfig cfg = TcpAppsUnderSimulationTest.config(p);
        double rate = cfg.bandwidthFactor() * 100e6 / (cfg.crossTraffic() ? 1.05 : 1);
        double seconds = cfg.latencyFactor() * 10e-6 + bytes / rate;
        assertThat(TcpAppsUnderSimulationTest.modelTime(p, cfg, bytes)).isCloseTo(seconds, within(1e-9));
        double predicted = bytes * 8 / seconds;
        System.out.printf("iperf3 receiver %.0f bit/s, model %.0f bit/s (%+.2f %%)%n", received, predicted,
                100 * (received - predicted) / predicted);
        assertThat(received).as("iperf3 receiver bits/s vs the model's %s", predicted)
                .isCloseTo(predicted, within(0.05 * predicted));
    }

    /** The number {@code key} of the JSON object {@code section} (iperf3 -J prints it flat enough). */
    private static double number(String json, String section, String key) {
        int at = json.indexOf("\"" + section + "\"");
        assertThat(at).as("section %s in %s", section, json).isNotNegative();
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([0-9.eE+-]+)").matcher(json);
        assertThat(m.find(at)).as("%s.%s", section, key).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
