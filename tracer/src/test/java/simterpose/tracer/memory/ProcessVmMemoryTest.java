package simterpose.tracer.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** process_vm_readv/writev on this JVM's own memory (same calls as on a tracee). */
class ProcessVmMemoryTest {
    final ProcessVmMemory self = new ProcessVmMemory((int) ProcessHandle.current().pid());

    @Test
    void stringCrossingAPageBoundaryIsReadWhole() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pages = arena.allocate(3 * 4096, 4096);
            byte[] text = "crosses-the-page-boundary".getBytes(StandardCharsets.US_ASCII);
            long start = 4096 - 10;
            MemorySegment.copy(text, 0, pages, ValueLayout.JAVA_BYTE, start, text.length);
            pages.set(ValueLayout.JAVA_BYTE, start + text.length, (byte) 0);
            TraceeMemory.CString s = self.readCString(pages.address() + start, 4096);
            assertThat(new String(s.bytes(), StandardCharsets.US_ASCII)).isEqualTo("crosses-the-page-boundary");
            assertThat(s.truncated()).isFalse();
            TraceeMemory.CString cut = self.readCString(pages.address() + start, 7);
            assertThat(new String(cut.bytes(), StandardCharsets.US_ASCII)).isEqualTo("crosses");
            assertThat(cut.truncated()).isTrue();
        }
    }

    @Test
    void unmappedAddressReadsNothing() {
        assertThat(self.readCString(0x1000, 100)).isNull();
        assertThat(self.read(0x1000, new byte[8], 0, 8)).isZero();
        assertThat(self.readLong(0x1000, -7)).isEqualTo(-7);
    }

    @Test
    void writeThenReadRoundTrips() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(100_000);
            byte[] data = new byte[100_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31);
            }
            assertThat(self.write(buf.address(), data, 0, data.length)).isEqualTo(data.length);
            assertThat(buf.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
            assertThat(self.readFully(buf.address(), data.length)).isEqualTo(data);
        }
    }
}
