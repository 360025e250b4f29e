package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code simterpose trace} against real strace: the same command under the same filter gives,
 * per process, the same sequence of (syscall, ok/errno). Both tools run as separate processes
 * with stdout discarded.
 */
class TraceDifferentialTest {
    static final Path BIN = Path.of("..", "testapps", "target", "bin").toAbsolutePath().normalize();

    /**
     * The only normalisation: a signal may arrive while its target is inside a blocking call or
     * just before it, so whether that call shows as interrupted (ERESTART*, then rt_sigreturn
     * and the call again) depends on timing; it differs between two runs of strace itself.
     * Dropping interrupted calls and rt_sigreturn leaves the same sequence either way.
     * Likewise a thread calls futex only when a lock or a join is contended (pthread_join
     * waits only if the thread has not exited yet), which depends on scheduling.
     */
    static final Predicate<String> TIMING_INDEPENDENT = s -> !s.startsWith("rt_sigreturn ")
            && !s.contains(" ERESTART") && !s.startsWith("restart_syscall ") && !s.startsWith("futex ");

    static Stream<Arguments> commands() {
        String hello = BIN.resolve("hello").toString();
        return Stream.of(
                Arguments.of("all", List.of(BIN.resolve("syscall_mix").toString())),
                Arguments.of("%network", List.of(BIN.resolve("syscall_mix").toString())),
                Arguments.of("%file,%desc", List.of(BIN.resolve("syscall_mix").toString())),
                Arguments.of("all", List.of(BIN.resolve("threads").toString())),
                Arguments.of("all", List.of(BIN.resolve("fork_exec").toString(), hello)),
                Arguments.of("all", List.of(BIN.resolve("hello_static").toString())),
                Arguments.of("all", List.of(BIN.resolve("thread_exec").toString(), hello)),
                Arguments.of("all", List.of(BIN.resolve("signals").toString())),
                Arguments.of("all", List.of("ls", "/")),
                Arguments.of("all", List.of("cat", "/etc/passwd")),
                Arguments.of("all", List.of("sh", "-c", "echo a | cat")),
                Arguments.of("%process,%signal", List.of("sh", "-c", "echo a | cat; ls /nonexistent")),
                Arguments.of("all", List.of("/usr/bin/python3", "-c", "print(1)")),
                Arguments.of("all", List.of("true")),
                Arguments.of("all", List.of("date")),
                Arguments.of("all", List.of("env")));
    }

    @ParameterizedTest(name = "-e trace={0} {1}")
    @MethodSource("commands")
    void sameSyscallsAndErrorsAsStrace(String filter, List<String> command, @TempDir Path dir) throws Exception {
        Path theirs = dir.resolve("strace.txt");
        Path ours = dir.resolve("simterpose.txt");
        List<String> strace = new ArrayList<>(List.of("strace", "-f", "-o", theirs.toString(), "-e", "trace=" + filter));
        strace.addAll(command);
        int straceExit = run(strace);
        List<String> simterpose = new ArrayList<>(javaMain());
        simterpose.addAll(List.of("trace", "-f", "-o", ours.toString(), "-e", "trace=" + filter, "--"));
        simterpose.addAll(command);
        int ourExit = run(simterpose);

        assertThat(ourExit).as("exit status").isEqualTo(straceExit);
        StraceLog expected = StraceLog.read(theirs, TIMING_INDEPENDENT);
        StraceLog actual = StraceLog.read(ours, TIMING_INDEPENDENT);
        assertThat(expected.perProcess()).as("strace saw something").isNotEmpty();
        assertThat(actual.perProcess()).as("processes").containsOnlyKeys(expected.perProcess().keySet());
        expected.perProcess().forEach((proc, calls) ->
                assertThat(actual.perProcess().get(proc)).as("process %s of %s\n%s", proc, command, Files.exists(ours)
                        ? "" : "").containsExactlyElementsOf(calls));
    }

    /** The command line that runs {@link Main} in a fresh JVM with this test's class path. */
    static List<String> javaMain() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    static int run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + argv);
        }
        return p.exitValue();
    }
}
