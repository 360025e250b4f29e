package simterpose.tracer.seccomp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import simterpose.bindings.linux.seccomp_data;
import simterpose.bindings.linux.sock_filter;
import simterpose.bindings.linux.sock_fprog;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the generated program in a tiny classic-BPF interpreter (the four opcodes it uses). */
class BpfProgramTest {
    @Test
    void hardCodedOffsetsAndSizesAreTheJextractLayouts() {
        assertThat(BpfProgram.NR_OFFSET).isEqualTo(seccomp_data.nr$offset());
        assertThat(BpfProgram.ARCH_OFFSET).isEqualTo(seccomp_data.arch$offset());
        assertThat(BpfProgram.INSN_BYTES).isEqualTo(sock_filter.sizeof());
        assertThat(BpfProgram.FPROG_BYTES).isEqualTo(sock_fprog.sizeof());
        MemorySegment fprog = MemorySegment.ofArray(BpfProgram.fprog(5 * 8, 0x7fff_1234_5670L));
        MemorySegment aligned = Arena.ofAuto().allocate(sock_fprog.layout()).copyFrom(fprog);
        assertThat(sock_fprog.len(aligned)).isEqualTo((short) 5);
        assertThat(sock_fprog.filter(aligned).address()).isEqualTo(0x7fff_1234_5670L);
        MemorySegment insn = Arena.ofAuto().allocate(sock_filter.layout())
                .copyFrom(MemorySegment.ofArray(BpfProgram.tracing(Set.of(39))).asSlice(0, 8));
        assertThat(List.of(sock_filter.code(insn), sock_filter.jt(insn), sock_filter.jf(insn), sock_filter.k(insn)))
                .containsExactly((short) 0x20, (byte) 0, (byte) 0, 4); // ld [arch]
    }

    static final int AUDIT_ARCH_I386 = 0x40000003;

    static int run(byte[] program, int arch, int nr) {
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int acc = 0;
        int pc = 0;
        while (true) {
            short code = b.getShort(pc * 8);
            int jt = b.get(pc * 8 + 2) & 0xff, jf = b.get(pc * 8 + 3) & 0xff, k = b.getInt(pc * 8 + 4);
            switch (code) {
                case 0x20 -> { acc = k == 0 ? nr : k == 4 ? arch : fail(k); pc++; }
                case 0x15 -> pc += 1 + (acc == k ? jt : jf);
                case 0x35 -> pc += 1 + (Integer.compareUnsigned(acc, k) >= 0 ? jt : jf);
                case 0x06 -> { return k; }
                default -> throw new AssertionError("unexpected opcode " + code);
            }
        }
    }

    static int fail(int k) {
        throw new AssertionError("load at offset " + k);
    }

    @Test
    void selectedSyscallsAreTracedAndAllOthersAllowed() {
        byte[] p = BpfProgram.tracing(Set.of(110, 0, 41));
        for (int nr = 0; nr < 500; nr++) {
            int expected = Set.of(110, 0, 41).contains(nr) ? BpfProgram.SECCOMP_RET_TRACE : BpfProgram.SECCOMP_RET_ALLOW;
            assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, nr)).as("nr %d", nr).isEqualTo(expected);
        }
    }

    @Test
    void otherAbisAreAllowedEvenForSelectedNumbers() {
        byte[] p = BpfProgram.tracing(Set.of(110));
        assertThat(run(p, AUDIT_ARCH_I386, 110)).isEqualTo(BpfProgram.SECCOMP_RET_ALLOW);
        assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, BpfProgram.X32_SYSCALL_BIT | 110)).isEqualTo(BpfProgram.SECCOMP_RET_ALLOW);
    }

    @Test
    void aSandboxRefusesEveryForeignAbiCallWithEnosysWhateverItsNumber() {
        byte[] p = BpfProgram.tracing(Set.of(41, 42), true);
        for (int nr : new int[] {0, 41, 42, 102, 359, 362, 110}) { // i386: 102 socketcall, 359 socket, 362 connect
            assertThat(run(p, AUDIT_ARCH_I386, nr)).as("i386 nr %d", nr).isEqualTo(BpfProgram.SECCOMP_RET_ERRNO | 38);
            assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, BpfProgram.X32_SYSCALL_BIT | nr)).as("x32 nr %d", nr)
                    .isEqualTo(BpfProgram.REFUSED_ABI);
        }
        assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, 41)).isEqualTo(BpfProgram.SECCOMP_RET_TRACE);
        assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, 39)).isEqualTo(BpfProgram.SECCOMP_RET_ALLOW);
    }

    @Test
    void everySyscallNumberFitsInOneProgram() {
        Set<Integer> all = new HashSet<>();
        for (int nr = 0; nr < 470; nr++) {
            all.add(nr);
        }
        byte[] p = BpfProgram.tracing(all);
        assertThat(p.length / 8).isLessThanOrEqualTo(BpfProgram.MAX_INSNS);
        assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, 469)).isEqualTo(BpfProgram.SECCOMP_RET_TRACE);
        assertThat(run(p, BpfProgram.AUDIT_ARCH_X86_64, 470)).isEqualTo(BpfProgram.SECCOMP_RET_ALLOW);
    }
}
