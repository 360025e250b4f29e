package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.TimeHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Platform;

/**
 * A Go program under the simulation: {@code testapps/go/tcp_transfer.go}, built here with the
 * Go toolchain (Debian's golang-go, installed by bin/install-deps) as a static, cgo-free binary,
 * the way Go programs usually ship. Such a program has no libc: raw syscalls, the runtime's
 * netpoller (epoll, non-blocking sockets, a connect that says EINPROGRESS, accept4), futexes
 * between its threads, a sysmon thread sleeping in nanosleep, and time.Now through the vDSO,
 * which simterpose hides, so the runtime falls back to the clock_gettime syscall.
 *
 * <p>Actors start at date 0, as deployments usually do: Go's runtime.main throws "nanotime
 * returning zero" when its first CLOCK_MONOTONIC read is 0, and the simulated monotonic clock
 * reads the hosts' uptime at date 0 ({@link TimeHandlers#BOOT_OFFSET_SECONDS}) plus the date, as
 * Linux's counts from boot ({@link #aGoProgramDeployedAtDateZeroRunsOnTheHostsUptime}). Every
 * run here ends because its programs end: a Go program left waiting
 * (a server no client reaches) is never a deadlock, as its runtime's timed waits keep the
 * simulated clock moving (measured: 4.6e6 simulated s in 19 s of wall time), so it needs a
 * kill_time.
 */
class GoProgramsUnderSimulationTest {
    @TempDir
    Path dir;

    @TempDir
    static Path build;

    private static String program;

    private static final long BYTES = 10_000_000;
    private static final int CHUNK = 65_536;

