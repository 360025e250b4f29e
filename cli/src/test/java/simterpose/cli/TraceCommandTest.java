package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.BIN;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simterpose trace} run as a user runs it: a fresh JVM, real programs. */
class TraceCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String stderr) {}

    private static Result trace(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(javaMain());
        argv.add("trace");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out");
        }
        return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void sigkillOfTheTraceCommandMidTraceLeavesNoProcessBehind() throws Exception {
        // The real command in its own JVM, SIGKILLed while its tracee runs: PTRACE_O_EXITKILL
        // must take the tracee down with it, since no Java code runs after SIGKILL.
        Path log = dir.resolve("trace.log");
        List<String> argv = new ArrayList<>(javaMain());
        argv.addAll(List.of("trace", "-o", log.toString(), "-e", "trace=clock_nanosleep", "--",
                BIN.resolve("sleeper").toString(), "6123"));
        Process tool = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // -o output reaches the file within a fraction of a second (periodic flush), as strace's does.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(log) && Files.readString(log).contains("clock_nanosleep("))) {
                assertThat(System.nanoTime()).as("tracee never traced").isLessThan(deadline);
                Thread.sleep(20);
            }
            List<ProcessHandle> tracees = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").equals(BIN.resolve("sleeper") + " 6123")).toList();
            assertThat(tracees).hasSize(1);
            tool.destroyForcibly(); // SIGKILL
            assertThat(tool.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(tool.exitValue()).isEqualTo(137);
            long pid = tracees.getFirst().pid();
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (aliveNotZombie(pid) && System.nanoTime() < gone) {
                Thread.sleep(10);
            }
            assertThat(aliveNotZombie(pid)).as("tracee %d still running 1 s after SIGKILL of the tool", pid).isFalse();
        } finally {
            tool.destroyForcibly();
        }
    }

    /** A zombie still has /proc/PID (its new parent may reap it late): it counts as gone. */
    static boolean aliveNotZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void exitStatusIsTheTracedCommandsAnd128PlusSignalWhenKilled() throws Exception {
        Result forked = trace("-f", "-e", "trace=none", "--", BIN.resolve("fork_exec").toString(),
                BIN.resolve("hello").toString());
        assertThat(forked.exit()).isEqualTo(13);
        assertThat(forked.stderr()).contains("+++ exited with 3 +++", "+++ exited with 13 +++");
        Result killed = trace("-e", "trace=kill", "sh", "-c", "kill -9 $$");
        assertThat(killed.exit()).isEqualTo(137);
        assertThat(killed.stderr()).containsPattern("kill\\(\\d+, SIGKILL\\) += \\?\n\\+\\+\\+ killed by SIGKILL \\+\\+\\+");
    }

    @Test
    void linesOnStderrGetPidPrefixesOnlyWhileSeveralProcessesRun() throws Exception {
        Result r = trace("-f", "-e", "trace=getppid,write,exit", BIN.resolve("threads").toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.stderr().lines().toList();
        // a call cut by another thread's line ends as "<... getppid resumed>) = N", as under strace
        assertThat(lines.stream().filter(l -> l.matches("\\[pid +\\d+\\] (getppid\\(\\)|<\\.\\.\\. getppid resumed>\\)) += \\d+"))).hasSize(15);
        assertThat(lines.stream().filter(l -> l.matches("\\[pid +\\d+\\] exit\\(0\\) += \\?"))).hasSize(3);
        assertThat(lines.getLast()).isEqualTo("+++ exited with 0 +++");
    }

    /**
     * Calls that never block are shown at their exit stops (their entry stop reads nothing): the
     * lines are strace's, addresses and the pids the two tools give differently aside.
     */
    @Test
    void callsShownAtTheirExitStopGiveStracesLines() throws Exception {
        String filter = "trace=getppid,getpid,brk,mmap,munmap,mprotect,clock_gettime";
        Path theirs = dir.resolve("strace.txt");
        String app = BIN.resolve("getppid_loop").toString();
        TraceDifferentialTest.run(List.of("strace", "-o", theirs.toString(), "-e", filter, app, "3", "0", "2"));
        Result r = trace("-e", filter, "--", app, "3", "0", "2");
        assertThat(r.exit()).isZero();
        List<String> ours = normalized(r.stderr());
        assertThat(ours).contains("getppid()                               = PID", "getpid()                                = PID",
                "+++ exited with 0 +++");
        assertThat(ours).anyMatch(l -> l.startsWith("mmap(NULL, ")).anyMatch(l -> l.startsWith("brk(NULL)"));
        assertThat(ours).isEqualTo(normalized(Files.readString(theirs)));
    }

    private static List<String> normalized(String trace) {
        return trace.lines().map(l -> l.replaceAll("0x[0-9a-f]+", "0xADDR").replaceAll("^(getp?pid\\(\\) += )\\d+$", "$1PID"))
                .toList();
    }

    @Test
    void summaryCountsCallsAndErrorsLikeStraceC() throws Exception {
        Path theirs = dir.resolve("strace-c.txt"), ours = dir.resolve("ours-c.txt");
        String mix = BIN.resolve("syscall_mix").toString();
        TraceDifferentialTest.run(List.of("strace", "-c", "-o", theirs.toString(), mix));
        Result r = trace("-c", "-o", ours.toString(), mix);
        assertThat(r.exit()).isZero();
        Map<String, String> expected = countsOf(theirs), actual = countsOf(ours);
        assertThat(expected).containsKeys("openat", "socket", "total");
        assertThat(actual).isEqualTo(expected);
        assertThat(Files.readString(ours)).startsWith("% time     seconds  usecs/call     calls    errors syscall\n");
    }

    /** syscall name → "calls errors" from a -c table. */
    private static Map<String, String> countsOf(Path table) throws IOException {
        Map<String, String> m = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+(\\d+)\\s+(\\d*)\\s+(\\S+)$");
        for (String line : Files.readAllLines(table)) {
            Matcher x = row.matcher(line);
            if (x.matches()) {
                m.put(x.group(3), x.group(1) + " " + (x.group(2).isEmpty() ? "0" : x.group(2)));
            }
        }
        return m;
    }

    @Test
    void attachesToARunningProcessWhichThenExitsNormally() throws Exception {
        // 3 s: the trace command's JVM takes up to 2 s to reach its attach on a loaded machine
        // (0.4-1.9 s measured with six builds sharing 2 CPUs); 1.5 s made the test flaky.
        Process sleeper = new ProcessBuilder(BIN.resolve("sleeper").toString(), "30")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            Result r = trace("-e", "trace=nanosleep,clock_nanosleep,write", "-p", Long.toString(sleeper.pid()));
            assertThat(r.stderr()).containsPattern("(clock_)?nanosleep\\(.*\\) += 0").contains("write(1, \"tick ")
                    .contains("+++ exited with 7 +++");
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(7);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2() throws Exception {
        Result missing = trace("--", "/nonexistent/program");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr().strip()).startsWith("simterpose: trace: ").contains("/nonexistent/program")
                .doesNotContain("\n").doesNotContain("Exception");
        Path notExecutable = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        Result noExec = trace("--", notExecutable.toString());
        assertThat(noExec.exit()).isEqualTo(2);
        assertThat(noExec.stderr().strip()).contains("script.sh").doesNotContain("\n");
        Path noInterpreterLine = Files.writeString(dir.resolve("plain.sh"), "echo hi\n");
        Files.setPosixFilePermissions(noInterpreterLine, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Result enoexec = trace("--", noInterpreterLine.toString());
        assertThat(enoexec.exit()).isEqualTo(2);
        assertThat(enoexec.stderr().strip()).isEqualTo("simterpose: trace: cannot run '" + noInterpreterLine + "': " + noInterpreterLine
                + " is neither an ELF program nor a script starting with #! (execve fails with ENOEXEC)");
        Result badExpr = trace("-e", "trace=open,bogus", "true");
        assertThat(badExpr.exit()).isEqualTo(2);
        assertThat(badExpr.stderr().strip()).isEqualTo("simterpose: -e trace=open,bogus: invalid system call 'bogus'");
        Result badPid = trace("-p", "999999999");
        assertThat(badPid.exit()).isEqualTo(2);
        assertThat(badPid.stderr().strip()).isEqualTo("simterpose: trace: -p 999999999: no such process");
        Result nothing = trace();
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.stderr().strip()).startsWith("simterpose: trace: give a command");
    }
}
