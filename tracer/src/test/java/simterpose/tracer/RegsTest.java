package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import simterpose.bindings.linux.siginfo_t;
import simterpose.bindings.linux.user_regs_struct;

/** Rewriting a stopped syscall's registers. */
class RegsTest {
    @Test
    void hardCodedWordIndexesAndSizesAreTheJextractLayouts() {
        assertThat(new long[] {Regs.R10, Regs.R9, Regs.R8, Regs.RAX, Regs.RCX, Regs.RDX, Regs.RSI, Regs.RDI,
                Regs.ORIG_RAX, Regs.RIP, Regs.RSP, Regs.WORDS})
                .containsExactly(user_regs_struct.r10$offset() / 8, user_regs_struct.r9$offset() / 8,
                        user_regs_struct.r8$offset() / 8, user_regs_struct.rax$offset() / 8,
                        user_regs_struct.rcx$offset() / 8, user_regs_struct.rdx$offset() / 8,
                        user_regs_struct.rsi$offset() / 8, user_regs_struct.rdi$offset() / 8,
                        user_regs_struct.orig_rax$offset() / 8, user_regs_struct.rip$offset() / 8,
                        user_regs_struct.rsp$offset() / 8, user_regs_struct.sizeof() / 8);
        assertThat(SignalInfo.NATIVE_SIZE).isEqualTo(siginfo_t.sizeof());
        assertThat(PtraceOwner.CPU_SET_BYTES).isEqualTo(simterpose.bindings.linux.cpu_set_t.sizeof());
    }

    @Test
    void withSyscallSetsTheNumberAndTheNamedArgumentsAndKeepsEverythingElse() {
        long[] words = new long[Regs.WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = 1000 + i;
        }
        Regs before = new Regs(words);
        Regs after = before.withSyscall(45, 1, 0x7000, 40, 0x40, 0, 0);

        assertThat(after.nr()).isEqualTo(45);
        assertThat(after.args()).containsExactly(before.arg(0), 0x7000, 40, 0x40, 0, 0);
        assertThat(after.rip()).isEqualTo(before.rip());
        assertThat(after.rsp()).isEqualTo(before.rsp());
        assertThat(after.rax()).isEqualTo(before.rax());
        assertThat(before.words()).isEqualTo(words); // the original is unchanged
        assertThat(after).isEqualTo(before.withNr(45).withArg(1, 0x7000).withArg(2, 40).withArg(3, 0x40)
                .withArg(4, 0).withArg(5, 0));
    }
}
