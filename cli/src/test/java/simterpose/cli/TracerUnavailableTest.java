package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the tool itself runs under a tracer (strace -f here), its children are that tracer's and
 * ours cannot start: one line naming the likely cause, exit 2, and the tracer's doorbell child
 * (a {@code sleep}) ended, not left behind.
 */
class TracerUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void underStraceTheToolSaysItCannotTraceInOneLineAndLeavesNoChild() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace (bin/install-deps installs it)");
        for (List<String> command : List.of(List.of("trace", "--", "true"),
                List.of("run", "-o", dir.resolve("out").toString(), RunEndToEndTest.ROOT.resolve("examples/two-hosts.xml").toString(),
                        RunEndToEndTest.ROOT.resolve("examples/client-server.xml").toString()))) {
            Path straceLog = dir.resolve("strace.log");
            List<String> argv = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-e", "trace=kill,exit_group", "-o", straceLog.toString()));
            argv.addAll(TraceDifferentialTest.javaMain());
            argv.addAll(command);
            Process p = new ProcessBuilder(argv).directory(RunEndToEndTest.ROOT.toFile())
                    .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("err.txt"));
            assertThat(p.exitValue()).as(err).isEqualTo(2);
            assertThat(err.lines().toList()).as(err).singleElement().asString()
                    .startsWith("simterpose: cannot trace programs: ptrace(PTRACE_SEIZE) fails with EPERM (is simterpose itself run under strace");
            // The doorbell was spawned, then killed (strace saw the SIGKILL), and its exit reaped.
            String log = Files.readString(straceLog);
            java.util.regex.Matcher killed = java.util.regex.Pattern.compile("kill\\((\\d+), SIGKILL\\)").matcher(log);
            assertThat(killed.find()).as(log).isTrue();
            long doorbell = Long.parseLong(killed.group(1));
            // (strace pads the pid column to 5: a 4-digit pid is followed by two spaces)
            assertThat(log).containsPattern(doorbell + " +\\+\\+\\+ killed by SIGKILL \\+\\+\\+");
            assertThat(ProcessHandle.of(doorbell).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }
}
