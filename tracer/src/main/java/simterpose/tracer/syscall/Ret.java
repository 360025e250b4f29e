package simterpose.tracer.syscall;

/** How strace prints a successful return value. */
public enum Ret {
    /** Signed decimal. */
    DECIMAL,
    /** Hexadecimal (addresses: mmap, brk, mremap, shmat). */
    HEXADECIMAL,
    /** Octal with a leading 0 (umask). */
    OCTAL,
    /** The call does not return (exit, exit_group): printed {@code ?}. */
    NO_RETURN
}
