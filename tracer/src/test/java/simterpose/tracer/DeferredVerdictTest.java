package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/** An INLINE handler may answer DEFERRED and give the verdict later from another thread. */
class DeferredVerdictTest {
    static final int NR_GETPPID = SyscallTable.number("getppid");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void aDeferredStopStaysStoppedUntilAnotherThreadResumesItWithItsRegisters() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger deferred = new AtomicInteger();
        Path out = tmp.resolve("out");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "3").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_GETPPID) {
                    int n = deferred.incrementAndGet();
                    stop.emulate(1000 + n);
                    later.schedule(() -> stop.resume(Resume.NO_EXIT_STOP), 20, TimeUnit.MILLISECONDS);
                    return Resume.DEFERRED;
                }
                return Resume.CONTINUE;
            });
            long t0 = System.nanoTime();
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            assertThat(System.nanoTime() - t0).isGreaterThan(3 * 15_000_000L); // each call waited for its verdict
        } finally {
            later.shutdownNow();
        }
        assertThat(deferred.get()).isEqualTo(3);
        assertThat(Files.readString(out)).isEqualTo("ppid=1003\n");
    }

    @Test
    void aVerdictGivenBeforeTheHandlerAnswersDeferredIsAppliedAsItReturns() throws Exception {
        // What the simulator does when the engine reaches the stopped thread's turn within its own
        // stop: the verdict is given on the owner thread, then the handler answers DEFERRED.
        AtomicInteger given = new AtomicInteger();
        Path out = tmp.resolve("out");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "3").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_GETPPID) {
                    stop.emulate(2000 + given.incrementAndGet());
                    stop.resume(Resume.NO_EXIT_STOP);
                    return Resume.DEFERRED;
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(given.get()).isEqualTo(3);
        assertThat(Files.readString(out)).isEqualTo("ppid=2003\n");
    }

    @Test
    void killingATraceeWhoseStopAwaitsAVerdictReportsItsDeathAtOnce() throws Exception {
        // Every traced thread awaits a verdict, so the owner may wait for requests only; but once
        // it has sent SIGKILL, the death must be reaped by waitpid without any verdict coming.
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "1").withStdout(tmp.resolve("o")),
                    stop -> {
                        if (stop.event() instanceof StopEvent.SyscallEntry) {
                            stopped.countDown();
                            return Resume.DEFERRED; // never resumed
                        }
                        return Resume.CONTINUE;
                    });
            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
            t.kill();
            assertThat(t.waitFor(1, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Killed(9));
        }
    }
}
