package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import simterpose.simulator.mediation.run.Runner;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/**
 * Threads that compute without a syscall: each is preempted after a quantum of its CPU time;
 * under MEASURED its CPU time becomes an execution on its host, and a host with N cores runs N
 * such executions at once; under NONE it costs no simulated time.
 */
class PreemptionUnderSimulationTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path MEMCACHED = Path.of("/usr/bin/memcached");
    private static final Path MEMCSLAP = Path.of("/usr/bin/memcslap");
    private static final double MEMCACHED_KILL_TIME = 30;
    /** The hosts' speed, and the local speed the tests give: a CPU second is a simulated second on one core. */
    private static final double SPEED = 1e9;

    @TempDir
    Path dir;

    /** One host of {@code cores} cores at 1 Gf; the actors are given as XML. */
    private RunReport run(int cores, RunOptions.CpuMode cpu, String actors) throws IOException {
        Path file = dir.resolve("platform-" + cores + "-" + cpu + ".xml");
        Files.writeString(file, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n"
                + "    <host id=\"h\" speed=\"1Gf\" core=\"" + cores + "\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n"
                + "  </zone>\n" + actors + "</platform>\n");
        Platform p = PlatformLoader.load(file);
        RunOptions options = new RunOptions(dir.resolve("out-" + cores + "-" + cpu), cpu, SPEED, 1, RunOptions.DEFAULT_EPOCH,
                Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO);
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {});
        Scenario.assertNoneLeft(r);
        return r;
    }

    private static String actor(String program, String... args) {
        StringBuilder sb = new StringBuilder("  <actor host=\"h\" function=\"" + program + "\">");
        for (String a : args) {
            sb.append("<argument value=\"").append(a).append("\"/>");
        }
        return sb.append("</actor>\n").toString();
    }

    /** "key value" lines the program printed on its stdout. */
    private static Map<String, Double> printed(RunReport r) throws IOException {
        RunReport.ActorReport a = r.actors().getFirst();
        assertThat(a.outcome()).as("%s", a).isEqualTo(RunReport.Outcome.EXITED);
        assertThat(a.exitCode()).isZero();
        Map<String, Double> values = new HashMap<>();
        for (String line : Files.readAllLines(a.stdout())) {
            String[] kv = line.split(" ");
            values.put(kv[0], Double.parseDouble(kv[1]));
        }
        return values;
    }

    /**
     * Both threads spin while they wait for the token, and with this little work each is often
     * a newborn running natively beside the running thread: every natively running thread is
     * preempted after a quantum, whichever the scheduler runs.
     */
    @ParameterizedTest
    @EnumSource(RunOptions.CpuMode.class)
    void twoThreadsHandingATokenThroughAnAtomicFlagFinish(RunOptions.CpuMode cpu) throws Exception {
        Map<String, Double> out = printed(run(1, cpu, actor(Scenario.app("token_pass"), "5000000", "10")));
        assertThat(out.get("passes")).isEqualTo(20.0);
    }

    /**
     * Under --cpu-model=none spinning is free and the clock does not move for it (nothing waits
     * for a date here): whatever each thread spun, the program sees no time pass, twice alike.
     */
    @Test
    void underNoCpuModelTheTokenProgramSeesNoTimePassAndRepeatsExactly() throws Exception {
        String actor = actor(Scenario.app("token_pass"), "5000000", "10");
        RunReport first = run(1, RunOptions.CpuMode.NONE, actor);
        Map<String, Double> out = printed(first);
        assertThat(out).containsEntry("compute", 0.0).containsEntry("token", 0.0).containsEntry("passes", 20.0);
        RunReport second = run(1, RunOptions.CpuMode.NONE, actor);
        assertThat(printed(second)).isEqualTo(out);
        assertThat(second.makespan()).isEqualTo(first.makespan()).isZero();
    }

    @Test
    void onOneCoreTheTokenProgramTakesItsCpuTimeAndOnTwoCoresItsComputePhaseTakesHalf() throws Exception {
        String actor = actor(Scenario.app("token_pass"), "40000000", "10");
        RunReport one = run(1, RunOptions.CpuMode.MEASURED, actor);
        Map<String, Double> onOne = printed(one);
        // every CPU nanosecond the threads burnt (spinning included) is a simulated nanosecond on the one core
        assertThat(one.makespan()).isCloseTo(onOne.get("cpu") / 1e9, org.assertj.core.data.Percentage.withPercentage(10));
        // the compute phase: on one core the two threads' compute CPU one after the other, on two
        // cores at once (each thread's own CPU clock at its phase's end; measured, so it varies
        // from run to run with the machine's load, hence compared within each run)
        assertThat(onOne.get("compute")).isCloseTo(onOne.get("compute_cpu0") + onOne.get("compute_cpu1"),
                org.assertj.core.data.Percentage.withPercentage(10));
        Map<String, Double> onTwo = printed(run(2, RunOptions.CpuMode.MEASURED, actor));
        assertThat(onTwo.get("compute")).isCloseTo(Math.max(onTwo.get("compute_cpu0"), onTwo.get("compute_cpu1")),
                org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void fourCpuBoundThreadsTakeFourTwoAndOneTimesTheirCpuShareOnOneTwoAndFourCores() throws Exception {
        String actor = actor(Scenario.app("cpu_threads"), "4", "40000000");
        for (int cores : new int[] {1, 2, 4}) {
            Map<String, Double> out = printed(run(cores, RunOptions.CpuMode.MEASURED, actor));
            // elapsed = the 4 threads' CPU time / cores: on 1, 2 and 4 cores, 4:2:1 of one thread's
            assertThat(out.get("elapsed") * cores / out.get("cpu")).as("%d cores", cores)
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        }
    }

    /**
     * A livelock: a thread spins for ever on a flag nobody sets while main joins it. Under NONE
     * the clock stands still; the run names the spinner (its CPU time, where it was preempted, as
     * file+offset in the program) and ends at --spin-limit as a deadlock, nothing left behind.
     */
    @Test
    void aThreadSpinningForEverAtAStillClockIsNamedAndEndsTheRunAtTheSpinLimit() throws Exception {
        Path file = dir.resolve("spin.xml");
        Files.writeString(file, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n"
                + "    <host id=\"h\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n  </zone>\n"
                + actor(Scenario.app("spin_forever")) + "</platform>\n");
        Platform p = PlatformLoader.load(file);
        RunOptions options = new RunOptions(dir.resolve("out-spin"), RunOptions.CpuMode.NONE, SPEED, 1, RunOptions.DEFAULT_EPOCH,
                Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO).withSpinLimit(Duration.ofSeconds(1));
        List<String> diagnostics = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {
            @Override
            public void diagnostic(String message) {
                diagnostics.add(message);
            }
        });
        double wall = (System.nanoTime() - start) / 1e9;
        Scenario.assertNoneLeft(r);
        // a second of stillness before measuring, a second's window: ends 2-3 s in (loaded machine: more)
        assertThat(wall).isLessThan(30);
        assertThat(r.actors().getFirst().outcome()).isEqualTo(RunReport.Outcome.KILLED_BY_DEADLOCK);
        RunReport.Deadlock d = r.deadlock().orElseThrow();
        RunReport.BlockedActor spinner = d.blocked().getFirst();
        assertThat(spinner.spinning()).as("%s", d).isTrue();
        // the worker, not main (blocked in its join): a higher tid, and where it spins is in the program's own code
        assertThat(spinner.tid()).isGreaterThan(d.blocked().get(1).tid());
        assertThat(d.blocked().get(1).spinning()).isFalse();
        assertThat(spinner.syscall()).containsPattern("\\d+\\.\\d{3} s of CPU time while the clock stood")
                .containsPattern("last preempted at 0x[0-9a-f]+ in " + java.util.regex.Pattern.quote(Scenario.app("spin_forever")) + "\\+0x[0-9a-f]+");
        // addr2line names the function that spins from that file+offset
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("spin_forever\\+(0x[0-9a-f]+)").matcher(spinner.syscall());
        assertThat(at.find()).isTrue();
        Process addr2line = new ProcessBuilder("addr2line", "-f", "-e", Scenario.app("spin_forever"), at.group(1))
                .redirectErrorStream(true).start();
        assertThat(new String(addr2line.getInputStream().readAllBytes())).startsWith("wait_for_the_flag\n");
        assertThat(diagnostics).anySatisfy(m -> assertThat(m).contains("spin_forever[" + spinner.tid() + "] on h spinning in user space")
                .contains("the run ends here (--spin-limit)"));
    }

    /**
     * Under MEASURED the spinner's CPU time moves the clock, so the clock never stands still: the
     * thread is named once it has burnt 1000 quanta of CPU time without a syscall, and its
     * kill_time (simulated, reached by its own CPU time) ends it.
     */
    @Test
    void underMeasuredAThreadThatBurnsAThousandQuantaWithoutASyscallIsNamed() throws Exception {
        Path file = dir.resolve("spin-measured.xml");
        Files.writeString(file, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n"
                + "    <host id=\"h\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n  </zone>\n"
                + "  <actor host=\"h\" function=\"" + Scenario.app("spin_forever") + "\" kill_time=\"2\"/>\n</platform>\n");
        Platform p = PlatformLoader.load(file);
        // the shortest quantum: 1000 quanta are then 0.1 s of CPU time
        RunOptions options = new RunOptions(dir.resolve("out-spin-measured"), RunOptions.CpuMode.MEASURED, SPEED, 1,
                RunOptions.DEFAULT_EPOCH, Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO)
                .withQuantum(Duration.ofNanos(100_000));
        List<String> diagnostics = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {
            @Override
            public void diagnostic(String message) {
                diagnostics.add(message);
            }
        });
        Scenario.assertNoneLeft(r);
        assertThat(r.actors().getFirst().outcome()).isEqualTo(RunReport.Outcome.KILLED_AT_KILL_TIME);
        assertThat(r.deadlock()).isEmpty();
        assertThat(diagnostics).as("%s", diagnostics).anySatisfy(m -> assertThat(m)
                .containsPattern("spin_forever\\[\\d+\\] on h has burnt [0-9.]+ s of CPU time without a syscall, preempted \\d+ times in a row")
                .containsPattern("last preempted at 0x[0-9a-f]+ in " + java.util.regex.Pattern.quote(Scenario.app("spin_forever")) + "\\+0x"));
    }

    @ParameterizedTest
    @EnumSource(RunOptions.CpuMode.class)
    void aPythonThreadBusyWaitingOnAFlagEndsWhenTheSleeperSetsIt(RunOptions.CpuMode cpu) throws Exception {
        assumeThat(PYTHON).isExecutable();
        String script = Path.of(Scenario.app("token_pass")).resolveSibling("busy_wait.py").toString();
        RunReport r = run(1, cpu, actor(PYTHON.toString(), script, "0.5"));
        // the sleep's date, plus at most a quantum and Python's 5 ms GIL switch interval
        // (under none: exactly 0.505, the spinner's quanta cost no simulated time)
        assertThat(printed(r).get("waited")).isBetween(0.5, 0.53);
    }

    /**
     * memcslap's threads wait for each other by spinning (sched_yield, which is not mediated):
     * before preemption watched every running thread, the run froze at its start. memcached is
     * killed at its kill_time; memcslap must have set all its keys and ended well before that.
     */
    @ParameterizedTest
    @EnumSource(RunOptions.CpuMode.class)
    void memcslapSetsItsKeysInAMultiThreadedMemcachedOverOneLink(RunOptions.CpuMode cpu) throws Exception {
        assumeThat(MEMCACHED).isExecutable();
        assumeThat(MEMCSLAP).isExecutable();
        Path file = dir.resolve("memcached-" + cpu + ".xml");
        Files.writeString(file, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n"
                + "    <host id=\"client\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n"
                + "    <host id=\"server\" speed=\"1Gf\" core=\"2\"><prop id=\"ip\" value=\"10.0.0.2\"/></host>\n"
                + "    <link id=\"wire\" bandwidth=\"100MBps\" latency=\"2ms\"/>\n"
                + "    <route src=\"client\" dst=\"server\"><link_ctn id=\"wire\"/></route>\n"
                + "  </zone>\n"
                + "  <actor host=\"server\" function=\"" + MEMCACHED + "\" kill_time=\"" + MEMCACHED_KILL_TIME + "\">"
                + "<argument value=\"-u\"/><argument value=\"root\"/><argument value=\"-p\"/><argument value=\"11211\"/>"
                + "<argument value=\"-U\"/><argument value=\"0\"/><argument value=\"-t\"/><argument value=\"2\"/></actor>\n"
                + "  <actor host=\"client\" function=\"" + MEMCSLAP + "\" start_time=\"0.1\">"
                + "<argument value=\"--servers=10.0.0.2:11211\"/><argument value=\"--concurrency=2\"/>"
                + "<argument value=\"--execute-number=300\"/><argument value=\"--test=set\"/></actor>\n</platform>\n");
        Platform p = PlatformLoader.load(file);
        RunOptions options = new RunOptions(dir.resolve("out-memcached-" + cpu), cpu, SPEED, 1, RunOptions.DEFAULT_EPOCH,
                Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO);
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {});
        Scenario.assertNoneLeft(r);
        if (cpu == RunOptions.CpuMode.NONE) { // and it repeats exactly, spinning included
            RunReport again = Runner.run(p, p.deployment(), options, new RunListener() {});
            Scenario.assertNoneLeft(again);
            assertThat(again.actors()).extracting(a -> List.of(a.end(), a.bytesSent(), a.bytesReceived(), a.syscallsMediated()))
                    .isEqualTo(r.actors().stream().map(a -> List.of(a.end(), a.bytesSent(), a.bytesReceived(), a.syscallsMediated())).toList());
        }
        RunReport.ActorReport slap = r.actors().get(1);
        assertThat(slap.outcome()).as("%s", slap).isEqualTo(RunReport.Outcome.EXITED);
        assertThat(slap.exitCode()).isZero();
        assertThat(Files.readString(slap.stdout())).contains("Time to set             600 keys by    2 threads");
        assertThat(Files.readString(slap.stderr())).isEmpty();
        // 600 round trips one after the other on each of 2 connections: ≈ 15.7 s under the default
        // network model (LV08 multiplies the 2 ms latency by 13.01), far from memcached's end
        assertThat(slap.end()).isLessThan(MEMCACHED_KILL_TIME - 5);
    }

    @ParameterizedTest
    @EnumSource(RunOptions.CpuMode.class)
    void aJavaThreadPoolServesTcpClientsFromAThreadPool(RunOptions.CpuMode cpu) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(Scenario.app("java")).toString();
        Path file = dir.resolve("java-" + cpu + ".xml");
        Files.writeString(file, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n"
                + "    <host id=\"server\" speed=\"1Gf\" core=\"2\"><prop id=\"ip\" value=\"10.0.0.2\"/></host>\n"
                + "    <host id=\"client\" speed=\"1Gf\" core=\"2\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n"
                + "    <link id=\"wire\" bandwidth=\"100MBps\" latency=\"2ms\"/>\n"
                + "    <route src=\"client\" dst=\"server\"><link_ctn id=\"wire\"/></route>\n"
                + "  </zone>\n"
                + "  <actor host=\"server\" function=\"" + java + "\"><argument value=\"-Xshare:auto\"/><argument value=\"-XX:TieredStopAtLevel=1\"/>"
                + "<argument value=\"-cp\"/><argument value=\"" + cp + "\"/><argument value=\"ThreadPoolEcho\"/>"
                + "<argument value=\"server\"/><argument value=\"7000\"/><argument value=\"3\"/></actor>\n"
                + "  <actor host=\"client\" function=\"" + java + "\" start_time=\"5\"><argument value=\"-XX:TieredStopAtLevel=1\"/>"
                + "<argument value=\"-cp\"/><argument value=\"" + cp + "\"/><argument value=\"ThreadPoolEcho\"/>"
                + "<argument value=\"client\"/><argument value=\"10.0.0.2\"/><argument value=\"7000\"/><argument value=\"3\"/>"
                + "<argument value=\"20\"/></actor>\n</platform>\n");
        Platform p = PlatformLoader.load(file);
        RunOptions options = new RunOptions(dir.resolve("out-java-" + cpu), cpu, SPEED, 1, RunOptions.DEFAULT_EPOCH,
                Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO);
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {});
        Scenario.assertNoneLeft(r);
        RunReport.ActorReport server = r.actors().get(0);
        RunReport.ActorReport client = r.actors().get(1);
        assertThat(Files.readString(client.stdout())).as("%s", client).isEqualTo("ok " + (3 * 20 * 19 / 2 + 20 * 1000 + 20 * 2000) + "\n");
        assertThat(Files.readString(server.stdout())).isEqualTo("served 3\n");
    }
}
