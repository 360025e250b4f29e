package simterpose.tracer;

import simterpose.tracer.memory.TraceeMemory;

/**
 * The auxiliary vector a new image finds on its stack at exec: {@code argc, argv[], NULL,
 * envp[], NULL, (type, value) pairs..., AT_NULL}. Hiding the vDSO means rewriting the
 * {@code AT_SYSINFO_EHDR} pair's type into {@code AT_IGNORE}: glibc (dynamic and static) then
 * has no vDSO and makes real syscalls for the clock, where a seccomp filter can stop them.
 */
final class Auxv {
    static final long AT_NULL = 0, AT_IGNORE = 1, AT_SYSINFO_EHDR = 33;
    /** More entries than any kernel writes: a guard against walking a corrupt stack forever. */
    private static final int MAX_WORDS = 1 << 16;

    private Auxv() {}

    /**
     * @param sp the stack pointer at the exec stop (the address of argc)
     * @return true if an AT_SYSINFO_EHDR entry was found and hidden
     */
    static boolean hideVdso(TraceeMemory mem, long sp) {
        long argc = mem.readLong(sp, -1);
        if (argc < 0 || argc > MAX_WORDS) {
            return false;
        }
        long at = sp + 8 + (argc + 1) * 8; // past argv and its NULL
        for (int i = 0; i < MAX_WORDS && mem.readLong(at, 0) != 0; i++) {
            at += 8; // envp
        }
        at += 8; // envp's NULL
        for (int i = 0; i < MAX_WORDS; i++, at += 16) {
            long type = mem.readLong(at, AT_NULL);
            if (type == AT_NULL) {
                return false;
            }
            if (type == AT_SYSINFO_EHDR) {
                byte[] ignore = new byte[8];
                ignore[0] = (byte) AT_IGNORE;
                return mem.write(at, ignore, 0, 8) == 8;
            }
        }
        return false;
    }
}
