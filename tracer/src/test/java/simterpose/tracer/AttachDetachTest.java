package simterpose.tracer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.events.StopEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import simterpose.tracer.syscall.SyscallTable;

class AttachDetachTest {
    static final int NR_WRITE = SyscallTable.number("write");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void attachedProcessIsTracedThenKeepsRunningAfterDetachAndExitsNormally() throws Exception {
        Path out = tmp.resolve("ticks");
        // The target must not be a child of this JVM: when the tracer shares the real parent's
        // thread group, the kernel lets the parent's wait (ProcessBuilder's reaper) take the
        // ptrace stops. A background subshell is its parent and records its exit code.
        // The pid goes through a file: the launcher exits at once, and the JDK then drains and
        // closes its pipes, so a line the background subshell writes later may never be read
        // (seen once under load: the line read as null).
        Path pidFile = tmp.resolve("target.pid");
        Process launcher = new ProcessBuilder("/bin/sh", "-c",
                "(\"$0\" 12 & echo $! > \"$2.tmp\"; mv \"$2.tmp\" \"$2\"; wait $!; echo exit=$?) > \"$1\" &",
                TestApps.path("sleeper"), out.toString(), pidFile.toString()).start();
        launcher.waitFor(10, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pidFile) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        int targetPid = Integer.parseInt(Files.readString(pidFile).trim());
        List<Integer> writers = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Thread.sleep(150);
            Tracee t = tracer.attach(targetPid, stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_WRITE) {
                    writers.add(e.tid());
                }
                return Resume.CONTINUE;
            });
            Thread.sleep(350);
            t.detach();
            assertThat(t.waitFor(2, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Detached());
        }
        assertThat(writers).isNotEmpty().containsOnly(targetPid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.readString(out).contains("exit=") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(13);
        assertThat(lines.get(11)).isEqualTo("tick 11");
        assertThat(lines.get(12)).isEqualTo("exit=7");
    }

    @Test
    void attachingToAMissingPidIsAClearError() {
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            assertThatThrownBy(() -> tracer.attach(999_999_999, s -> Resume.CONTINUE))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("cannot attach to pid 999999999: no such process");
        }
    }
}
