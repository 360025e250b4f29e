package simterpose.tracer.syscall;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of named constants, as strace's xlat files: decoders print flag sets and enumerated
 * values by name from these tables, never through if-chains. Immutable.
 */
final class Xlat {
    private record Entry(long value, String name) {}

    private final List<Entry> entries;

    private Xlat(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Pairs of (value, name); for flag sets, multi-bit entries come before their single bits. */
    static Xlat of(Object... valueNamePairs) {
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < valueNamePairs.length; i += 2) {
            list.add(new Entry(((Number) valueNamePairs[i]).longValue(), (String) valueNamePairs[i + 1]));
        }
        return new Xlat(list);
    }

    /** The name of an exact value, or null. */
    String name(long value) {
        for (Entry e : entries) {
            if (e.value == value) {
                return e.name;
            }
        }
        return null;
    }

    /** The name of a value, or its decimal form when unknown. */
    String value(long value) {
        String n = name(value);
        return n != null ? n : Long.toString(value);
    }

    /** The name of a value, or {@code 0x..} followed by {@code unknownComment} when unknown. */
    String valueOrHex(long value, String unknownComment) {
        String n = name(value);
        return n != null ? n : "0x" + Long.toHexString(value) + unknownComment;
    }

    /** A flag set as {@code A|B|0x40}; {@code zero} (or "0") when no bit is set. */
    String flags(long value, String zero) {
        if (value == 0) {
            return zero != null ? zero : "0";
        }
        StringBuilder sb = new StringBuilder();
        long rest = value;
        for (Entry e : entries) {
            if (e.value != 0 && (rest & e.value) == e.value) {
                append(sb, e.name);
                rest &= ~e.value;
            }
        }
        if (rest != 0) {
            append(sb, "0x" + Long.toHexString(rest));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        if (!sb.isEmpty()) {
            sb.append('|');
        }
        sb.append(s);
    }

    // ---- the tables (values from the Linux x86_64 UAPI headers) ----

    static final Xlat OPEN_ACCESS = of(0, "O_RDONLY", 1, "O_WRONLY", 2, "O_RDWR", 3, "O_ACCMODE");
    static final Xlat OPEN_FLAGS = of(
            0100, "O_CREAT", 0200, "O_EXCL", 0400, "O_NOCTTY", 01000, "O_TRUNC", 02000, "O_APPEND",
            04000, "O_NONBLOCK", 04010000, "O_SYNC", 010000, "O_DSYNC", 020000, "O_ASYNC",
            040000, "O_DIRECT", 0100000, "O_LARGEFILE", 0400000, "O_NOFOLLOW", 01000000, "O_NOATIME",
            02000000, "O_CLOEXEC", 010000000, "O_PATH", 020200000, "O_TMPFILE", 0200000, "O_DIRECTORY");
    static final Xlat AT_FLAGS = of(0x100, "AT_SYMLINK_NOFOLLOW", 0x200, "AT_REMOVEDIR",
            0x400, "AT_SYMLINK_FOLLOW", 0x800, "AT_NO_AUTOMOUNT", 0x1000, "AT_EMPTY_PATH",
            0x2000, "AT_STATX_FORCE_SYNC", 0x4000, "AT_STATX_DONT_SYNC", 0x8000, "AT_RECURSIVE");
    static final Xlat STATX_MASK = of(0x7ff, "STATX_BASIC_STATS", 1, "STATX_TYPE", 2, "STATX_MODE", 4, "STATX_NLINK",
            8, "STATX_UID", 0x10, "STATX_GID", 0x20, "STATX_ATIME", 0x40, "STATX_MTIME", 0x80, "STATX_CTIME",
            0x100, "STATX_INO", 0x200, "STATX_SIZE", 0x400, "STATX_BLOCKS", 0x800, "STATX_BTIME",
            0x1000, "STATX_MNT_ID", 0x2000, "STATX_DIOALIGN", 0x4000, "STATX_MNT_ID_UNIQUE");
    static final Xlat STATX_ATTR = of(0x4, "STATX_ATTR_COMPRESSED", 0x10, "STATX_ATTR_IMMUTABLE",
            0x20, "STATX_ATTR_APPEND", 0x40, "STATX_ATTR_NODUMP", 0x800, "STATX_ATTR_ENCRYPTED",
            0x1000, "STATX_ATTR_AUTOMOUNT", 0x2000, "STATX_ATTR_MOUNT_ROOT", 0x100000, "STATX_ATTR_VERITY",
            0x200000, "STATX_ATTR_DAX");
    static final Xlat STATX_SYNC = of(0, "AT_STATX_SYNC_AS_STAT", 0x2000, "AT_STATX_FORCE_SYNC",
            0x4000, "AT_STATX_DONT_SYNC");
    static final Xlat ACCESS = of(4, "R_OK", 2, "W_OK", 1, "X_OK");
    static final Xlat PROT = of(1, "PROT_READ", 2, "PROT_WRITE", 4, "PROT_EXEC", 8, "PROT_SEM",
            0x01000000, "PROT_GROWSDOWN", 0x02000000, "PROT_GROWSUP");
    static final Xlat MAP_TYPE = of(1, "MAP_SHARED", 2, "MAP_PRIVATE", 3, "MAP_SHARED_VALIDATE");
    static final Xlat MAP_FLAGS = of(0x10, "MAP_FIXED", 0x20, "MAP_ANONYMOUS", 0x40, "MAP_32BIT",
            0x100, "MAP_GROWSDOWN", 0x800, "MAP_DENYWRITE", 0x1000, "MAP_EXECUTABLE", 0x2000, "MAP_LOCKED",
            0x4000, "MAP_NORESERVE", 0x8000, "MAP_POPULATE", 0x10000, "MAP_NONBLOCK", 0x20000, "MAP_STACK",
            0x40000, "MAP_HUGETLB", 0x80000, "MAP_SYNC", 0x100000, "MAP_FIXED_NOREPLACE",
            0x4000000, "MAP_UNINITIALIZED");
    static final Xlat MREMAP = of(1, "MREMAP_MAYMOVE", 2, "MREMAP_FIXED", 4, "MREMAP_DONTUNMAP");
    static final Xlat MADV = of(0, "MADV_NORMAL", 1, "MADV_RANDOM", 2, "MADV_SEQUENTIAL", 3, "MADV_WILLNEED",
            4, "MADV_DONTNEED", 8, "MADV_FREE", 9, "MADV_REMOVE", 10, "MADV_DONTFORK", 11, "MADV_DOFORK",
            12, "MADV_MERGEABLE", 13, "MADV_UNMERGEABLE", 14, "MADV_HUGEPAGE", 15, "MADV_NOHUGEPAGE",
            16, "MADV_DONTDUMP", 17, "MADV_DODUMP", 18, "MADV_WIPEONFORK", 19, "MADV_KEEPONFORK",
            20, "MADV_COLD", 21, "MADV_PAGEOUT", 22, "MADV_POPULATE_READ", 23, "MADV_POPULATE_WRITE",
            24, "MADV_DONTNEED_LOCKED", 25, "MADV_COLLAPSE");
    static final Xlat WHENCE = of(0, "SEEK_SET", 1, "SEEK_CUR", 2, "SEEK_END", 3, "SEEK_DATA", 4, "SEEK_HOLE");
    static final Xlat AF = of(0, "AF_UNSPEC", 1, "AF_UNIX", 2, "AF_INET", 10, "AF_INET6", 16, "AF_NETLINK",
            17, "AF_PACKET", 38, "AF_ALG", 40, "AF_VSOCK");
    static final Xlat SOCK_TYPE = of(1, "SOCK_STREAM", 2, "SOCK_DGRAM", 3, "SOCK_RAW", 4, "SOCK_RDM",
            5, "SOCK_SEQPACKET", 6, "SOCK_DCCP", 10, "SOCK_PACKET");
    static final Xlat SOCK_FLAGS = of(02000000, "SOCK_CLOEXEC", 04000, "SOCK_NONBLOCK");
    static final Xlat IPPROTO = of(0, "IPPROTO_IP", 1, "IPPROTO_ICMP", 6, "IPPROTO_TCP", 17, "IPPROTO_UDP",
            41, "IPPROTO_IPV6", 58, "IPPROTO_ICMPV6", 132, "IPPROTO_SCTP", 255, "IPPROTO_RAW");
    static final Xlat NETLINK = of(0, "NETLINK_ROUTE", 4, "NETLINK_SOCK_DIAG", 9, "NETLINK_AUDIT",
            15, "NETLINK_KOBJECT_UEVENT");
    static final Xlat MSG = of(1, "MSG_OOB", 2, "MSG_PEEK", 4, "MSG_DONTROUTE", 8, "MSG_CTRUNC", 0x10, "MSG_PROBE",
            0x20, "MSG_TRUNC", 0x40, "MSG_DONTWAIT", 0x80, "MSG_EOR", 0x100, "MSG_WAITALL", 0x200, "MSG_FIN",
            0x400, "MSG_SYN", 0x800, "MSG_CONFIRM", 0x1000, "MSG_RST", 0x2000, "MSG_ERRQUEUE",
            0x4000, "MSG_NOSIGNAL", 0x8000, "MSG_MORE", 0x10000, "MSG_WAITFORONE", 0x40000, "MSG_BATCH",
            0x4000000, "MSG_ZEROCOPY", 0x20000000, "MSG_FASTOPEN", 0x40000000, "MSG_CMSG_CLOEXEC");
    static final Xlat SHUT = of(0, "SHUT_RD", 1, "SHUT_WR", 2, "SHUT_RDWR");
    static final Xlat SOL = of(0, "SOL_IP", 1, "SOL_SOCKET", 6, "SOL_TCP", 17, "SOL_UDP", 41, "SOL_IPV6");
    static final Xlat SO = of(1, "SO_DEBUG", 2, "SO_REUSEADDR", 3, "SO_TYPE", 4, "SO_ERROR", 5, "SO_DONTROUTE",
            6, "SO_BROADCAST", 7, "SO_SNDBUF", 8, "SO_RCVBUF", 9, "SO_KEEPALIVE", 10, "SO_OOBINLINE",
            11, "SO_NO_CHECK", 12, "SO_PRIORITY", 13, "SO_LINGER", 14, "SO_BSDCOMPAT", 15, "SO_REUSEPORT",
            16, "SO_PASSCRED", 17, "SO_PEERCRED", 18, "SO_RCVLOWAT", 19, "SO_SNDLOWAT",
            20, "SO_RCVTIMEO_OLD", 21, "SO_SNDTIMEO_OLD", 30, "SO_ACCEPTCONN", 38, "SO_PROTOCOL", 39, "SO_DOMAIN");
    static final Xlat TCP_OPT = of(1, "TCP_NODELAY", 2, "TCP_MAXSEG", 3, "TCP_CORK", 4, "TCP_KEEPIDLE",
            5, "TCP_KEEPINTVL", 6, "TCP_KEEPCNT", 9, "TCP_DEFER_ACCEPT", 11, "TCP_INFO", 13, "TCP_CONGESTION");
    static final Xlat SIGNALS = of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 5, "SIGTRAP", 6, "SIGABRT",
            7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 10, "SIGUSR1", 11, "SIGSEGV", 12, "SIGUSR2", 13, "SIGPIPE",
            14, "SIGALRM", 15, "SIGTERM", 16, "SIGSTKFLT", 17, "SIGCHLD", 18, "SIGCONT", 19, "SIGSTOP",
            20, "SIGTSTP", 21, "SIGTTIN", 22, "SIGTTOU", 23, "SIGURG", 24, "SIGXCPU", 25, "SIGXFSZ",
            26, "SIGVTALRM", 27, "SIGPROF", 28, "SIGWINCH", 29, "SIGIO", 30, "SIGPWR", 31, "SIGSYS");
    static final Xlat SA_FLAGS = of(0x04000000, "SA_RESTORER", 0x08000000, "SA_ONSTACK", 0x10000000, "SA_RESTART",
            0x40000000, "SA_NODEFER", 0x80000000L, "SA_RESETHAND", 4, "SA_SIGINFO", 1, "SA_NOCLDSTOP",
            2, "SA_NOCLDWAIT");
    static final Xlat SIG_HOW = of(0, "SIG_BLOCK", 1, "SIG_UNBLOCK", 2, "SIG_SETMASK");
    static final Xlat CLOCK = of(0, "CLOCK_REALTIME", 1, "CLOCK_MONOTONIC", 2, "CLOCK_PROCESS_CPUTIME_ID",
            3, "CLOCK_THREAD_CPUTIME_ID", 4, "CLOCK_MONOTONIC_RAW", 5, "CLOCK_REALTIME_COARSE",
            6, "CLOCK_MONOTONIC_COARSE", 7, "CLOCK_BOOTTIME", 8, "CLOCK_REALTIME_ALARM", 9, "CLOCK_BOOTTIME_ALARM",
            11, "CLOCK_TAI");
    static final Xlat TIMER_FLAGS = of(1, "TIMER_ABSTIME");
    static final Xlat FUTEX_CMD = of(0, "FUTEX_WAIT", 1, "FUTEX_WAKE", 2, "FUTEX_FD", 3, "FUTEX_REQUEUE",
            4, "FUTEX_CMP_REQUEUE", 5, "FUTEX_WAKE_OP", 6, "FUTEX_LOCK_PI", 7, "FUTEX_UNLOCK_PI",
            8, "FUTEX_TRYLOCK_PI", 9, "FUTEX_WAIT_BITSET", 10, "FUTEX_WAKE_BITSET", 11, "FUTEX_WAIT_REQUEUE_PI",
            12, "FUTEX_CMP_REQUEUE_PI", 13, "FUTEX_LOCK_PI2");
    static final Xlat FCNTL = of(0, "F_DUPFD", 1, "F_GETFD", 2, "F_SETFD", 3, "F_GETFL", 4, "F_SETFL",
            5, "F_GETLK", 6, "F_SETLK", 7, "F_SETLKW", 8, "F_SETOWN", 9, "F_GETOWN", 10, "F_SETSIG",
            11, "F_GETSIG", 15, "F_SETOWN_EX", 16, "F_GETOWN_EX", 36, "F_OFD_GETLK", 37, "F_OFD_SETLK",
            38, "F_OFD_SETLKW", 1024, "F_SETLEASE", 1025, "F_GETLEASE", 1026, "F_NOTIFY",
            1030, "F_DUPFD_CLOEXEC", 1031, "F_SETPIPE_SZ", 1032, "F_GETPIPE_SZ", 1033, "F_ADD_SEALS",
            1034, "F_GET_SEALS");
    static final Xlat FD_FLAGS = of(1, "FD_CLOEXEC");
    static final Xlat IOCTL = of(0x5401, "TCGETS", 0x5402, "TCSETS", 0x5403, "TCSETSW", 0x5404, "TCSETSF",
            0x540E, "TIOCSCTTY", 0x540F, "TIOCGPGRP", 0x5410, "TIOCSPGRP", 0x5413, "TIOCGWINSZ",
            0x5414, "TIOCSWINSZ", 0x541B, "FIONREAD", 0x5421, "FIONBIO", 0x5450, "FIONCLEX", 0x5451, "FIOCLEX",
            0x5452, "FIOASYNC", 0x80045430L, "TIOCGPTN", 0x40045431, "TIOCSPTLCK");
    static final Xlat CLONE_FLAGS = of(0x100, "CLONE_VM", 0x200, "CLONE_FS", 0x400, "CLONE_FILES",
            0x800, "CLONE_SIGHAND", 0x1000, "CLONE_PIDFD", 0x2000, "CLONE_PTRACE", 0x4000, "CLONE_VFORK",
            0x8000, "CLONE_PARENT", 0x10000, "CLONE_THREAD", 0x20000, "CLONE_NEWNS", 0x40000, "CLONE_SYSVSEM",
            0x80000, "CLONE_SETTLS", 0x100000, "CLONE_PARENT_SETTID", 0x200000, "CLONE_CHILD_CLEARTID",
            0x400000, "CLONE_DETACHED", 0x800000, "CLONE_UNTRACED", 0x1000000, "CLONE_CHILD_SETTID",
            0x2000000, "CLONE_NEWCGROUP", 0x4000000, "CLONE_NEWUTS", 0x8000000, "CLONE_NEWIPC",
            0x10000000, "CLONE_NEWUSER", 0x20000000, "CLONE_NEWPID", 0x40000000, "CLONE_NEWNET",
            0x80000000L, "CLONE_IO");
    static final Xlat WAIT_OPTIONS = of(1, "WNOHANG", 2, "WSTOPPED", 4, "WEXITED", 8, "WCONTINUED",
            0x01000000, "WNOWAIT", 0x20000000, "__WNOTHREAD", 0x40000000, "__WALL", 0x80000000L, "__WCLONE");
    static final Xlat RLIMIT = of(0, "RLIMIT_CPU", 1, "RLIMIT_FSIZE", 2, "RLIMIT_DATA", 3, "RLIMIT_STACK",
            4, "RLIMIT_CORE", 5, "RLIMIT_RSS", 6, "RLIMIT_NPROC", 7, "RLIMIT_NOFILE", 8, "RLIMIT_MEMLOCK",
            9, "RLIMIT_AS", 10, "RLIMIT_LOCKS", 11, "RLIMIT_SIGPENDING", 12, "RLIMIT_MSGQUEUE",
            13, "RLIMIT_NICE", 14, "RLIMIT_RTPRIO", 15, "RLIMIT_RTTIME");
    static final Xlat ARCH_PRCTL = of(0x1001, "ARCH_SET_GS", 0x1002, "ARCH_SET_FS", 0x1003, "ARCH_GET_FS",
            0x1004, "ARCH_GET_GS", 0x1011, "ARCH_GET_CPUID", 0x1012, "ARCH_SET_CPUID",
            0x3001, "ARCH_CET_STATUS");
    static final Xlat PRCTL = of(1, "PR_SET_PDEATHSIG", 2, "PR_GET_PDEATHSIG", 3, "PR_GET_DUMPABLE",
            4, "PR_SET_DUMPABLE", 15, "PR_SET_NAME", 16, "PR_GET_NAME", 21, "PR_GET_SECCOMP",
            22, "PR_SET_SECCOMP", 23, "PR_CAPBSET_READ", 26, "PR_SET_TSC", 36, "PR_SET_CHILD_SUBREAPER",
            38, "PR_SET_NO_NEW_PRIVS", 39, "PR_GET_NO_NEW_PRIVS", 0x59616d61, "PR_SET_PTRACER",
            0x53564d41, "PR_SET_VMA");
    static final Xlat GRND = of(1, "GRND_NONBLOCK", 2, "GRND_RANDOM", 4, "GRND_INSECURE");
    static final Xlat EPOLL_CTL = of(1, "EPOLL_CTL_ADD", 2, "EPOLL_CTL_DEL", 3, "EPOLL_CTL_MOD");
    static final Xlat POLL_EVENTS = of(1, "POLLIN", 2, "POLLPRI", 4, "POLLOUT", 8, "POLLERR", 0x10, "POLLHUP",
            0x20, "POLLNVAL", 0x40, "POLLRDNORM", 0x80, "POLLRDBAND", 0x100, "POLLWRNORM", 0x200, "POLLWRBAND",
            0x400, "POLLMSG", 0x2000, "POLLRDHUP");
    static final Xlat FILE_TYPE = of(0140000, "S_IFSOCK", 0120000, "S_IFLNK", 0100000, "S_IFREG",
            060000, "S_IFBLK", 040000, "S_IFDIR", 020000, "S_IFCHR", 010000, "S_IFIFO");
    static final Xlat MODE_BITS = of(04000, "S_ISUID", 02000, "S_ISGID", 01000, "S_ISVTX");
}
