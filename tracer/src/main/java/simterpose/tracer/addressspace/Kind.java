package simterpose.tracer.addressspace;

/** What backs a mapping, as memtrace counts it. */
public enum Kind {
    /** The brk area ({@code [heap]}). */
    HEAP,
    /** Private anonymous memory (malloc's mmaps, thread stacks, .bss). */
    ANON,
    /** A private mapping of a file (code, read-only data, a mapped input file). */
    FILE,
    /** Memory shared with other processes: MAP_SHARED (files, /dev/shm, anonymous), SysV shm. */
    SHARED,
    /** Kernel-managed areas no syscall grows: {@code [stack]}, {@code [vdso]}, {@code [vvar]}, {@code [vsyscall]}. Not counted. */
    OTHER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
