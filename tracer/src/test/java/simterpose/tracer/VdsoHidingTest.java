package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/**
 * Hiding the vDSO (AT_SYSINFO_EHDR → AT_IGNORE at exec) turns libc's clock reads into real
 * syscalls that the seccomp filter stops; without it they never stop.
 */
class VdsoHidingTest {
    static final int NR_CLOCK_GETTIME = SyscallTable.number("clock_gettime");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    static int clockStops(TracerOptions options, Path out, String... argv) throws Exception {
        AtomicInteger stops = new AtomicInteger();
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(argv).withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_CLOCK_GETTIME) {
                    stops.incrementAndGet();
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        return stops.get();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"getppid_loop, 2", "clock_static, 2"})
    void clockReadsStopOnlyWhenTheVdsoIsHidden(String app, int reads) throws Exception {
        String[] argv = app.equals("getppid_loop") ? new String[] {TestApps.path(app), "0", "2"}
                : new String[] {TestApps.path(app)};
        TracerOptions filter = TracerOptions.filter(Set.of(NR_CLOCK_GETTIME));
        Path out = tmp.resolve("out");
        assertThat(clockStops(filter, out, argv)).isZero();
        assertThat(clockStops(filter.withVdsoHidden(), out, argv)).isEqualTo(reads);
        assertThat(Files.readString(out)).isNotEmpty(); // the program still ran to its end
    }
}
