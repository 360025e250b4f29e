package simterpose.tracer;

import simterpose.tracer.memory.TraceeMemory;

/**
 * The auxiliary vector a new image finds on its stack at exec: {@code argc, argv[], NULL,
 * envp[], NULL, (type, value) pairs..., AT_NULL}. At an exec stop the image has not run yet,
 * so what is changed here is what its loader and libc will read:
 * <ul>
 *   <li>hiding the vDSO: the {@code AT_SYSINFO_EHDR} pair's type becomes {@code AT_IGNORE};
 *       glibc (dynamic and static) then has no vDSO and makes real syscalls for the clock,
 *       where a seccomp filter can stop them;</li>
 *   <li>the 16 bytes {@code AT_RANDOM} points at (glibc's stack protector canary and pointer
 *       guard, getauxval(AT_RANDOM)): replaced to make runs repeat.</li>
 * </ul>
 */
public final class Auxv {
    static final long AT_NULL = 0, AT_IGNORE = 1, AT_SYSINFO_EHDR = 33, AT_RANDOM = 25;
    /** Bytes at AT_RANDOM's address (execve(2), getauxval(3)). */
    public static final int RANDOM_BYTES = 16;
    /** More entries than any kernel writes: a guard against walking a corrupt stack forever. */
    private static final int MAX_WORDS = 1 << 16;

    private Auxv() {}

    /**
     * @param sp the stack pointer at the exec stop (the address of argc)
     * @return true if an AT_SYSINFO_EHDR entry was found and hidden
     */
    static boolean hideVdso(TraceeMemory mem, long sp) {
        long at = entry(mem, sp, AT_SYSINFO_EHDR);
        if (at == 0) {
            return false;
        }
        byte[] ignore = new byte[8];
        ignore[0] = (byte) AT_IGNORE;
        return mem.write(at, ignore, 0, 8) == 8;
    }

    /**
     * Overwrites the {@value #RANDOM_BYTES} bytes AT_RANDOM points at.
     *
     * @param sp the stack pointer at the exec stop ({@link Stop#regs()}{@code .rsp()})
     * @return true if the entry was found and its bytes written
     */
    public static boolean replaceRandomBytes(TraceeMemory mem, long sp, byte[] bytes) {
        if (bytes.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("AT_RANDOM points at " + RANDOM_BYTES + " bytes, got " + bytes.length);
        }
        long at = entry(mem, sp, AT_RANDOM);
        long address = at == 0 ? 0 : mem.readLong(at + 8, 0);
        return address != 0 && mem.write(address, bytes, 0, RANDOM_BYTES) == RANDOM_BYTES;
    }

    /**
     * The (type, value) pairs of a new image's auxv, AT_NULL excluded, in the kernel's order.
     *
     * @param sp the stack pointer at the exec stop
     */
    public static java.util.List<long[]> entries(TraceeMemory mem, long sp) {
        java.util.List<long[]> pairs = new java.util.ArrayList<>();
        long at = start(mem, sp);
        for (int i = 0; at != 0 && i < MAX_WORDS; i++, at += 16) {
            long t = mem.readLong(at, AT_NULL);
            if (t == AT_NULL) {
                break;
            }
            pairs.add(new long[] {t, mem.readLong(at + 8, 0)});
        }
        return pairs;
    }

    /** The {@value #RANDOM_BYTES} bytes AT_RANDOM points at, or null if there are none. */
    public static byte[] randomBytes(TraceeMemory mem, long sp) {
        long at = entry(mem, sp, AT_RANDOM);
        long address = at == 0 ? 0 : mem.readLong(at + 8, 0);
        return address == 0 ? null : mem.readFully(address, RANDOM_BYTES);
    }

    /** The address of the auxv's first pair, or 0 if the stack cannot be walked. */
    private static long start(TraceeMemory mem, long sp) {
        long argc = mem.readLong(sp, -1);
        if (argc < 0 || argc > MAX_WORDS) {
            return 0;
        }
        long at = sp + 8 + (argc + 1) * 8; // past argv and its NULL
        for (int i = 0; i < MAX_WORDS && mem.readLong(at, 0) != 0; i++) {
            at += 8; // envp
        }
        return at + 8; // past envp's NULL
    }

    /** The address of the first (type, value) pair of {@code type}, or 0 if there is none. */
    private static long entry(TraceeMemory mem, long sp, long type) {
        long at = start(mem, sp);
        if (at == 0) {
            return 0;
        }
        for (int i = 0; i < MAX_WORDS; i++, at += 16) {
            long t = mem.readLong(at, AT_NULL);
            if (t == AT_NULL) {
                return 0;
            }
            if (t == type) {
                return at;
            }
        }
        return 0;
    }
}
