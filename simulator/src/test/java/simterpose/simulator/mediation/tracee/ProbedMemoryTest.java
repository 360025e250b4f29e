package simterpose.simulator.mediation.tracee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import simterpose.tracer.syscall.SyscallTable;

/** What address mode remembers of probed tracee memory, and when it forgets it. */
class ProbedMemoryTest {
    private final ProbedMemory probed = new ProbedMemory();
    private final Object process = new Object();
    private final Object thread = new Object();

    private static List<long[]> piece(long address, long length) {
        return List.<long[]>of(new long[] {address, length});
    }

    @Test
    void aProbedBufferIsKnownWholePagesAtATimeForItsProcessAndKindOnly() {
        probed.remember(process, piece(0x10010, 100), false);

        assertThat(probed.covers(process, piece(0x10000, 4096), false)).isTrue(); // the page it lies in
        assertThat(probed.covers(process, piece(0x10ff0, 0x20), false)).isFalse(); // runs into the next page
        assertThat(probed.covers(process, piece(0x10010, 100), true)).isFalse(); // read, not written
        assertThat(probed.covers(new Object(), piece(0x10010, 100), false)).isFalse(); // another process
    }

    @Test
    void touchingRangesMergeSoABufferProbedInPiecesIsKnownWhole() {
        probed.remember(process, piece(0x20000, 4096), true);
        probed.remember(process, piece(0x22000, 4096), true);
        assertThat(probed.covers(process, piece(0x20000, 3 * 4096), true)).isFalse(); // a gap at 0x21000
        probed.remember(process, piece(0x21000, 10), true);

        assertThat(probed.covers(process, piece(0x20000, 3 * 4096), true)).isTrue();
    }

    @Test
    void aMappingChangeForgetsEverythingAndNothingIsLearntWhileOneRuns() {
        probed.remember(process, piece(0x30000, 100), false);
        assertThat(probed.entering(thread, SyscallTable.number("sendto"))).isFalse();
        assertThat(probed.covers(process, piece(0x30000, 100), false)).isTrue();

        assertThat(probed.entering(thread, SyscallTable.number("munmap"))).isTrue();
        assertThat(probed.covers(process, piece(0x30000, 100), false)).isFalse();
        probed.remember(process, piece(0x30000, 100), false); // probed before the munmap really ran
        assertThat(probed.covers(process, piece(0x30000, 100), false)).isFalse();

        probed.exited(thread);
        probed.remember(process, piece(0x30000, 100), false);
        assertThat(probed.covers(process, piece(0x30000, 100), false)).isTrue();
        probed.forget(); // an exec, an mmap MAP_FIXED
        assertThat(probed.covers(process, piece(0x30000, 100), false)).isFalse();
    }

    @Test
    void underAddressModeTheCallsThatCanUnmapStopToo() {
        assertThat(ProbedMemory.alsoStopped(false, java.util.Set.of(1))).containsExactly(1);
        assertThat(ProbedMemory.alsoStopped(true, java.util.Set.of(1))).contains(1, SyscallTable.number("munmap"),
                SyscallTable.number("mprotect"), SyscallTable.number("madvise"), SyscallTable.number("brk"));
    }
}
