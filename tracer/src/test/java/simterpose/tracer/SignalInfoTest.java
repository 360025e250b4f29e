package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a siginfo is printed, as strace 6.1 prints it. */
class SignalInfoTest {

    @Test
    void aChildsCpuTimeIsItsTicksWithTheSecondsInACommentWhenThereAreSome() {
        SignalInfo exited = new SignalInfo(17, 0, 1, 42, 0, 0, 0, 1, 0, 0, 0, 0);
        assertThat(exited.straceText()).isEqualTo(
                "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=0, si_utime=0, si_stime=1 /* 0.01 s */}");
        assertThat(SignalInfo.clockTicks(0)).isEqualTo("0");
        assertThat(SignalInfo.clockTicks(150)).isEqualTo("150 /* 1.50 s */");
        assertThat(SignalInfo.clockTicks(12345)).isEqualTo("12345 /* 123.45 s */");
    }
}
