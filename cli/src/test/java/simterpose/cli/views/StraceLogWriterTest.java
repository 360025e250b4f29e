package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** strace's -ttt -T layout at simulated dates, with -f's unfinished/resumed pairs between threads. */
class StraceLogWriterTest {
    private static final long EPOCH = 946_684_800_000_000_000L;  // 2000-01-01T00:00:00Z
    private static final long MS = 1_000_000L;

    @Test
    void aCallIsOneLineWithItsStartDateAndItsDuration() {
        StringWriter out = new StringWriter();
        StraceLogWriter log = new StraceLogWriter(out, 100, EPOCH);
        log.enter(100, 1 * MS + 999, "accept4", "accept4(3, ");
        log.exit(100, 301 * MS + 1999, "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4", "NULL, NULL, SOCK_CLOEXEC) = 4");
        log.event(100, 400 * MS, "+++ exited with 0 +++");
        log.flush();
        assertThat(out.toString()).isEqualTo("""
                946684800.001000 accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4 <0.300001>
                946684800.400000 +++ exited with 0 +++
                """);
    }

    @Test
    void anotherThreadsLineSplitsAnOpenCallIntoUnfinishedAndResumed() {
        StringWriter out = new StringWriter();
        StraceLogWriter log = new StraceLogWriter(out, 100, EPOCH);
        log.enter(100, 0, "poll", "poll([{fd=3, events=POLLIN}], 1, -1 ");
        log.enter(101, 1 * MS, "write", "write(1, \"x\", 1 ");
        log.exit(101, 1 * MS, "write(1, \"x\", 1) = 1", ") = 1");
        log.exit(100, 200 * MS, "poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}])",
                ") = 1 ([{fd=3, revents=POLLIN}])");
        log.enter(101, 250 * MS, "read", "read(0,  ");
        log.flush();
        assertThat(out.toString()).isEqualTo("""
                946684800.000000 poll([{fd=3, events=POLLIN}], 1, -1 <unfinished ...>
                [pid 101] 946684800.001000 write(1, "x", 1) = 1 <0.000000>
                946684800.200000 <... poll resumed>) = 1 ([{fd=3, revents=POLLIN}]) <0.200000>
                [pid 101] 946684800.250000 read(0,  <unfinished ...>
                """);
    }
}
