package simterpose.tracer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.events.StopEvent;

import static org.assertj.core.api.Assertions.assertThat;
import simterpose.tracer.syscall.SyscallTable;

/** Threads, forks, execs and signals of real programs are followed with the right tids. */
class FollowTest {
    static final int NR_READ = SyscallTable.number("read"), NR_WRITE = SyscallTable.number("write"), NR_GETPPID = SyscallTable.number("getppid");
    static final int SIGUSR1 = 10, SIGALRM = 14;

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeftStopped() throws InterruptedException {
        Thread.sleep(50);
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void everyThreadsSyscallsAreSeenUnderItsOwnTid() throws Exception {
        Map<Integer, Integer> getppidByTid = new ConcurrentHashMap<>();
        List<Integer> clones = new CopyOnWriteArrayList<>();
        Path out = tmp.resolve("threads");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("threads")).withStdout(out), stop -> {
                switch (stop.event()) {
                    case StopEvent.SyscallEntry e -> getppidByTid.merge(e.tid(), 1, Integer::sum);
                    case StopEvent.NewChild c -> {
                        assertThat(c.kind()).isEqualTo(StopEvent.NewChild.Kind.CLONE);
                        clones.add(c.childTid());
                    }
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        Map<Integer, Integer> expected = new HashMap<>();
        Matcher m = Pattern.compile("tid (\\d+)").matcher(Files.readString(out));
        while (m.find()) {
            expected.put(Integer.parseInt(m.group(1)), 5);
        }
        assertThat(expected).hasSize(3);
        assertThat(getppidByTid).isEqualTo(expected);
        assertThat(clones).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @Test
    void childAndGrandchildAreFollowedThroughForkAndExec() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Map<Integer, Integer> writesByTid = new ConcurrentHashMap<>();
        int[] root = new int[1];
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("fork_exec"), TestApps.path("hello"))
                    .withStdout(tmp.resolve("fe")), stop -> {
                switch (stop.event()) {
                    case StopEvent.NewChild c -> events.add("fork " + c.tid() + "->" + c.childTid() + " " + c.kind());
                    case StopEvent.Exec e -> events.add("exec " + e.tid() + " " + Path.of(e.path()).getFileName());
                    case StopEvent.Exited x -> events.add("exit " + x.tid() + " " + x.status());
                    case StopEvent.SyscallEntry e when e.nr() == NR_WRITE -> writesByTid.merge(e.tid(), 1, Integer::sum);
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            root[0] = t.pid();
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(13));
        }
        assertThat(events.getFirst()).isEqualTo("exec " + root[0] + " fork_exec");
        int child = Integer.parseInt(events.stream().filter(e -> e.startsWith("fork " + root[0] + "->"))
                .findFirst().orElseThrow().replaceAll(".*->(\\d+) .*", "$1"));
        String grandFork = events.stream().filter(e -> e.startsWith("fork " + child + "->")).findFirst().orElseThrow();
        int grandchild = Integer.parseInt(grandFork.replaceAll(".*->(\\d+) .*", "$1"));
        assertThat(grandFork).endsWith("FORK");
        assertThat(events).contains("exec " + grandchild + " hello", "exit " + grandchild + " 0",
                "exit " + child + " 3", "exit " + root[0] + " 13");
        assertThat(writesByTid).containsOnlyKeys(grandchild);
        assertThat(Files.readString(tmp.resolve("fe"))).isEqualTo("hello from a traced program\n");
    }

    @Test
    void signalsAreDeliveredOnceAndTheInterruptedReadRestarts() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Path out = tmp.resolve("sig");
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("signals")).withStdout(out), stop -> {
                switch (stop.event()) {
                    case StopEvent.SignalDelivery s -> seen.add("signal " + s.signal());
                    case StopEvent.SyscallExit x when x.nr() == NR_READ && x.restarting() -> seen.add("read restarting " + x.result());
                    case StopEvent.SyscallExit x when x.nr() == NR_READ && x.result() == 1 -> seen.add("read 1");
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("read=1 usr1=1 alarm=1\n");
        // SIGALRM interrupts read (ERESTARTSYS = 512); SIGUSR1 is raised inside the handler.
        assertThat(seen)
                .containsExactly("read restarting -512", "signal " + SIGALRM, "signal " + SIGUSR1, "read 1");
    }

    @Test
    void suppressedSignalNeverReachesTheProgram() throws Exception {
        Path out = tmp.resolve("sup");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_READ)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("signals")).withStdout(out), stop ->
                    stop.event() instanceof StopEvent.SignalDelivery s && s.signal() == SIGUSR1
                            ? Resume.SUPPRESS_SIGNAL : Resume.CONTINUE);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("read=1 usr1=0 alarm=1\n");
    }

    @Test
    void jobControlStopIsAGroupStopAndSigcontResumesTheProgram() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("sleeper"), "4").withStdout(tmp.resolve("gs")), stop -> {
                switch (stop.event()) {
                    case StopEvent.SignalDelivery s -> seen.add("signal " + s.signal());
                    case StopEvent.GroupStop g -> seen.add("group-stop " + g.signal());
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            Thread.sleep(50);
            simterpose.bindings.LibC.kill(t.pid(), 19); // SIGSTOP
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!seen.contains("group-stop 19") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(500); // stays stopped: 0.4 s of ticks would otherwise have finished
            assertThat(t.exitStatus()).isNotDone();
            simterpose.bindings.LibC.kill(t.pid(), 18); // SIGCONT
            assertThat(t.waitFor(5, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(7));
        }
        assertThat(seen).startsWith("signal 19", "group-stop 19").contains("signal 18");
        assertThat(Files.readAllLines(tmp.resolve("gs"))).hasSize(4);
    }

    @Test
    void execFromANonLeaderThreadIsReportedUnderThePidWithTheFormerTid() throws Exception {
        List<StopEvent.Exec> execs = new CopyOnWriteArrayList<>();
        List<Integer> clones = new CopyOnWriteArrayList<>();
        Map<Integer, Integer> writesByTid = new ConcurrentHashMap<>();
        int pid;
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("thread_exec"), TestApps.path("hello"))
                    .withStdout(tmp.resolve("te")), stop -> {
                switch (stop.event()) {
                    case StopEvent.Exec e -> execs.add(e);
                    case StopEvent.NewChild c -> clones.add(c.childTid());
                    case StopEvent.SyscallEntry e when e.nr() == NR_WRITE -> writesByTid.merge(e.tid(), 1, Integer::sum);
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            pid = t.pid();
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(clones).hasSize(1);
        assertThat(execs).hasSize(2);
        assertThat(execs.get(1).tid()).isEqualTo(pid);
        assertThat(execs.get(1).formerTid()).isEqualTo(clones.getFirst());
        assertThat(Path.of(execs.get(1).path()).getFileName()).hasToString("hello");
        assertThat(writesByTid).containsOnlyKeys(pid);
        assertThat(Files.readString(tmp.resolve("te"))).isEqualTo("hello from a traced program\n");
    }

    @Test
    void launchHonoursCwdEnvAndStdinRedirection() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.txt"), "from stdin\n");
        Path out = tmp.resolve("env-out");
        Path dir = Files.createDirectory(tmp.resolve("work"));
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of("sh", "-c", "pwd; echo \"$GREETING\"; cat")
                    .withEnv(Map.of("GREETING", "hi there", "PATH", "/usr/bin:/bin"))
                    .withCwd(dir).withStdin(in).withStdout(out), stop -> Resume.CONTINUE);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readAllLines(out)).containsExactly(dir.toString(), "hi there", "from stdin");
    }

    @Test
    void vforkChildIsFollowedThroughItsExec() throws Exception {
        // CPython 3.11's subprocess starts children with vfork.
        List<String> events = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of("/usr/bin/python3", "-c",
                    "import subprocess; raise SystemExit(subprocess.run(['" + TestApps.path("hello") + "']).returncode + 5)")
                    .withStdout(tmp.resolve("vf")), stop -> {
                switch (stop.event()) {
                    case StopEvent.NewChild c -> events.add(c.kind() + " " + c.childTid());
                    case StopEvent.Exec e -> events.add("exec " + e.tid() + " " + Path.of(e.path()).getFileName());
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(20, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(5));
        }
        String vfork = events.stream().filter(e -> e.startsWith("VFORK ")).findFirst().orElseThrow();
        assertThat(events).contains("exec " + vfork.substring(6) + " hello");
        assertThat(Files.readString(tmp.resolve("vf"))).isEqualTo("hello from a traced program\n");
    }
}
