package simterpose.tracer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An immutable copy of a tracee thread's {@code struct user_regs_struct} (x86_64, 27 words in
 * the kernel's order), with named views for what syscall handling needs. Change registers with
 * the {@code with*} methods and hand the result to {@link Stop#setRegs}.
 */
public record Regs(long[] words) {
    /**
     * Word indexes in {@code struct user_regs_struct} (the kernel's x86_64 ABI,
     * asm/user_64.h; RegsTest checks them against the jextract layout, whose class
     * initialization would cost the start-up a few ms).
     */
    static final int R10 = 7, R9 = 8, R8 = 9, RAX = 10, RCX = 11, RDX = 12, RSI = 13, RDI = 14,
            ORIG_RAX = 15, RIP = 16, RSP = 19;
    public static final int WORDS = 27;

    /** Syscall argument registers in ABI order. */
    private static final int[] ARGS = {RDI, RSI, RDX, R10, R8, R9};

    public Regs {
        if (words.length != WORDS) {
            throw new IllegalArgumentException("user_regs_struct has " + WORDS + " words, got " + words.length);
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

    /** Writes the words into {@code to} (a struct user_regs_struct), without the copy {@link #words()} makes. */
    void copyTo(MemorySegment to) {
        MemorySegment.copy(words, 0, to, ValueLayout.JAVA_LONG, 0, WORDS);
    }

    /**
     * Another syscall in the same stop: orig_rax {@code nr} and the arguments from {@code firstArg}
     * on set to {@code values} (the others kept), in one copy where a chain of {@code with*} makes one each.
     */
    public Regs withSyscall(long nr, int firstArg, long... values) {
        Regs changed = new Regs(words);
        changed.words[ORIG_RAX] = nr;
        for (int i = 0; i < values.length; i++) {
            changed.words[ARGS[firstArg + i]] = values[i];
        }
        return changed;
    }

    public Regs withNr(long nr) { return with(ORIG_RAX, nr); }
    public Regs withRax(long rax) { return with(RAX, rax); }
    public Regs withRip(long rip) { return with(RIP, rip); }
    public Regs withArg(int i, long value) { return with(ARGS[i], value); }
    /** rdx and rcx: what an emulated instruction (rdtsc's edx:eax, rdtscp's ecx) leaves there. */
    public Regs withRdx(long rdx) { return with(RDX, rdx); }
    public Regs withRcx(long rcx) { return with(RCX, rcx); }

    Regs with(int index, long value) {
        Regs changed = new Regs(words); // its own copy: change it in place
        changed.words[index] = value;
        return changed;
    }

    private static final long[] ZEROS = new long[WORDS];

    /** Registers read from {@code from} (a struct user_regs_struct), with one array allocated, not two. */
    static Regs of(MemorySegment from) {
        Regs regs = new Regs(ZEROS);
        MemorySegment.copy(from, ValueLayout.JAVA_LONG, 0, regs.words, 0, WORDS);
        return regs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regs r && java.util.Arrays.equals(words, r.words);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "Regs[nr=" + nr() + " rax=" + rax() + " rip=0x" + Long.toHexString(rip())
                + " rsp=0x" + Long.toHexString(rsp()) + "]";
    }
}
