package simterpose.tracer;

/**
 * An immutable copy of a tracee thread's {@code struct user_regs_struct} (x86_64, 27 words in
 * the kernel's order), with named views for what syscall handling needs. Change registers with
 * the {@code with*} methods and hand the result to {@link Stop#setRegs}.
 */
public record Regs(long[] words) {
    /** Word indexes in {@code struct user_regs_struct}. */
    static final int R15 = 0, R14 = 1, R13 = 2, R12 = 3, RBP = 4, RBX = 5, R11 = 6, R10 = 7,
            R9 = 8, R8 = 9, RAX = 10, RCX = 11, RDX = 12, RSI = 13, RDI = 14, ORIG_RAX = 15,
            RIP = 16, CS = 17, EFLAGS = 18, RSP = 19, SS = 20, FS_BASE = 21, GS_BASE = 22,
            DS = 23, ES = 24, FS = 25, GS = 26;
    public static final int WORDS = 27;
    /** Syscall argument registers in ABI order. */
    private static final int[] ARGS = {RDI, RSI, RDX, R10, R8, R9};

    public Regs {
        if (words.length != WORDS) {
            throw new IllegalArgumentException("user_regs_struct has 27 words, got " + words.length);
        }
        words = words.clone();
    }

    /** The syscall number (orig_rax); -1 outside a syscall or for a skipped one. */
    public long nr() { return words[ORIG_RAX]; }

    /** Syscall argument {@code i} (0..5: rdi rsi rdx r10 r8 r9). */
    public long arg(int i) { return words[ARGS[i]]; }

    public long[] args() {
        long[] a = new long[6];
        for (int i = 0; i < 6; i++) {
            a[i] = words[ARGS[i]];
        }
        return a;
    }

    /** rax: the return value at a syscall-exit stop ({@code -errno} on failure). */
    public long rax() { return words[RAX]; }
    public long rip() { return words[RIP]; }
    public long rsp() { return words[RSP]; }

    public long word(int index) { return words[index]; }

    @Override
    public long[] words() { return words.clone(); }

    public Regs withNr(long nr) { return with(ORIG_RAX, nr); }
    public Regs withRax(long rax) { return with(RAX, rax); }
    public Regs withRip(long rip) { return with(RIP, rip); }
    public Regs withArg(int i, long value) { return with(ARGS[i], value); }

    Regs with(int index, long value) {
        long[] w = words.clone();
        w[index] = value;
        return new Regs(w);
    }

    @Override
    public String toString() {
        return "Regs[nr=" + nr() + " rax=" + rax() + " rip=0x" + Long.toHexString(rip())
                + " rsp=0x" + Long.toHexString(rsp()) + "]";
    }
}
