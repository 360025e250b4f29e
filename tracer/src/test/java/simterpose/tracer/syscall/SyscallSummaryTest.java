package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyscallSummaryTest {
    @Test
    void rendersStraceTableSortedByTimeWithTotals() {
        SyscallSummary s = new SyscallSummary();
        for (int i = 0; i < 34; i++) {
            s.add(257, 20_206, i < 13); // openat: 34 calls, 13 errors, 0.000687 s
        }
        for (int i = 0; i < 30; i++) {
            s.add(9, 15_834, false); // mmap
        }
        s.add(59, 0, false); // execve
        String[] lines = s.render().split("\n");
        assertThat(lines[0]).isEqualTo("% time     seconds  usecs/call     calls    errors syscall");
        assertThat(lines[1]).isEqualTo("------ ----------- ----------- --------- --------- ----------------");
        assertThat(lines[2]).isEqualTo(" 59.12    0.000687          20        34        13 openat");
        assertThat(lines[3]).isEqualTo(" 40.88    0.000475          15        30           mmap");
        assertThat(lines[4]).isEqualTo("  0.00    0.000000           0         1           execve");
        assertThat(lines[5]).isEqualTo(lines[1]);
        assertThat(lines[6]).isEqualTo("100.00    0.001162          17        65        13 total");
        assertThat(s.calls(257)).isEqualTo(34);
        assertThat(s.errors(257)).isEqualTo(13);
    }
}
