package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The tracer's side of signalling tracees and of probing their real fds, on real processes:
 * the simulator goes through these and never calls the C library itself.
 */
class TraceeSignalsAndRealFdsTest {
    static final int SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15;
    static final short POLLIN = 0x1, POLLOUT = 0x4, POLLNVAL = 0x20;

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeftStopped() throws InterruptedException {
        Thread.sleep(50);
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void queuedAndThreadSignalsReachATraceeAtItsSignalStops() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(SyscallTable.number("getppid"))))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("sleeper"), "30").withStdout(tmp.resolve("o")), stop -> {
                if (stop.event() instanceof StopEvent.SignalDelivery s) {
                    seen.add("signal " + s.signal());
                    return s.signal() == SIGUSR1 ? Resume.SUPPRESS_SIGNAL : Resume.CONTINUE;
                }
                return Resume.CONTINUE;
            });
            // The launch returns once the launch shell is seized: signal the program, not the shell.
            java.nio.file.Path comm = java.nio.file.Path.of("/proc/" + t.pid() + "/comm");
            for (long end = System.nanoTime() + 10_000_000_000L;
                    !java.nio.file.Files.readString(comm).strip().equals("sleeper") && System.nanoTime() < end; ) {
                Thread.sleep(5);
            }
            assertThat(TraceeSignals.rtSigqueueinfo(t.pid(), Siginfo.timer(SIGUSR1, 7, 42))).isTrue();
            assertThat(TraceeSignals.rtTgsigqueueinfo(t.pid(), t.pid(), Siginfo.timer(SIGUSR1, 8, 43))).isTrue();
            assertThat(TraceeSignals.tgkill(t.pid(), t.pid(), SIGUSR2)).isTrue();
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Killed(SIGUSR2));
            assertThat(seen).contains("signal " + SIGUSR1, "signal " + SIGUSR2);
            assertThat(TraceeSignals.kill(t.pid(), SIGTERM)).as("the tracee is gone").isFalse();
        }
    }

    @Test
    void killSignalsAProcessAndSaysWhenItIsGone() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        int pid = (int) p.pid();
        assertThat(TraceeSignals.kill(pid, SIGTERM)).isTrue();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + SIGTERM);
        assertThat(TraceeSignals.kill(pid, SIGTERM)).isFalse();
        assertThat(TraceeSignals.tgkill(pid, pid, SIGTERM)).isFalse();
    }

    @Test
    void realFdReadinessIsTheProcesssOwnAndAClosedFdIsPollnval() throws Exception {
        // stdin is /dev/null (always readable), stdout a file (always writable), fd 57 not open.
        Process p = new ProcessBuilder("sleep", "30").redirectInput(new File("/dev/null"))
                .redirectOutput(tmp.resolve("out").toFile()).start();
        try (RealFdProbe probe = new RealFdProbe((int) p.pid())) {
            short[] r = probe.revents(new int[] {0, 1, 57}, new short[] {POLLIN, POLLOUT, POLLIN});
            assertThat(r[0] & POLLIN).isEqualTo(POLLIN);
            assertThat(r[1] & POLLOUT).isEqualTo(POLLOUT);
            assertThat(r[2]).isEqualTo(POLLNVAL);
            assertThat(probe.epollReady(0)).as("fd 0 is not an epoll instance: its own readiness").isTrue();
            assertThat(probe.epollEvents(57, 4)).isEmpty();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
