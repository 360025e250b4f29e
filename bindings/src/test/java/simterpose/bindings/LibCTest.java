package simterpose.bindings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibCTest {
    @Test
    void killOfAnAbsentProcessReportsEsrchCapturedFromTheCallItself() {
        // pid_max is at most 2^22 on Linux, so this pid cannot exist.
        assertThatThrownBy(() -> LibC.kill(1 << 23, 0))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ESRCH);
                    assertThat(e.getMessage()).contains("ESRCH", "No such process");
                });
    }

    @Test
    void ptraceOnAProcessWeDoNotTraceFailsWithEsrch() {
        int self = (int) ProcessHandle.current().pid();
        // PTRACE_GETEVENTMSG = 0x4201 on a non-tracee: the kernel answers ESRCH.
        assertThatThrownBy(() -> LibC.ptrace(0x4201, self, 0, 0))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errnoName()).isEqualTo("ESRCH"));
    }

    @Test
    void errnoNamesMatchTheKernelTable() {
        assertThat(Errno.name(2)).isEqualTo("ENOENT");
        assertThat(Errno.name(111)).isEqualTo("ECONNREFUSED");
        assertThat(Errno.name(133)).isEqualTo("EHWPOISON");
        assertThat(Errno.byName("EINPROGRESS")).isEqualTo(115);
        assertThat(Errno.describe(2)).isEqualTo("No such file or directory");
    }
}
