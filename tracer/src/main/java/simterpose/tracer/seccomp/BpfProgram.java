package simterpose.tracer.seccomp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.TreeSet;

import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.seccomp_data;
import simterpose.bindings.linux.sock_filter;

/**
 * A seccomp-bpf program that stops the listed x86_64 syscalls (SECCOMP_RET_TRACE, seen by the
 * tracer as PTRACE_EVENT_SECCOMP) and lets every other syscall run at native speed
 * (SECCOMP_RET_ALLOW). Calls of another ABI (i386 via int 0x80 or sysenter, seen as another
 * {@code arch}; x32 numbers, with bit 30 set) would mean other syscalls under the same numbers:
 * a tracer that only observes ({@code trace}) lets them run untouched, as it always did; a
 * sandbox ({@code run}) fails them with ENOSYS (SECCOMP_RET_ERRNO), as a kernel built without
 * IA32_EMULATION and X32 does, so nothing gets past the simulator that way. ENOSYS rather than a
 * kill: a program probing for the other ABI goes on (gVisor answers 32-bit syscalls the same
 * way; strace's --seccomp-bpf checks the arch first for the same reason).
 *
 * <p>Each selected number is a pair {@code jeq nr, 0, 1; ret TRACE}, so no jump offset ever
 * exceeds 1 however large the set (a linear scan; sets are small or the engine traces all).
 */
public final class BpfProgram {
    private BpfProgram() {}

    static final int AUDIT_ARCH_X86_64 = Linux.AUDIT_ARCH_X86_64();
    static final int X32_SYSCALL_BIT = 0x40000000; // asm/unistd.h __X32_SYSCALL_BIT
    public static final int SECCOMP_RET_ALLOW = Linux.SECCOMP_RET_ALLOW();
    public static final int SECCOMP_RET_TRACE = Linux.SECCOMP_RET_TRACE();
    public static final int SECCOMP_RET_ERRNO = Linux.SECCOMP_RET_ERRNO();
    static final int ENOSYS = 38;
    /** What a foreign-ABI syscall gets when they are refused. */
    public static final int REFUSED_ABI = SECCOMP_RET_ERRNO | ENOSYS;
    private static final int NR_OFFSET = (int) seccomp_data.nr$offset(), ARCH_OFFSET = (int) seccomp_data.arch$offset();
    private static final short LD_W_ABS = (short) (Linux.BPF_LD() | Linux.BPF_W() | Linux.BPF_ABS()),
            JEQ_K = (short) (Linux.BPF_JMP() | Linux.BPF_JEQ() | Linux.BPF_K()),
            JGE_K = (short) (Linux.BPF_JMP() | Linux.BPF_JGE() | Linux.BPF_K()),
            RET_K = (short) (Linux.BPF_RET() | Linux.BPF_K());
    static final int MAX_INSNS = Linux.BPF_MAXINSNS();
    static final int INSN_BYTES = (int) sock_filter.sizeof();

    /** The program as {@code struct sock_filter[]} bytes (native byte order); other ABIs run untouched. */
    public static byte[] tracing(Set<Integer> syscalls) {
        return tracing(syscalls, false);
    }

    /**
     * The program as {@code struct sock_filter[]} bytes (native byte order).
     *
     * @param refuseForeignAbis fail i386 and x32 syscalls with ENOSYS instead of allowing them
     */
    public static byte[] tracing(Set<Integer> syscalls, boolean refuseForeignAbis) {
        int foreign = refuseForeignAbis ? REFUSED_ABI : SECCOMP_RET_ALLOW;
        TreeSet<Integer> sorted = new TreeSet<>(syscalls);
        int count = 6 + 2 * sorted.size() + 1;
        if (count > MAX_INSNS) {
            throw new IllegalArgumentException("too many syscalls for one filter: " + sorted.size());
        }
        // A long[] backing keeps the heap segment 8-byte aligned, as the struct layouts require.
        MemorySegment b = MemorySegment.ofArray(new long[(count * INSN_BYTES + 7) / 8]).asSlice(0, (long) count * INSN_BYTES);
        int[] at = {0};
        insn(b, at, LD_W_ABS, 0, 0, ARCH_OFFSET);
        insn(b, at, JEQ_K, 1, 0, AUDIT_ARCH_X86_64);          // x86_64: skip the next ret
        insn(b, at, RET_K, 0, 0, foreign);
        insn(b, at, LD_W_ABS, 0, 0, NR_OFFSET);
        insn(b, at, JGE_K, 0, 1, X32_SYSCALL_BIT);            // x32 numbers
        insn(b, at, RET_K, 0, 0, foreign);
        for (int nr : sorted) {
            insn(b, at, JEQ_K, 0, 1, nr);
            insn(b, at, RET_K, 0, 0, SECCOMP_RET_TRACE);
        }
        insn(b, at, RET_K, 0, 0, SECCOMP_RET_ALLOW);
        return b.toArray(ValueLayout.JAVA_BYTE);
    }

    private static void insn(MemorySegment program, int[] at, short code, int jt, int jf, int k) {
        if (jt > 255 || jf > 255) {
            throw new IllegalArgumentException("jump too far");
        }
        MemorySegment insn = sock_filter.asSlice(program, at[0]++);
        sock_filter.code(insn, code);
        sock_filter.jt(insn, (byte) jt);
        sock_filter.jf(insn, (byte) jf);
        sock_filter.k(insn, k);
    }
}
