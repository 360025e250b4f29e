package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** Only the owner thread may ptrace or waitpid: its calls check their thread (the kernel would answer ESRCH). */
class OwnerThreadRuleTest {
    @Test
    void ptraceFromAThreadOtherThanTheOwnerIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            PtraceCalls calls = new PtraceCalls(arena, new Thread(() -> { }));
            assertThatThrownBy(() -> calls.getRegs(1)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("not the owner thread");
            assertThatThrownBy(() -> calls.waitpid(-1, 0)).isInstanceOf(AssertionError.class);
        }
    }
}
