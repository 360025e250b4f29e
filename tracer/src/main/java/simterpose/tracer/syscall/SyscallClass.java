package simterpose.tracer.syscall;

/**
 * strace's syscall classes, the names accepted after {@code %} in {@code -e trace=}. Semantics
 * follow strace(1): a class is a set of syscalls marked in the table, not a rule computed from
 * arguments.
 */
public enum SyscallClass {
    /** Takes a file name as an argument. */
    FILE("file"),
    /** Process management: creation, exec, termination, wait. */
    PROCESS("process"),
    /** Network-related. */
    NETWORK("network", "net"),
    /** Signal-related. */
    SIGNAL("signal"),
    /** System V IPC. */
    IPC("ipc"),
    /** File-descriptor-related. */
    DESC("desc"),
    /** Memory mapping. */
    MEMORY("memory"),
    /** Read or modify user/group ids or capabilities. */
    CREDS("creds"),
    /** Read or modify the system clock. */
    CLOCK("clock"),
    /** stat variants. */
    STAT("stat"),
    /** lstat variants. */
    LSTAT("lstat"),
    /** fstat and fstatat variants. */
    FSTAT("fstat"),
    /** Every stat-like syscall ({@code %%stat}). */
    STAT_LIKE("%stat"),
    /** statfs variants. */
    STATFS("statfs"),
    /** fstatfs variants. */
    FSTATFS("fstatfs"),
    /** Every statfs-like syscall ({@code %%statfs}). */
    STATFS_LIKE("%statfs"),
    /** Always succeed, take no arguments (getpid, getuid...). */
    PURE("pure");

    private final String[] names;

    SyscallClass(String... names) {
        this.names = names;
    }

    /** The name as written after {@code %} (the first if there are aliases). */
    public String straceName() {
        return names[0];
    }

    /** The class for a name written after {@code %}, or null. */
    public static SyscallClass byName(String name) {
        for (SyscallClass c : values()) {
            for (String n : c.names) {
                if (n.equals(name)) {
                    return c;
                }
            }
        }
        return null;
    }
}
