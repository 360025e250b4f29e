package simterpose.tracer.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.TreeSet;

import simterpose.bindings.linux.Linux;

/**
 * A seccomp-bpf program that stops the listed x86_64 syscalls (SECCOMP_RET_TRACE, seen by the
 * tracer as PTRACE_EVENT_SECCOMP; or SECCOMP_RET_USER_NOTIF for those the tracer answers on the
 * filter's listener fd, see {@code Notifications}) and lets every other syscall run at native speed
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
    /** The third action: the tracee waits in the kernel for the tracer's answer on the filter's listener fd (no ptrace stop). */
    public static final int SECCOMP_RET_USER_NOTIF = Linux.SECCOMP_RET_USER_NOTIF();
    static final int ENOSYS = 38;
    /** What a foreign-ABI syscall gets when they are refused. */
    public static final int REFUSED_ABI = SECCOMP_RET_ERRNO | ENOSYS;
    /**
     * Where struct seccomp_data keeps the syscall number and the audit arch, and the size of one
     * struct sock_filter (the kernel's ABI; BpfProgramTest checks them against the jextract
     * layouts, whose initialization and accessors would cost the start-up a few ms).
     */
    static final int NR_OFFSET = 0, ARCH_OFFSET = 4;
    private static final short LD_W_ABS = (short) (Linux.BPF_LD() | Linux.BPF_W() | Linux.BPF_ABS()),
            JEQ_K = (short) (Linux.BPF_JMP() | Linux.BPF_JEQ() | Linux.BPF_K()),
            JGE_K = (short) (Linux.BPF_JMP() | Linux.BPF_JGE() | Linux.BPF_K()),
            RET_K = (short) (Linux.BPF_RET() | Linux.BPF_K());
    static final int MAX_INSNS = Linux.BPF_MAXINSNS();
    static final int INSN_BYTES = 8;

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
        return tracing(syscalls, Set.of(), refuseForeignAbis);
    }

    /**
     * The program as {@code struct sock_filter[]} bytes (native byte order): the numbers of
     * {@code notified} (a subset of {@code syscalls}) return SECCOMP_RET_USER_NOTIF, the
     * tracer answering them on the filter's listener without a ptrace stop; the other selected
     * ones SECCOMP_RET_TRACE.
     *
     * @param refuseForeignAbis fail i386 and x32 syscalls with ENOSYS instead of allowing them
     */
    public static byte[] tracing(Set<Integer> syscalls, Set<Integer> notified, boolean refuseForeignAbis) {
        if (!syscalls.containsAll(notified)) {
            throw new IllegalArgumentException("notified syscalls must be selected: " + notified);
        }
        int foreign = refuseForeignAbis ? REFUSED_ABI : SECCOMP_RET_ALLOW;
        TreeSet<Integer> sorted = new TreeSet<>(syscalls);
        int count = 6 + 2 * sorted.size() + 1;
        if (count > MAX_INSNS) {
            throw new IllegalArgumentException("too many syscalls for one filter: " + sorted.size());
        }
        ByteBuffer b = ByteBuffer.allocate(count * INSN_BYTES).order(ByteOrder.nativeOrder());
        insn(b, LD_W_ABS, 0, 0, ARCH_OFFSET);
        insn(b, JEQ_K, 1, 0, AUDIT_ARCH_X86_64);          // x86_64: skip the next ret
        insn(b, RET_K, 0, 0, foreign);
        insn(b, LD_W_ABS, 0, 0, NR_OFFSET);
        insn(b, JGE_K, 0, 1, X32_SYSCALL_BIT);            // x32 numbers
        insn(b, RET_K, 0, 0, foreign);
        for (int nr : sorted) {
            insn(b, JEQ_K, 0, 1, nr);
            insn(b, RET_K, 0, 0, notified.contains(nr) ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE);
        }
        insn(b, RET_K, 0, 0, SECCOMP_RET_ALLOW);
        return b.array();
    }

    /** Bytes of struct sock_fprog {u16 len; struct sock_filter *filter;} for {@code programBytes} at {@code address}. */
    public static byte[] fprog(int programBytes, long address) {
        return ByteBuffer.allocate(FPROG_BYTES).order(ByteOrder.nativeOrder())
                .putShort(0, (short) (programBytes / INSN_BYTES)).putLong(8, address).array();
    }

    /** sizeof(struct sock_fprog): the pointer is 8-aligned. */
    static final int FPROG_BYTES = 16;

    /** Appends one struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}. */
    private static void insn(ByteBuffer program, short code, int jt, int jf, int k) {
        if (jt > 255 || jf > 255) {
            throw new IllegalArgumentException("jump too far");
        }
        program.putShort(code).put((byte) jt).put((byte) jf).putInt(k);
    }
}
