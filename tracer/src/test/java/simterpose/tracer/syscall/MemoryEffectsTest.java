package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import simterpose.tracer.syscall.MemoryEffects.Region;

/** The regions a syscall writes, read off the table's argument kinds. */
class MemoryEffectsTest {
    private final FakeMemory mem = new FakeMemory();

    private static Syscall sc(String name) {
        return SyscallTable.byName(name).orElseThrow();
    }

    @Test
    void readWritesAsManyBytesAsItReturnsAndAFailedCallWritesNothing() {
        long[] a = {3, 0x1000, 4096, 0, 0, 0};
        assertThat(MemoryEffects.written(sc("read"), a, 100, mem)).containsExactly(new Region(0x1000, 100));
        assertThat(MemoryEffects.written(sc("read"), a, -11, mem)).isEmpty();
        assertThat(MemoryEffects.written(sc("write"), a, 100, mem)).isEmpty();
    }

    @Test
    void fixedSizeStructuresAndInOutArraysHaveTheirKernelSizes() {
        assertThat(MemoryEffects.written(sc("fstat"), new long[] {3, 0x2000, 0, 0, 0, 0}, 0, mem))
                .containsExactly(new Region(0x2000, 144));
        assertThat(MemoryEffects.written(sc("clock_gettime"), new long[] {1, 0x3000, 0, 0, 0, 0}, 0, mem))
                .containsExactly(new Region(0x3000, 16));
        assertThat(MemoryEffects.written(sc("poll"), new long[] {0x4000, 3, 100, 0, 0, 0}, 1, mem))
                .as("revents of each pollfd").containsExactly(new Region(0x4000, 24));
        assertThat(MemoryEffects.written(sc("getrusage"), new long[] {0, 0x5000, 0, 0, 0, 0}, 0, mem))
                .containsExactly(new Region(0x5000, 144));
        assertThat(MemoryEffects.written(sc("ioctl"), new long[] {1, 0x5401, 0x6000, 0, 0, 0}, 0, mem))
                .as("TCGETS").containsExactly(new Region(0x6000, 36));
    }

    @Test
    void lengthsTheKernelStoresInMemoryAreReadBack() {
        long len = mem.putInts(16);
        long addr = mem.put(new byte[128]);
        assertThat(MemoryEffects.written(sc("accept4"), new long[] {3, addr, len, 0, 0, 0}, 5, mem))
                .containsExactly(new Region(addr, 16), new Region(len, 4));
        long buf1 = mem.put(new byte[10]), buf2 = mem.put(new byte[10]);
        long iov = mem.putLongs(buf1, 10, buf2, 10);
        assertThat(MemoryEffects.written(sc("readv"), new long[] {3, iov, 2, 0, 0, 0}, 15, mem))
                .containsExactly(new Region(buf1, 10), new Region(buf2, 5));
        long parentTid = mem.put(new byte[4]);
        long cloneArgs = mem.putLongs(0x00100000L | 0x10000L, 0, 0, parentTid);
        assertThat(MemoryEffects.written(sc("clone3"), new long[] {cloneArgs, 88, 0, 0, 0, 0}, 1234, mem))
                .as("CLONE_PARENT_SETTID").containsExactly(new Region(parentTid, 4));
    }

    @Test
    void rowsWithoutDecodersHaveNoKnownEffectsButSelect() {
        assertThat(MemoryEffects.known(sc("select"))).isTrue();
        assertThat(MemoryEffects.known(sc("msgrcv"))).isFalse();
        assertThat(MemoryEffects.known(sc("getpid"))).isTrue();
        List<Region> select = MemoryEffects.written(sc("select"), new long[] {5, 0x1000, 0, 0, 0x2000, 0}, 1, mem);
        assertThat(select).containsExactly(new Region(0x1000, 8), new Region(0x2000, 16));
    }
}
