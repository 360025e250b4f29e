package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/** An owner that polls for the next stop before blocking (TracerOptions.spinNanos) misses no stop and no request. */
class StopPollingTest {
    static final int NR_GETPPID = SyscallTable.number("getppid");
    static final long POLL = 30_000;

    @TempDir
    Path tmp;

    /** Entry stops of getppid while getppid_loop makes {@code calls} of them. */
    private static int getppidEntries(TracerOptions options, int calls, Path out) throws Exception {
        AtomicInteger entries = new AtomicInteger();
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), Integer.toString(calls)).withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_GETPPID) {
                    entries.incrementAndGet();
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(60, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        return entries.get();
    }

    @Test
    void aPollingOwnerSeesEveryStopABlockingOneSees() throws Exception {
        int blocking = getppidEntries(TracerOptions.filter(Set.of(NR_GETPPID)), 20_000, tmp.resolve("a"));
        int polling = getppidEntries(TracerOptions.filter(Set.of(NR_GETPPID)).spinningFor(POLL), 20_000, tmp.resolve("b"));
        assertThat(blocking).isGreaterThanOrEqualTo(20_000);
        assertThat(polling).isEqualTo(blocking);
        assertThat(Files.readString(tmp.resolve("b"))).matches("ppid=\\d+\n");
    }

    @Test
    void aPollingOwnerServesALaunchWhileAnotherTraceeStopsAllTheTime() throws Exception {
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)).spinningFor(POLL))) {
            Tracee busy = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "200000").withStdout(tmp.resolve("busy")),
                    stop -> Resume.CONTINUE);
            long start = System.nanoTime();
            Tracee quick = tracer.launch(LaunchSpec.of("/bin/sh", "-c", "exit 7"), stop -> Resume.CONTINUE);
            assertThat(quick.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(7));
            assertThat(System.nanoTime() - start).as("the launch and the exit, served between the busy one's stops")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            busy.kill();
            busy.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
