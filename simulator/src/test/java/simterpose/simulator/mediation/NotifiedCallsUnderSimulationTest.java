package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.simulator.mediation.handlers.MediationTable;
import simterpose.simulator.mediation.handlers.TimeHandlers;
import simterpose.tracer.syscall.SyscallTable;

/**
 * {@code -Dsimterpose.notify=true}: the rows MediationTable marks notified (clock reads,
 * getrandom) are answered by seccomp user notification, without a ptrace stop, and a run gives
 * the same outputs and simulated times as with ptrace stops.
 */
class NotifiedCallsUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    void clockReadsAnsweredByNotificationShowTheSameSimulatedClockAsPtraceStops() throws IOException {
        RunReport[] reports = new RunReport[2];
        String[] clocks = new String[2];
        for (int i = 0; i < 2; i++) {
            boolean notify = i == 1;
            Path d = Files.createDirectory(dir.resolve("run" + i));
            Scenario s = new Scenario(d, "LV08", "100MBps", "10ms")
                    .actor("bob", Scenario.app("clock_static"), 2.25)
                    .actor("alice", Scenario.app("getppid_loop"), 0, "1", "3000")
                    .actor("alice", Scenario.app("randomness"), 0.5);
            String before = System.getProperty("simterpose.notify");
            System.setProperty("simterpose.notify", Boolean.toString(notify));
            try {
                reports[i] = s.run();
            } finally {
                if (before == null) {
                    System.clearProperty("simterpose.notify");
                } else {
                    System.setProperty("simterpose.notify", before);
                }
            }
            assertThat(reports[i].success()).as("%s", reports[i]).isTrue();
            clocks[i] = Scenario.text(reports[i].actors().getFirst().stdout());
        }
        long monotonic = TimeHandlers.BOOT_OFFSET_NANOS + 2_250_000_000L;
        assertThat(clocks[1]).isEqualTo("realtime=946684802.250000000 monotonic=%d.%09d\n"
                .formatted(monotonic / 1_000_000_000L, monotonic % 1_000_000_000L));
        assertThat(clocks[1]).isEqualTo(clocks[0]);
        assertThat(Scenario.text(reports[1].actors().get(2).stdout())).isEqualTo(Scenario.text(reports[0].actors().get(2).stdout()));
        assertThat(reports[1].makespan()).isEqualTo(reports[0].makespan());
        assertThat(reports[1].mediatedSyscalls()).isEqualTo(reports[0].mediatedSyscalls());
        assertThat(reports[0].notifiedSyscalls()).isZero();
        assertThat(reports[1].notifiedSyscalls()).isGreaterThanOrEqualTo(3000 + 2);
    }

    @Test
    void onlyCallsWhoseHandlersNeedNoRegistersAreNotified() {
        int sendto = SyscallTable.number("sendto"), recvfrom = SyscallTable.number("recvfrom");
        for (boolean address : new boolean[] {false, true}) {
            assertThat(MediationTable.notified(address)).contains(SyscallTable.number("clock_gettime"), SyscallTable.number("getrandom"))
                    .doesNotContain(SyscallTable.number("execve"), SyscallTable.number("clone"), SyscallTable.number("exit_group"),
                            SyscallTable.number("rt_sigreturn"), SyscallTable.number("sendfile"), SyscallTable.number("kill"));
            assertThat(MediationTable.stopped()).containsAll(MediationTable.notified(address));
        }
        assertThat(MediationTable.notified(false)).contains(sendto, recvfrom);
        // address mode rewrites a send's or receive's registers into a native call on the real stream
        assertThat(MediationTable.notified(true)).doesNotContain(sendto, recvfrom);
    }
}
