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

    @Test
    void hugePageMemoryIsAlignedZeroedUsableAndUnmappedWithItsArena() throws Exception {
        long size = 2 * LibC.HUGE_PAGE;
        java.lang.foreign.MemorySegment m;
        long start;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            m = LibC.hugePageMemory(size, arena);
            start = m.address();
            assertThat(start % LibC.HUGE_PAGE).isZero();
            assertThat(m.byteSize()).isEqualTo(size);
            assertThat(m.asByteBuffer().hasRemaining()).isTrue();
            long sum = 0;
            for (long at = 0; at < size; at += 4096) {
                sum += m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at);
            }
            assertThat(sum).isZero();
            m.fill((byte) 7);
            assertThat(m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, size - 1)).isEqualTo((byte) 7);
            // one mapping, a huge page larger than asked (room to align), ends at or after the memory
            String line = null;
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                String[] range = l.split(" ")[0].split("-");
                if (Long.parseUnsignedLong(range[0], 16) <= start && Long.parseUnsignedLong(range[1], 16) >= start + size) {
                    line = l;
                }
            }
            assertThat(line).as("the mapping of %x", start).isNotNull();
        }
        assertThat(m.scope().isAlive()).isFalse();
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
            String[] range = l.split(" ")[0].split("-");
            long from = Long.parseUnsignedLong(range[0], 16), to = Long.parseUnsignedLong(range[1], 16);
            assertThat(from < start + size && to > start).as("still mapped: %s", l).isFalse();
        }
        assertThatThrownBy(() -> LibC.hugePageMemory(4096, java.lang.foreign.Arena.global()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
