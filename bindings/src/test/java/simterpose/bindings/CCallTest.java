package simterpose.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** libc functions of other prototypes called through CCall's one (six longs) -> long handle. */
class CCallTest {
    @Test
    void functionsOfFewerIntOrPointerArgumentsGetTheirArgumentsAndGiveTheirResult() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom("simterpose");
            assertThat(CCall.call(CCall.function("strlen"), text.address(), 0, 0, 0, 0, 0)).isEqualTo(10);
            assertThat(CCall.call(CCall.function("getpid"), 0, 0, 0, 0, 0, 0)).isEqualTo(ProcessHandle.current().pid());
            assertThat((int) CCall.call(CCall.function("abs"), -42, 0, 0, 0, 0, 0)).isEqualTo(42);
            // int memcmp(const void *, const void *, size_t): an int result, negative here
            MemorySegment other = arena.allocateFrom("simterposf");
            assertThat((int) CCall.call(CCall.function("memcmp"), text.address(), other.address(), 10, 0, 0, 0)).isNegative();
            long found = CCall.call(CCall.function("strchr"), text.address(), 'p', 0, 0, 0, 0);
            assertThat(found - text.address()).isEqualTo(6);
        }
    }
}
