package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run --verify} as a user runs it (a fresh JVM in the repository root): every example
 * repeats call for call under {@code --cpu-model=none}, and so do real Debian programs whose pids
 * show in their output (nginx's master and workers, redis-server, netcat peers: the run's PID
 * namespace); a run that reads the real world differs, and the first difference is named; under {@code measured} the CPU-time reads make runs differ
 * unless the second run replays the first one's inputs ({@code --record}).
 */
class RunVerifyTest {
    static final Path ROOT = RunEndToEndTest.ROOT;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /**
     * PATH without a user's shims first: a shim such as pyenv's {@code python3} is a bash script that
     * forks, and a SIGCHLD reaching a process that runs natively at the same time lands at a
     * point that depends on real timing (see the README's {@code --verify} row).
     */
    Result run(String... args) throws Exception {
        return runUnder(List.of(), args);
    }

    /** {@code simterpose run ARGS} started by the command {@code prefix} (e.g. setpriv with its options). */
    Result runUnder(List<String> prefix, String... args) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(javaMain());
        argv.add("run");
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt"), err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            String state = stateOf(p); // what it was doing, for whoever reads the failure
            p.destroyForcibly();
            throw new AssertionError("simterpose run timed out; stdout: " + Files.readString(out) + "\nstderr: "
                    + Files.readString(err) + "\n" + state);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The processes under {@code p} (state, kernel wait channel, command) and its Java threads' stacks. */
    private static String stateOf(Process p) {
        StringBuilder sb = new StringBuilder("processes:\n");
        p.toHandle().descendants().forEach(h -> {
            String proc = "/proc/" + h.pid();
            try {
                String stat = Files.readString(Path.of(proc, "stat"));
                sb.append(h.pid()).append(' ').append(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
                        .append(' ').append(Files.readString(Path.of(proc, "wchan"))).append(' ')
                        .append(h.info().commandLine().orElse("?")).append('\n');
            } catch (java.io.IOException e) {
                // gone meanwhile
            }
        });
        try {
            Process jstack = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow().replaceAll("java$", "jstack"),
                    Long.toString(p.pid())).redirectErrorStream(true).start();
            sb.append(new String(jstack.getInputStream().readAllBytes()));
        } catch (java.io.IOException | RuntimeException e) {
            sb.append("(no jstack: ").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    /** Every deployment of examples/ with its platform (named in its opening comment: "Deployment for X.xml"). */
    static List<String[]> examples() throws Exception {
        List<String[]> pairs = new ArrayList<>();
        Pattern forPlatform = Pattern.compile("Deployment for ([\\w.-]+\\.xml)");
        try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
            for (Path f : files.sorted().toList()) {
                Matcher m = forPlatform.matcher(Files.readString(f));
                if (m.find()) {
                    pairs.add(new String[] {"examples/" + m.group(1), "examples/" + f.getFileName()});
                }
            }
        }
        return pairs;
    }

    @Test
    void everyExampleRepeatsCallForCallWithoutTheCpuModel() throws Exception {
        List<String[]> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (String[] e : examples) {
            Result r = run(e[0], e[1], "--verify", "--cpu-model=none", "-o", dir.resolve("out").toString());
            assertThat(r.exit()).as(e[1] + ": " + r.out() + r.err()).isZero();
            assertThat(r.out()).as(e[1]).containsPattern("verify: identical \\(two runs: [1-9]\\d* stopped syscalls each");
        }
    }

    /**
     * A program that reads the real world natively: the machine's uptime (real time) or a fresh
     * UUID from the kernel's generator (real randomness; /dev/urandom itself is seeded by the run).
     */
    @ParameterizedTest(name = "cat {0}")
    @ValueSource(strings = {"/proc/uptime", "/proc/sys/kernel/random/uuid"})
    void aProgramThatReadsTheRealWorldDiffersAtTheCallThatShowsIt(String file) throws Exception {
        Path platform = Files.writeString(dir.resolve("real-world.xml"), """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full"><host id="alice" speed="1Gf"/></zone>
                  <actor host="alice" function="/bin/cat"><argument value="%s"/></actor>
                </platform>
                """.formatted(file));
        Result r = run(platform.toString(), "--verify", "--cpu-model=none", "-o", dir.resolve("out").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(RunVerification.DIFFER);
        // cat's write of what it read: in the second run, the machine's new uptime or a new UUID
        assertThat(r.out()).containsPattern("verify: runs differ at actor cat \\(#1 of the deployment\\), thread 0, "
                + "syscall #\\d+ of that thread: bytes the call read or wrote .*second run: write\\(1, \"[0-9a-f]+[.-][0-9a-f]+");
        assertThat(r.out()).doesNotContain("--cpu-model=none gives");
    }

    /** The pids real Debian programs print or log, the same in both runs of {@code --verify} (which compares output bytes). */
    private String verifiedIdentical(String deployment, String... outputs) throws Exception {
        Path d = Files.writeString(dir.resolve("deployment.xml"), deployment);
        Path out = dir.resolve("out");
        Result r = run("examples/two-hosts.xml", d.toString(), "--verify", "--cpu-model=none", "-o", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("verify: identical \\(two runs: [1-9]\\d* stopped syscalls each");
        StringBuilder text = new StringBuilder();
        for (String o : outputs) {
            text.append(Files.readString(out.resolve(o)));
        }
        return text.toString();
    }

    /** Test app {@code app} run with ROUNDS rounds of 4 threads (or children) doing 4 stops each, on host client: its stdout. */
    private String testAppVerifiedIdentical(String app, int rounds) throws Exception {
        return verifiedIdentical("""
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="client" function="testapps/target/bin/%s">
                    <argument value="%d"/><argument value="4"/><argument value="4"/>
                  </actor>
                </platform>
                """.formatted(app, rounds), "client-" + app + "-0.stdout");
    }

    /**
     * Threads that end at one simulated date while the main thread joins them (tcp_server's
     * pattern, 60 times over): the joiner, woken natively by the first one's exit, waits for its
     * turn, so it makes the same futex calls in both runs (before, about one --verify in two
     * differed here: see FutexUnderSimulationTest).
     */
    @Test
    void threadsEndingTogetherAreJoinedWithTheSameCallsInBothRuns() throws Exception {
        String text = testAppVerifiedIdentical("join_together", 60);
        assertThat(text).startsWith("joined 60 rounds of 4 threads at ");
    }

    /**
     * Children that end at one simulated date while their parent waits in waitpid (SIGCHLD
     * blocked, so no signal stop holds it): the parent, woken natively by the first one's end,
     * waits for its turn and then finds the others gone too, in both runs (before, it ran beside
     * them and found each alone: see NativeWaitsUnderSimulationTest).
     */
    @Test
    void childrenEndingTogetherAreReapedTogetherInBothRuns() throws Exception {
        String text = testAppVerifiedIdentical("reap_together", 40);
        assertThat(text).isEqualTo("reaped together 160 of 160\n");
    }

    /**
     * Threads that end at one simulated date, each writing a byte into a pipe the main thread
     * reads: the reader, woken natively by the first byte, waits for its turn and then sees
     * every thread done, in both runs (before, it ran beside them: see NativeWaitsUnderSimulationTest).
     */
    @Test
    void aPipeReaderWokenByThreadsEndingTogetherSeesThemAllDoneInBothRuns() throws Exception {
        String text = testAppVerifiedIdentical("pipe_together", 40);
        assertThat(text).isEqualTo("saw every thread done in 40 of 40 rounds\n");
    }

    @Test
    void nginxMasterAndWorkersGetTheSamePidsEveryRun() throws Exception {
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes 2;
                error_log stderr notice;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s;
                  server { listen 8080; location / { return 200 "served by worker $pid\\n"; } }
                }
                """.formatted(dir));
        String text = verifiedIdentical("""
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="/usr/sbin/nginx" kill_time="5">
                    <argument value="-c"/><argument value="%s"/><argument value="-e"/><argument value="stderr"/>
                  </actor>
                  <actor host="client" function="curl" start_time="1">
                    <argument value="-sS"/><argument value="http://server:8080/"/><argument value="http://server:8080/"/>
                  </actor>
                </platform>
                """.formatted(conf), "server-nginx-0.stderr", "client-curl-1.stdout");
        // pid 1 is the run's init: the master is 2, its workers 3 and 4, in fork order
        assertThat(text).contains("[notice] 2#2: start worker process 3", "[notice] 2#2: start worker process 4")
                .containsPattern("served by worker [34]\\n");
    }

    @Test
    void redisServerReportsTheSamePidEveryRun() throws Exception {
        String text = verifiedIdentical("""
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="redis-server" kill_time="5">
                    <argument value="--port"/><argument value="6379"/><argument value="--save"/><argument value=""/>
                    <argument value="--appendonly"/><argument value="no"/><argument value="--protected-mode"/><argument value="no"/>
                  </actor>
                  <actor host="client" function="redis-cli" start_time="1">
                    <argument value="-h"/><argument value="server"/><argument value="INFO"/><argument value="server"/>
                  </actor>
                </platform>
                """, "client-redis-cli-1.stdout");
        assertThat(text).contains("process_id:2\r\n", "tcp_port:6379\r\n");
    }

    @Test
    void netcatPeersGetTheSamePidsEveryRun() throws Exception {
        String text = verifiedIdentical("""
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="/bin/sh">
                    <argument value="-c"/><argument value="echo server pid $$; exec nc -l 5000"/>
                  </actor>
                  <actor host="client" function="/bin/sh" start_time="0.5">
                    <argument value="-c"/><argument value="echo client pid $$ | nc -N server 5000"/>
                  </actor>
                </platform>
                """, "server-sh-0.stdout");
        assertThat(text).isEqualTo("server pid 2\nclient pid 3\n");
    }

    @Test
    void withoutCapSysAdminTheRunSaysItsProgramsSeeThisMachinesPidsAndStillRuns() throws Exception {
        Path d = Files.writeString(dir.resolve("deployment.xml"), """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="/bin/sh"><argument value="-c"/><argument value="echo pid $$"/></actor>
                </platform>
                """);
        Path out = dir.resolve("out");
        Result r = runUnder(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-sys_admin", "--"),
                "examples/two-hosts.xml", d.toString(), "--cpu-model=none", "-o", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err().strip().lines()).as(r.err()).singleElement().asString()
                .contains("cannot give the run its own pids", "CAP_SYS_ADMIN", "the programs see this machine's pids");
        assertThat(Files.readString(out.resolve("server-sh-0.stdout"))).matches("pid \\d+\n").isNotEqualTo("pid 2\n");
    }

    @Test
    void underTheMeasuredCpuModelRunsDifferUnlessTheSecondReplaysTheFirstsInputs() throws Exception {
        String out = dir.resolve("out").toString();
        Result live = run("examples/two-hosts.xml", "examples/client-server.xml", "--verify", "-o", out);
        assertThat(live.exit()).as(live.out() + live.err()).isEqualTo(RunVerification.DIFFER);
        assertThat(live.out()).contains("CPU-time", "--cpu-model=none gives runs that repeat", "--record=DIR");

        Result replayed = run("examples/two-hosts.xml", "examples/client-server.xml", "--verify",
                "--record=" + dir.resolve("inputs"), "-o", out);
        assertThat(replayed.exit()).as(replayed.out() + replayed.err()).isZero();
        assertThat(replayed.out()).contains("verify: identical");
    }
}
