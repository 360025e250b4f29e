package simterpose.tracer.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seccomp-bpf program that stops the listed x86_64 syscalls (SECCOMP_RET_TRACE, seen by the
 * tracer as PTRACE_EVENT_SECCOMP) and lets every other syscall run at native speed
 * (SECCOMP_RET_ALLOW). Calls of another ABI (i386 via int 0x80, or x32 numbers with bit 30
 * set) are allowed untouched: their numbers mean other syscalls.
 *
 * <p>Each selected number is a pair {@code jeq nr, 0, 1; ret TRACE}, so no jump offset ever
 * exceeds 1 however large the set (a linear scan; sets are small or the engine traces all).
 */
public final class BpfProgram {
    private BpfProgram() {}

    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    static final int X32_SYSCALL_BIT = 0x40000000;
    public static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    public static final int SECCOMP_RET_TRACE = 0x7ff00000;
    /** Offsets in struct seccomp_data. */
    private static final int NR_OFFSET = 0, ARCH_OFFSET = 4;
    private static final short BPF_LD_W_ABS = 0x20, BPF_JEQ_K = 0x15, BPF_JGE_K = 0x35, BPF_RET_K = 0x06;
    /** The kernel's BPF_MAXINSNS. */
    static final int MAX_INSNS = 4096;

    /** The program as {@code struct sock_filter[]} bytes (8 bytes per instruction, little-endian). */
    public static byte[] tracing(Set<Integer> syscalls) {
        TreeSet<Integer> sorted = new TreeSet<>(syscalls);
        int count = 5 + 2 * sorted.size() + 1;
        if (count > MAX_INSNS) {
            throw new IllegalArgumentException("too many syscalls for one filter: " + sorted.size());
        }
        ByteBuffer b = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
        insn(b, BPF_LD_W_ABS, 0, 0, ARCH_OFFSET);
        insn(b, BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64);          // x86_64: skip the next ret
        insn(b, BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW);
        insn(b, BPF_LD_W_ABS, 0, 0, NR_OFFSET);
        insn(b, BPF_JGE_K, (int) (count - 5 - 1), 0, X32_SYSCALL_BIT); // x32: jump to the final ALLOW
        for (int nr : sorted) {
            insn(b, BPF_JEQ_K, 0, 1, nr);
            insn(b, BPF_RET_K, 0, 0, SECCOMP_RET_TRACE);
        }
        insn(b, BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW);
        return b.array();
    }

    private static void insn(ByteBuffer b, short code, int jt, int jf, int k) {
        if (jt > 255 || jf > 255) {
            throw new IllegalArgumentException("jump too far");
        }
        b.putShort(code).put((byte) jt).put((byte) jf).putInt(k);
    }
}