    /** Builds the Go program offline into a temporary directory (its build cache too): the standard library needs no network. */
    @BeforeAll
    static void buildTheGoProgram() throws Exception {
        Path source = Path.of("..", "testapps", "go", "tcp_transfer.go").toAbsolutePath().normalize();
        assertThat(source).as("the Go test program").isRegularFile();
        String go = goTool();
        Path out = build.resolve("tcp_transfer");
        ProcessBuilder pb = new ProcessBuilder(go, "build", "-trimpath", "-o", out.toString(), source.toString())
                .directory(build.toFile()).redirectErrorStream(true).redirectOutput(build.resolve("build.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("CGO_ENABLED", "0"); // pure Go: static, no libc, as the runtime's own syscalls are what this tests
        env.put("GOCACHE", build.resolve("cache").toString());
        env.put("GOPATH", build.resolve("gopath").toString());
        env.put("GO111MODULE", "off"); // one file, standard library only: no go.mod, no module download
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("go build within 300 s").isTrue();
        assertThat(p.exitValue()).as("go build:\n%s", Files.readString(build.resolve("build.log"))).isZero();
        program = out.toString();
    }

    /** The go command: on PATH, or where Debian's golang-go puts it; fails (no skip) when missing. */
    private static String goTool() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "go"));
            }
        }
        candidates.add(Path.of("/usr/bin/go"));
        candidates.add(Path.of("/usr/lib/go/bin/go"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new AssertionError(
                        "the go command is missing: run bin/install-deps (it installs Debian's golang-go)"));
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    /** Seconds a lone flow of {@code bytes} from {@code src} to {@code dst} takes in the model. */
    private static double flowTime(Platform p, String src, String dst, long bytes) {
        Simulation sim = new Simulation(p, TcpAppsUnderSimulationTest.config(p));
        Transfer t = sim.startTransfer(p.host(src).orElseThrow(), p.host(dst).orElseThrow(), bytes);
        sim.run();
        return t.finishTime();
    }

    private Scenario transfer(Path d, String model) {
        return new Scenario(d, model, "100MBps", "10ms")
                .actor("bob", program, 0, "server", "8080", Long.toString(BYTES))
                .actor("alice", program, 0, "client", "10.0.0.2", "8080", Long.toString(BYTES), Integer.toString(CHUNK));
    }

    /** The program's own checks hold on the real kernel (loopback): so a failure under the simulation is the simulation's. */
    @Test
    void theGoProgramTransfersExactlyNatively() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path serverOut = dir.resolve("native-server.txt"), clientOut = dir.resolve("native-client.txt");
        Process server = new ProcessBuilder(program, "server", Integer.toString(port), Long.toString(BYTES))
                .redirectOutput(serverOut.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process client = null;
        try {
            for (int tries = 0; ; tries++) { // the server may not listen yet: the client then fails to dial; try again
                client = new ProcessBuilder(program, "client", "127.0.0.1", Integer.toString(port), Long.toString(BYTES),
                        Integer.toString(CHUNK)).redirectOutput(clientOut.toFile()).redirectErrorStream(true).start();
                assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
                if (client.exitValue() == 0 || tries == 50) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(client.exitValue()).as(Scenario.text(clientOut)).isZero();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
            if (client != null) {
                client.destroyForcibly();
            }
        }
        assertThat(Scenario.results(serverOut).getFirst()).containsEntry("bytes", Long.toString(BYTES))
                .containsEntry("bad", "0").containsEntry("extra", "0");
        assertThat(Scenario.results(clientOut).getFirst()).containsEntry("good", Long.toString(BYTES));
        assertThat(d(Scenario.results(serverOut).getFirst(), "mono")).as("Linux's monotonic clock counts from boot")
                .isPositive();
    }

    /**
     * 10 MB in 64 KiB writes over one 100 MB/s, 10 ms link: every byte arrives right, and the
     * times the two programs read on time.Now are the model's. The connect takes a round trip
     * (2 latencies) and the accept one more; from the client's connect to the server's last byte
     * is one lone flow of 10 MB alice→bob ({@link TcpAppsUnderSimulationTest#modelTime}, the C
     * apps' reference); the 8-byte reply then takes one lone flow bob→alice. Tolerance: 1e-3
     * relative, as for the C apps (the programs print nanoseconds; the flows and handshakes are
     * exact, the rest is the rounding of the simulated clock to nanoseconds).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CM02", "LV08"})
    void aGoTransferArrivesExactAndTakesTheModelsTime(String model) {
        Scenario s = transfer(dir, model);
        RunReport r = s.run();
        RunReport.ActorReport serverActor = r.actors().get(0), clientActor = r.actors().get(1);
        assertThat(r.success()).as("%s\nserver: %s\nclient: %s", r, Scenario.text(serverActor.stderr()),
                Scenario.text(clientActor.stderr())).isTrue();
        assertThat(serverActor.exitCode()).isZero();
        assertThat(clientActor.exitCode()).isZero();
        Map<String, String> server = Scenario.results(serverActor).getFirst();
        Map<String, String> client = Scenario.results(clientActor).getFirst();
        assertThat(server).containsEntry("bytes", Long.toString(BYTES)).containsEntry("bad", "0").containsEntry("extra", "0");
        assertThat(client).containsEntry("bytes", Long.toString(BYTES)).containsEntry("good", Long.toString(BYTES))
                .containsEntry("writes", Long.toString((BYTES + CHUNK - 1) / CHUNK));
        assertThat(clientActor.bytesSent()).isEqualTo(BYTES);
        assertThat(serverActor.bytesReceived()).isEqualTo(BYTES);
        assertThat(serverActor.bytesSent()).isEqualTo(8);
        assertThat(clientActor.bytesReceived()).isEqualTo(8);

        double epoch = RunOptions.DEFAULT_EPOCH;
        assertThat(d(client, "start") - epoch).isCloseTo(0, within(1e-9));
        assertThat(d(client, "connected") - d(client, "start")).as("connect: a round trip").isCloseTo(0.020, within(1e-6));
        assertThat(d(server, "accepted") - d(client, "start")).as("accept: three latencies").isCloseTo(0.030, within(1e-6));

        Platform p = s.platform();
        ModelConfig cfg = TcpAppsUnderSimulationTest.config(p);
        double there = TcpAppsUnderSimulationTest.modelTime(p, cfg, BYTES);
        double back = flowTime(p, "bob", "alice", 8);
        double measured = d(server, "last") - d(client, "connected");
        double replied = d(client, "replied") - d(server, "last");
        assertThat(Math.abs(measured - there) / there).as("last byte - connected %s vs model %s", measured, there)
                .isLessThan(1e-3);
        assertThat(Math.abs(replied - back) / back).as("reply %s vs model %s", replied, back).isLessThan(1e-3);
        System.out.printf("go transfer %d B %s: last-connected %.9f s, model %.9f s; reply %.9f s, model %.9f s;"
                        + " wall %s, %d mediated%n", BYTES, model, measured, there, replied, back, r.wall(),
                r.mediatedSyscalls());
    }

    /**
     * With CPU model none, two runs give the same bytes out and the same simulated dates and
     * counts in the report. Not compared: the number of syscalls mediated, which varies from run
     * to run (e.g. 1425 vs 1531 for the server): while one traced thread runs, the others of a Go
     * process go on in user space until their next stop, and the runtime's Ms hand work to each
     * other with atomics (spinning Ms, work stealing, netpoll ownership, a futex sleep without a
     * timeout, which runs natively), so how many times an idle M polls epoll or sleeps on a futex
     * before the goroutine it waits for is ready depends on real-time interleaving. Each of those
     * extra calls takes no simulated time with CPU model none, so no date a program reads moves.
     */
    @Test
    void withCpuModelNoneTwoRunsGiveIdenticalOutputsAndDates() throws IOException {
        String[] outputs = new String[2];
        String[] reports = new String[2];
        for (int run = 0; run < 2; run++) {
            RunReport r = transfer(Files.createDirectory(dir.resolve("run" + run)), "LV08").run();
            assertThat(r.success()).as("%s", r).isTrue();
            StringBuilder out = new StringBuilder();
            StringBuilder rep = new StringBuilder().append(r.makespan());
            for (RunReport.ActorReport a : r.actors()) {
                out.append(Scenario.text(a.stdout())).append(Scenario.text(a.stderr()));
                rep.append(List.of(a.name(), a.host(), a.outcome(), a.exitCode(), a.start(), a.end(), a.bytesSent(),
                        a.bytesReceived()));
            }
            outputs[run] = out.toString();
            reports[run] = rep.toString();
        }
        assertThat(outputs[0]).contains("RESULT bytes=" + BYTES);
        assertThat(outputs[1]).isEqualTo(outputs[0]);
        assertThat(reports[1]).isEqualTo(reports[0]);
    }

    /**
     * Deployed at date 0 (the default start time), a Go program runs: its first CLOCK_MONOTONIC
     * read, which Go's runtime.main requires nonzero (runtime/proc.go: "nanotime returning zero"),
     * gives the hosts' uptime at date 0, {@link TimeHandlers#BOOT_OFFSET_NANOS}, exactly (CPU
     * model none: nothing moves the clock before it), on the server and the client alike; their
     * wall clocks read the epoch; and the handshake takes the model's three latencies from there.
     */
    @Test
    void aGoProgramDeployedAtDateZeroRunsOnTheHostsUptime() {
        RunReport r = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", program, 0, "server", "8080", "1")
                .actor("alice", program, 0, "client", "10.0.0.2", "8080", "1", "1").run();
        assertThat(r.success()).as("%s\nserver: %s\nclient: %s", r, Scenario.text(r.actors().get(0).stderr()),
                Scenario.text(r.actors().get(1).stderr())).isTrue();
        Map<String, String> server = Scenario.results(r.actors().get(0)).getFirst();
        Map<String, String> client = Scenario.results(r.actors().get(1)).getFirst();
        long boot = TimeHandlers.BOOT_OFFSET_NANOS;
        String atBoot = "%d.%09d".formatted(boot / 1_000_000_000L, boot % 1_000_000_000L);
        assertThat(server).containsEntry("mono", atBoot).containsEntry("bytes", "1").containsEntry("bad", "0");
        assertThat(client).containsEntry("mono", atBoot).containsEntry("good", "1");
        double epoch = RunOptions.DEFAULT_EPOCH;
        assertThat(d(server, "listening") - epoch).isCloseTo(0, within(1e-9));
        assertThat(d(client, "start") - epoch).isCloseTo(0, within(1e-9));
        assertThat(d(server, "accepted") - epoch).as("accept: three latencies").isCloseTo(0.030, within(1e-6));
    }
}
