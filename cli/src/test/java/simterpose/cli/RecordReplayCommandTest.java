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

/** {@code simterpose record} and {@code replay} as a user runs them: a fresh JVM, real programs. */
class RecordReplayCommandTest {
    @TempDir
    Path tmp;

    record Result(int exit, String stdout, String stderr) {}

    private Result simterpose(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(javaMain());
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void replayReemitsTheRecordedOutputAndExitStatusAndStopsWithStatus3AtADivergence() throws Exception {
        Path dir = tmp.resolve("rec");
        Result recorded = simterpose("record", "-o", dir.toString(), "--", BIN.resolve("clock_static").toString());
        assertThat(recorded.exit()).isZero();
        assertThat(recorded.stdout()).startsWith("realtime=");
        assertThat(recorded.stderr()).contains("simterpose record: ", " syscalls");
        assertThat(dir.resolve("recording.sim")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("summary.txt"))).contains("format version 1", "clock_static", "sha256 ");

        Result replayed = simterpose("replay", dir.toString());
        assertThat(replayed.exit()).isZero();
        assertThat(replayed.stdout()).isEqualTo(recorded.stdout());

        Path echo = tmp.resolve("echo");
        Result echoed = simterpose("record", "-o", echo.toString(), "--", "/bin/echo", "hello");
        assertThat(echoed.exit()).isZero();
        Result diverged = simterpose("replay", echo.toString(), "--", "/bin/echo", "hellp");
        assertThat(diverged.exit()).isEqualTo(3);
        assertThat(diverged.stderr()).contains("replay diverged in thread", "recorded: write(1,", "actual:   write(1,");
    }

    @Test
    void replayGdbLeavesTheProcessStoppedAndUntracedAtTheChosenSyscall() throws Exception {
        Path dir = tmp.resolve("rec");
        assertThat(simterpose("record", "-o", dir.toString(), "--", BIN.resolve("clock_static").toString()).exit()).isZero();
        List<String> argv = new ArrayList<>(javaMain());
        argv.addAll(List.of("replay", "--gdb=3", dir.toString()));
        Path err = tmp.resolve("gdb.err");
        Process replay = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        int pid = -1;
        try {
            java.util.regex.Pattern message = java.util.regex.Pattern.compile("gdb -p (\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pid < 0) {
                assertThat(System.nanoTime()).as("no hand-over message").isLessThan(deadline);
                java.util.regex.Matcher m = message.matcher(Files.readString(err));
                if (m.find()) {
                    pid = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(Files.readString(err)).contains("before its syscall #3");
            String status = Files.readString(Path.of("/proc", Integer.toString(pid), "status"));
            assertThat(status).contains("State:\tT (stopped)").contains("TracerPid:\t0");
            assertThat(replay.isAlive()).as("replay stays its parent while it lives").isTrue();
        } finally {
            if (pid > 0) {
                new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
            }
            assertThat(replay.waitFor(30, TimeUnit.SECONDS)).as("replay ends with the process").isTrue();
        }
        assertThat(replay.exitValue()).isZero();
    }

    @Test
    void badInputIsOneLineAndStatus2() throws Exception {
        Path dir = tmp.resolve("rec");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("something"), "x");
        Result notEmpty = simterpose("record", "-o", dir.toString(), "--", "/bin/true");
        assertThat(notEmpty.exit()).isEqualTo(2);
        assertThat(notEmpty.stderr()).contains("not empty", "-f");

        Files.writeString(dir.resolve("recording.sim"), "not a recording");
        Result bad = simterpose("replay", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.stderr().strip()).isEqualTo("simterpose: replay: " + dir.resolve("recording.sim")
                + ": not a simterpose recording (bad magic)");
    }
}
