package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.BIN;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simterpose memtrace} run as a user runs it: a fresh JVM, real programs. */
class MemtraceCommandTest {
    @TempDir
    Path dir;

    private static Process memtrace(String... args) throws IOException {
        List<String> argv = new ArrayList<>(javaMain());
        argv.add("memtrace");
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String tracerPid(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("TracerPid:")) {
                return l.substring(10).strip();
            }
        }
        return "?";
    }

    @Test
    void attachedToAShellItReportsTheProgramTheShellExecsAndItsSummary() throws Exception {
        // The shell waits for DIR/go, which the test creates once memtrace has attached.
        Process target = new ProcessBuilder("sh", "-c", "while [ ! -e \"$1/go\" ]; do sleep 0.05; done; exec \"$0\" \"$1\"",
                BIN.resolve("memory_shape").toString(), dir.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Process tool = memtrace("-p", Long.toString(target.pid()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tracerPid(target.pid()).equals("0")) {
                assertThat(System.nanoTime()).as("never attached").isLessThan(deadline);
                Thread.sleep(20);
            }
            Files.createFile(dir.resolve("go"));
            String err = new String(tool.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(tool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(tool.exitValue()).as(err).isZero();
            assertThat(err).contains("[" + target.pid() + "] execve(\"" + BIN.resolve("memory_shape") + "\") = 0 | new image")
                    .contains("[" + target.pid() + "] mmap(NULL, 67108864, ")
                    .contains("process " + target.pid() + " " + BIN.resolve("memory_shape") + ": exited with 0");
            assertThat(target.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            target.destroyForcibly();
        }
    }

    @Test
    void ctrlCDetachesAnAttachedProcessWhichRunsOnUntraced() throws Exception {
        Process target = new ProcessBuilder(BIN.resolve("sleeper").toString(), "40").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path events = dir.resolve("events");
            Process tool = memtrace("-o", events.toString(), "-p", Long.toString(target.pid()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tracerPid(target.pid()).equals("0")) {
                assertThat(System.nanoTime()).as("never attached").isLessThan(deadline);
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(tool.pid())).start().waitFor();
            assertThat(tool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(tool.exitValue()).isEqualTo(130);
            assertThat(Files.readString(events)).contains("process " + target.pid() + " " + BIN.resolve("sleeper") + ": detached");
            assertThat(target.isAlive()).isTrue();
            assertThat(tracerPid(target.pid())).isEqualTo("0");
            assertThat(target.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(target.exitValue()).isEqualTo(7); // sleeper's normal end
        } finally {
            target.destroyForcibly();
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        CliRun.Result none = CliRun.run("memtrace");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).startsWith("simterpose: memtrace: give a command").doesNotContain("\n");
        CliRun.Result noSuch = CliRun.run("memtrace", "-p", "999999999");
        assertThat(noSuch.exit()).isEqualTo(2);
        assertThat(noSuch.err().strip()).isEqualTo("simterpose: memtrace: -p 999999999: no such process");
        CliRun.Result missing = CliRun.run("memtrace", "--", dir.resolve("no-such-program").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("simterpose: memtrace: ").doesNotContain("\n");
    }
}
