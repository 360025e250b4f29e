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
            reports[i] = run(s, notify);
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

    /**
     * Blocked socket calls answered by notification, cut short by SIGUSR1 and SIGCHLD: restarted
     * after SA_RESTART handlers (each counted once), EINTR after others, at the same simulated
     * dates as with ptrace stops.
     */
    @Test
    void notifiedSocketCallsInterruptedBySignalsEndAsWithPtraceStops() throws IOException {
        for (String mode : new String[] {"restart", "interrupt"}) {
            RunReport[] r = new RunReport[2];
            for (int i = 0; i < 2; i++) {
                Scenario s = new Scenario(Files.createDirectories(dir.resolve(mode + i)), "CM02", "100MBps", "10ms")
                        .actor("bob", Scenario.app("restarted_calls"), 0, "server", "8080", mode)
                        .actor("alice", Scenario.app("restarted_calls"), 0, "client", "10.0.0.2", "8080");
                r[i] = run(s, i == 1);
                assertThat(r[i].success()).as("%s %s", mode, r[i]).isTrue();
            }
            for (int a = 0; a < 2; a++) {
                assertThat(Scenario.text(r[1].actors().get(a).stdout())).as(mode).isEqualTo(Scenario.text(r[0].actors().get(a).stdout()));
                assertThat(r[1].actors().get(a).syscallsMediated()).as(mode).isEqualTo(r[0].actors().get(a).syscallsMediated());
            }
            assertThat(r[1].notifiedSyscalls()).isPositive();
        }
    }

    /** Three threads' writes by notification (the kernel runs them: FLAG_CONTINUE), each line whole. */
    @Test
    void threadsOfOneProcessShareItsListener() throws IOException {
        RunReport[] r = new RunReport[2];
        for (int i = 0; i < 2; i++) {
            Scenario s = new Scenario(Files.createDirectories(dir.resolve("threads" + i)), "LV08", "100MBps", "10ms")
                    .actor("alice", Scenario.app("threads"), 0);
            r[i] = run(s, i == 1);
            assertThat(r[i].success()).as("%s", r[i]).isTrue();
        }
        assertThat(Scenario.text(r[1].actors().getFirst().stdout()).lines().sorted().toList())
                .isEqualTo(Scenario.text(r[0].actors().getFirst().stdout()).lines().sorted().toList()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(r[1].notifiedSyscalls()).isGreaterThanOrEqualTo(3);
    }

    /** Runs {@code s} with {@code -Dsimterpose.notify} set to {@code notify} (read at the run's start). */
    private static RunReport run(Scenario s, boolean notify) {
        String before = System.getProperty("simterpose.notify");
        System.setProperty("simterpose.notify", Boolean.toString(notify));
        try {
            return s.run();
        } finally {
            if (before == null) {
                System.clearProperty("simterpose.notify");
            } else {
                System.setProperty("simterpose.notify", before);
            }
        }
    }

    @Test
    void onlyCallsWhoseHandlersNeedNoRegistersAreNotified() {
        int sendto = SyscallTable.number("sendto"), recvfrom = SyscallTable.number("recvfrom");
        for (boolean address : new boolean[] {false, true}) {
            assertThat(MediationTable.notified(address)).contains(SyscallTable.number("clock_gettime"), SyscallTable.number("getrandom"))
                    .doesNotContain(SyscallTable.number("execve"), SyscallTable.number("clone"), SyscallTable.number("exit_group"),
                            SyscallTable.number("rt_sigreturn"), SyscallTable.number("sendfile"), SyscallTable.number("kill"),
                            // their handlers rewrite registers: a wait with a signal mask becomes rt_sigsuspend, a futex wake is re-aimed
                            SyscallTable.number("ppoll"), SyscallTable.number("pselect6"), SyscallTable.number("epoll_pwait"),
                            SyscallTable.number("futex"));
            assertThat(MediationTable.stopped()).containsAll(MediationTable.notified(address));
        }
        assertThat(MediationTable.notified(false)).contains(sendto, recvfrom);
        // address mode rewrites a send's or receive's registers into a native call on the real stream
        assertThat(MediationTable.notified(true)).doesNotContain(sendto, recvfrom);
    }
}
