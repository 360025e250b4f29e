package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.TimeHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's repeatability: real Debian programs run twice with the same seed and no CPU model
 * give the same report (every actor's outcome, simulated start and end, bytes, mediated
 * syscalls) and the same output bytes. What differs by nature is left out: pids, wall time, and
 * the iperf3 lines that name the real machine.
 */
class RepeatableRealProgramsTest {
    @TempDir
    Path dir;

    private static final Path NC = Path.of("/usr/bin/nc");
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Path IPERF3 = Path.of("/usr/bin/iperf3");
    private static final String PYTHON = "/usr/bin/python3";

    /** What must repeat: the report without pids and wall time, and each actor's outputs. */
    private static List<String> digest(RunReport r) {
        List<String> out = new ArrayList<>();
        out.add("makespan " + r.makespan() + " deadlock " + r.deadlock().isPresent() + " mediated " + r.mediatedSyscalls());
        for (RunReport.ActorReport a : r.actors()) {
            out.add(String.join(" ", a.name(), a.host(), a.outcome().name(), Integer.toString(a.exitCode()),
                    Double.toString(a.start()), Double.toString(a.end()), Long.toString(a.bytesSent()),
                    Long.toString(a.bytesReceived()), Long.toString(a.syscallsMediated())));
            out.add(Scenario.text(a.stdout()).lines().filter(RepeatableRealProgramsTest::aboutThisRun)
                    .reduce("", (x, y) -> x + y + "\n"));
            out.add(Scenario.text(a.stderr()));
        }
        return out;
    }

    /** iperf3 -J names the real machine (its uname) and the JSON's own version: not the run's. */
    private static boolean aboutThisRun(String line) {
        return !line.contains("\"system_info\"") && !line.contains("\"version\"");
    }

    private List<String> twice(String name, java.util.function.Function<Path, Scenario> scenario) {
        List<List<String>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path runDir = dir.resolve(name + "-" + i);
            RunReport r = scenario.apply(runDir).run(Scenario.options(dir.resolve(name + "-out")), new RunListener() {});
            assertThat(r.deadlock()).isEmpty();
            runs.add(digest(r));
        }
        assertThat(runs.get(1)).as(name + ": second run").isEqualTo(runs.get(0));
        return runs.get(0);
    }

    private Path payload(int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Path www = Files.createDirectories(dir.resolve("www"));
        return Files.write(www.resolve("payload"), content);
    }

    private static Scenario platform(Path runDir) {
        try {
            Files.createDirectories(runDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Scenario(runDir, "LV08", "100MBps", "10ms");
    }

    @Test
    void netcatTwiceGivesTheSameReportAndBytes() throws Exception {
        assumeThat(NC).isExecutable();
        Path in = payload(2_000_000);
        twice("nc", d -> platform(d)
                .actor("bob", "/bin/sh", 0, "-c", "nc -l 5000 | sha256sum")
                .actor("alice", "/bin/sh", 0.1, "-c", "nc -N bob 5000 &lt; " + in));
    }

    @Test
    void curlFromHttpServerTwiceGivesTheSameReportAndBytes() throws Exception {
        assumeThat(CURL).isExecutable();
        Path file = payload(2_000_000);
        Path server = Files.writeString(dir.resolve("serve_once.py"), """
                import functools, http.server
                handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=%s)
                http.server.HTTPServer(("0.0.0.0", 8000), handler).handle_request()
                """.formatted("'" + file.getParent() + "'"));
        twice("curl", d -> platform(d)
                .actor("bob", PYTHON, 0, server.toString())
                .actor("alice", "/bin/sh", 1, "-c", "curl -sS http://bob:8000/payload | sha256sum"));
    }

    @Test
    void iperf3TwiceGivesTheSameReport() {
        assumeThat(IPERF3).isExecutable();
        List<String> run = twice("iperf3", d -> platform(d)
                .actor("bob", IPERF3.toString(), 0, "-s", "-1")
                .actor("alice", IPERF3.toString(), 1, "-c", "bob", "-n", "2M", "-J"));
        assertThat(String.join("\n", run)).as("iperf3's own CPU report is the accounted CPU time: none")
                .contains("\"host_total\":\t0,");
    }

    /**
     * getrusage and times report the accounted CPU time (none without a CPU model) and the
     * simulated clock: times() and CLOCK_MONOTONIC count from the host's boot,
     * {@link TimeHandlers#BOOT_OFFSET_SECONDS} before date 0.
     */
    @Test
    void aProgramsOwnCpuReportIsTheAccountedCpuTime() throws Exception {
        Path script = Files.writeString(dir.resolve("rusage.py"), """
                import os, resource, time
                for i in range(200000): pass
                u = resource.getrusage(resource.RUSAGE_SELF)
                t = os.times()
                print("RESULT utime=%r stime=%r maxrss_positive=%d user=%r elapsed=%r now=%r" % (u.ru_utime, u.ru_stime,
                      u.ru_maxrss > 0, t.user, t.elapsed, time.monotonic()))
                """);
        Scenario s = platform(dir.resolve("rusage")).actor("alice", PYTHON, 2.5, script.toString());
        RunReport r = s.run();
        var got = Scenario.results(r.actors().getFirst()).getFirst();
        assertThat(got).containsEntry("utime", "0.0").containsEntry("stime", "0.0").containsEntry("user", "0.0")
                .containsEntry("maxrss_positive", "1"); // the rest of the struct is the real kernel's
        double boot = TimeHandlers.BOOT_OFFSET_SECONDS;
        assertThat(Double.parseDouble(got.get("elapsed")) - boot).isEqualTo(2.5); // simulated ticks: started at 2.5 s
        assertThat(Double.parseDouble(got.get("now")) - boot).isEqualTo(2.5);
    }
}
