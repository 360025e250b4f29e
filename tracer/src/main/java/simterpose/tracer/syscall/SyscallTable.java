package simterpose.tracer.syscall;

import static simterpose.tracer.syscall.Arg.*;
import static simterpose.tracer.syscall.Ret.*;
import static simterpose.tracer.syscall.SyscallClass.*;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every x86_64 Linux syscall, one row each: number, name, argument count, strace classes,
 * return format and argument decoders: kernel facts only. Names, {@code -e trace=} classes, the
 * seccomp filter and the decoders read this one table; what a simulation does with a syscall is
 * the simulator's own table, keyed by these rows. Numbers and names are those of the kernel's
 * {@code syscall_64.tbl}; argument counts
 * and classes are strace's ({@code src/linux/x86_64/syscallent.h}). Rows with {@code RAW} have no
 * decoder of their own: their arguments print in hex, as strace's printargs does.
 *
 * <p>Immutable after class initialisation; safe to read from any thread.
 */
public final class SyscallTable {
    private SyscallTable() {}

    private static final List<Arg> RAW = List.of();

    private static List<Arg> args(Arg... kinds) {
        return List.of(kinds);
    }

    private static Set<SyscallClass> c(SyscallClass... classes) {
        return classes.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(classes));
    }

    private static Syscall row(int nr, String name, int argc, Set<SyscallClass> classes, Ret ret, List<Arg> args) {
        return new Syscall(nr, name, argc, classes, ret, args);
    }

    private static final List<Syscall> ROWS = List.of(
        row(0, "read", 3, c(DESC), DECIMAL, args(FD, OBUF, SIZE)),
        row(1, "write", 3, c(DESC), DECIMAL, args(FD, IBUF, SIZE)),
        row(2, "open", 3, c(DESC, FILE), DECIMAL, args(PATH, OFLAGS, OMODE)),
        row(3, "close", 1, c(DESC), DECIMAL, args(FD)),
        row(4, "stat", 2, c(FILE, STAT, STAT_LIKE), DECIMAL, args(PATH, OSTAT)),
        row(5, "fstat", 2, c(DESC, FSTAT, STAT_LIKE), DECIMAL, args(FD, OSTAT)),
        row(6, "lstat", 2, c(FILE, LSTAT, STAT_LIKE), DECIMAL, args(PATH, OSTAT)),
        row(7, "poll", 3, c(DESC), DECIMAL, args(IPOLLFDS, UINT, INT)),
        row(8, "lseek", 3, c(DESC), DECIMAL, args(FD, LONG, WHENCE)),
        row(9, "mmap", 6, c(DESC, MEMORY), HEXADECIMAL, args(PTR, SIZE, PROT, MAPFLAGS, FD, HEX)),
        row(10, "mprotect", 3, c(MEMORY), DECIMAL, args(PTR, SIZE, PROT)),
        row(11, "munmap", 2, c(MEMORY), DECIMAL, args(PTR, SIZE)),
        row(12, "brk", 1, c(MEMORY), HEXADECIMAL, args(PTR)),
        row(13, "rt_sigaction", 4, c(SIGNAL), DECIMAL, args(SIG, ISIGACTION, OSIGACTION, SIZE)),
        row(14, "rt_sigprocmask", 4, c(SIGNAL), DECIMAL, args(SIGHOW, ISIGSET, OSIGSET, SIZE)),
        row(15, "rt_sigreturn", 0, c(SIGNAL), DECIMAL, args()),
        row(16, "ioctl", 3, c(DESC), DECIMAL, args(FD, IOCTLREQ, SKIP)),
        row(17, "pread64", 4, c(DESC), DECIMAL, args(FD, OBUF, SIZE, LONG)),
        row(18, "pwrite64", 4, c(DESC), DECIMAL, args(FD, IBUF, SIZE, LONG)),
        row(19, "readv", 3, c(DESC), DECIMAL, args(FD, OIOVEC, INT)),
        row(20, "writev", 3, c(DESC), DECIMAL, args(FD, IIOVEC, INT)),
        row(21, "access", 2, c(FILE), DECIMAL, args(PATH, ACCESS)),
        row(22, "pipe", 1, c(DESC), DECIMAL, args(OFDPAIR)),
        row(23, "select", 5, c(DESC), DECIMAL, RAW),
        row(24, "sched_yield", 0, c(), DECIMAL, args()),
        row(25, "mremap", 5, c(MEMORY), HEXADECIMAL, args(PTR, SIZE, SIZE, MREMAPFLAGS, PTR)),
        row(26, "msync", 3, c(MEMORY), DECIMAL, args(PTR, SIZE, INT)),
        row(27, "mincore", 3, c(MEMORY), DECIMAL, args(PTR, SIZE, PTR)),
        row(28, "madvise", 3, c(MEMORY), DECIMAL, args(PTR, SIZE, MADV)),
        row(29, "shmget", 3, c(IPC), DECIMAL, RAW),
        row(30, "shmat", 3, c(IPC, MEMORY), HEXADECIMAL, RAW),
        row(31, "shmctl", 3, c(IPC), DECIMAL, RAW),
        row(32, "dup", 1, c(DESC), DECIMAL, args(FD)),
        row(33, "dup2", 2, c(DESC), DECIMAL, args(FD, FD)),
        row(34, "pause", 0, c(SIGNAL), DECIMAL, args()),
        row(35, "nanosleep", 2, c(), DECIMAL, args(ITIMESPEC, PTR)),
        row(36, "getitimer", 2, c(), DECIMAL, args(INT, OITIMERVAL)),
        row(37, "alarm", 1, c(), DECIMAL, args(UINT)),
        row(38, "setitimer", 3, c(), DECIMAL, args(INT, PTR, OITIMERVAL)),
        row(39, "getpid", 0, c(PURE), DECIMAL, args()),
        row(40, "sendfile", 4, c(DESC, NETWORK), DECIMAL, args(FD, FD, PTR, SIZE)),
        row(41, "socket", 3, c(NETWORK), DECIMAL, args(AF, SOCKTYPE, SOCKPROTO)),
        row(42, "connect", 3, c(NETWORK), DECIMAL, args(FD, ISOCKADDR, INT)),
        row(43, "accept", 3, c(NETWORK), DECIMAL, args(FD, OSOCKADDR, OSOCKLEN)),
        row(44, "sendto", 6, c(NETWORK), DECIMAL, args(FD, IBUF, SIZE, MSGFLAGS, ISOCKADDR, INT)),
        row(45, "recvfrom", 6, c(NETWORK), DECIMAL, args(FD, OBUF, SIZE, MSGFLAGS, OSOCKADDR, OSOCKLEN)),
        row(46, "sendmsg", 3, c(NETWORK), DECIMAL, args(FD, PTR, MSGFLAGS)),
        row(47, "recvmsg", 3, c(NETWORK), DECIMAL, args(FD, OMSGHDR, MSGFLAGS)),
        row(48, "shutdown", 2, c(NETWORK), DECIMAL, args(FD, SHUTHOW)),
        row(49, "bind", 3, c(NETWORK), DECIMAL, args(FD, ISOCKADDR, INT)),
        row(50, "listen", 2, c(NETWORK), DECIMAL, args(FD, INT)),
        row(51, "getsockname", 3, c(NETWORK), DECIMAL, args(FD, OSOCKADDR, OSOCKLEN)),
        row(52, "getpeername", 3, c(NETWORK), DECIMAL, args(FD, OSOCKADDR, OSOCKLEN)),
        row(53, "socketpair", 4, c(NETWORK), DECIMAL, args(AF, SOCKTYPE, SOCKPROTO, OFDPAIR)),
        row(54, "setsockopt", 5, c(NETWORK), DECIMAL, args(FD, SOCKLEVEL, SOCKOPT, ISOCKOPTVAL, INT)),
        row(55, "getsockopt", 5, c(NETWORK), DECIMAL, args(FD, SOCKLEVEL, SOCKOPT, OSOCKOPTVAL, OSOCKLEN)),
        row(56, "clone", 5, c(PROCESS), DECIMAL, args(CLONE, SKIP, SKIP, SKIP, SKIP)),
        row(57, "fork", 0, c(PROCESS), DECIMAL, args()),
        row(58, "vfork", 0, c(PROCESS), DECIMAL, args()),
        row(59, "execve", 3, c(FILE, PROCESS), DECIMAL, args(PATH, ARGV, ENVP)),
        row(60, "exit", 1, c(PROCESS), NO_RETURN, args(INT)),
        row(61, "wait4", 4, c(PROCESS), DECIMAL, args(INT, OWSTATUS, WAITOPTS, ORUSAGE)),
        row(62, "kill", 2, c(SIGNAL, PROCESS), DECIMAL, args(INT, SIG)),
        row(63, "uname", 1, c(), DECIMAL, args(OUTSNAME)),
        row(64, "semget", 3, c(IPC), DECIMAL, RAW),
        row(65, "semop", 3, c(IPC), DECIMAL, RAW),
        row(66, "semctl", 4, c(IPC), DECIMAL, RAW),
        row(67, "shmdt", 1, c(IPC, MEMORY), DECIMAL, RAW),
        row(68, "msgget", 2, c(IPC), DECIMAL, RAW),
        row(69, "msgsnd", 4, c(IPC), DECIMAL, RAW),
        row(70, "msgrcv", 5, c(IPC), DECIMAL, RAW),
        row(71, "msgctl", 3, c(IPC), DECIMAL, RAW),
        row(72, "fcntl", 3, c(DESC), DECIMAL, args(FD, FCNTLCMD, SKIP)),
        row(73, "flock", 2, c(DESC), DECIMAL, args(FD, INT)),
        row(74, "fsync", 1, c(DESC), DECIMAL, args(FD)),
        row(75, "fdatasync", 1, c(DESC), DECIMAL, args(FD)),
        row(76, "truncate", 2, c(FILE), DECIMAL, args(PATH, LONG)),
        row(77, "ftruncate", 2, c(DESC), DECIMAL, args(FD, LONG)),
        row(78, "getdents", 3, c(DESC), DECIMAL, args(FD, ODIRENTS, SIZE)),
        row(79, "getcwd", 2, c(FILE), DECIMAL, args(OPATH, SIZE)),
        row(80, "chdir", 1, c(FILE), DECIMAL, args(PATH)),
        row(81, "fchdir", 1, c(DESC), DECIMAL, args(FD)),
        row(82, "rename", 2, c(FILE), DECIMAL, args(PATH, PATH)),
        row(83, "mkdir", 2, c(FILE), DECIMAL, args(PATH, MODE)),
        row(84, "rmdir", 1, c(FILE), DECIMAL, args(PATH)),
        row(85, "creat", 2, c(DESC, FILE), DECIMAL, args(PATH, MODE)),
        row(86, "link", 2, c(FILE), DECIMAL, args(PATH, PATH)),
        row(87, "unlink", 1, c(FILE), DECIMAL, args(PATH)),
        row(88, "symlink", 2, c(FILE), DECIMAL, args(PATH, PATH)),
        row(89, "readlink", 3, c(FILE), DECIMAL, args(PATH, OBUF, SIZE)),
        row(90, "chmod", 2, c(FILE), DECIMAL, args(PATH, MODE)),
        row(91, "fchmod", 2, c(DESC), DECIMAL, args(FD, MODE)),
        row(92, "chown", 3, c(FILE), DECIMAL, args(PATH, INT, INT)),
        row(93, "fchown", 3, c(DESC), DECIMAL, args(FD, INT, INT)),
        row(94, "lchown", 3, c(FILE), DECIMAL, args(PATH, INT, INT)),
        row(95, "umask", 1, c(), OCTAL, args(MODE)),
        row(96, "gettimeofday", 2, c(CLOCK), DECIMAL, args(OTIMEVAL, PTR)),
        row(97, "getrlimit", 2, c(), DECIMAL, args(RLIMITRES, ORLIMIT)),
        row(98, "getrusage", 2, c(), DECIMAL, args(INT, ORUSAGE)),
        row(99, "sysinfo", 1, c(), DECIMAL, args(OSYSINFO)),
        row(100, "times", 1, c(), DECIMAL, args(OTMS)),
        row(101, "ptrace", 4, c(), DECIMAL, RAW),
        row(102, "getuid", 0, c(CREDS, PURE), DECIMAL, args()),
        row(103, "syslog", 3, c(), DECIMAL, RAW),
        row(104, "getgid", 0, c(CREDS, PURE), DECIMAL, args()),
        row(105, "setuid", 1, c(CREDS), DECIMAL, args(INT)),
        row(106, "setgid", 1, c(CREDS), DECIMAL, args(INT)),
        row(107, "geteuid", 0, c(CREDS, PURE), DECIMAL, args()),
        row(108, "getegid", 0, c(CREDS, PURE), DECIMAL, args()),
        row(109, "setpgid", 2, c(), DECIMAL, args(INT, INT)),
        row(110, "getppid", 0, c(PURE), DECIMAL, args()),
        row(111, "getpgrp", 0, c(PURE), DECIMAL, args()),
        row(112, "setsid", 0, c(), DECIMAL, args()),
        row(113, "setreuid", 2, c(CREDS), DECIMAL, RAW),
        row(114, "setregid", 2, c(CREDS), DECIMAL, RAW),
        row(115, "getgroups", 2, c(CREDS), DECIMAL, args(INT, OGROUPS)),
        row(116, "setgroups", 2, c(CREDS), DECIMAL, RAW),
        row(117, "setresuid", 3, c(CREDS), DECIMAL, RAW),
        row(118, "getresuid", 3, c(CREDS), DECIMAL, args(OINT, OINT, OINT)),
        row(119, "setresgid", 3, c(CREDS), DECIMAL, RAW),
        row(120, "getresgid", 3, c(CREDS), DECIMAL, args(OINT, OINT, OINT)),
        row(121, "getpgid", 1, c(), DECIMAL, args(INT)),
        row(122, "setfsuid", 1, c(CREDS), DECIMAL, RAW),
        row(123, "setfsgid", 1, c(CREDS), DECIMAL, RAW),
        row(124, "getsid", 1, c(), DECIMAL, args(INT)),
        row(125, "capget", 2, c(CREDS), DECIMAL, RAW),
        row(126, "capset", 2, c(CREDS), DECIMAL, RAW),
        row(127, "rt_sigpending", 2, c(SIGNAL), DECIMAL, RAW),
        row(128, "rt_sigtimedwait", 4, c(SIGNAL), DECIMAL, RAW),
        row(129, "rt_sigqueueinfo", 3, c(SIGNAL, PROCESS), DECIMAL, RAW),
        row(130, "rt_sigsuspend", 2, c(SIGNAL), DECIMAL, args(ISIGSET, SIZE)),
        row(131, "sigaltstack", 2, c(SIGNAL), DECIMAL, args(PTR, PTR)),
        row(132, "utime", 2, c(FILE), DECIMAL, args(PATH, PTR)),
        row(133, "mknod", 3, c(FILE), DECIMAL, args(PATH, MODE, UINT)),
        row(134, "uselib", 1, c(FILE), DECIMAL, RAW),
        row(135, "personality", 1, c(), DECIMAL, args(HEX)),
        row(136, "ustat", 2, c(STATFS_LIKE), DECIMAL, RAW),
        row(137, "statfs", 2, c(FILE, STATFS, STATFS_LIKE), DECIMAL, args(PATH, OSTATFS)),
        row(138, "fstatfs", 2, c(DESC, FSTATFS, STATFS_LIKE), DECIMAL, args(FD, OSTATFS)),
        row(139, "sysfs", 3, c(), DECIMAL, RAW),
        row(140, "getpriority", 2, c(), DECIMAL, args(INT, INT)),
        row(141, "setpriority", 3, c(), DECIMAL, args(INT, INT, INT)),
        row(142, "sched_setparam", 2, c(), DECIMAL, RAW),
        row(143, "sched_getparam", 2, c(), DECIMAL, args(INT, OINT)),
        row(144, "sched_setscheduler", 3, c(), DECIMAL, args(INT, INT, PTR)),
        row(145, "sched_getscheduler", 1, c(), DECIMAL, args(INT)),
        row(146, "sched_get_priority_max", 1, c(), DECIMAL, args(INT)),
        row(147, "sched_get_priority_min", 1, c(), DECIMAL, args(INT)),
        row(148, "sched_rr_get_interval", 2, c(), DECIMAL, RAW),
        row(149, "mlock", 2, c(MEMORY), DECIMAL, args(PTR, SIZE)),
        row(150, "munlock", 2, c(MEMORY), DECIMAL, args(PTR, SIZE)),
        row(151, "mlockall", 1, c(MEMORY), DECIMAL, RAW),
        row(152, "munlockall", 0, c(MEMORY), DECIMAL, RAW),
        row(153, "vhangup", 0, c(), DECIMAL, RAW),
        row(154, "modify_ldt", 3, c(), DECIMAL, RAW),
        row(155, "pivot_root", 2, c(FILE), DECIMAL, RAW),
        row(156, "_sysctl", 1, c(), DECIMAL, RAW),
        row(157, "prctl", 5, c(CREDS), DECIMAL, args(PRCTLOP, HEX, HEX, HEX, HEX)),
        row(158, "arch_prctl", 2, c(), DECIMAL, args(ARCHCODE, HEX)),
        row(159, "adjtimex", 1, c(CLOCK), DECIMAL, RAW),
        row(160, "setrlimit", 2, c(), DECIMAL, RAW),
        row(161, "chroot", 1, c(FILE), DECIMAL, args(PATH)),
        row(162, "sync", 0, c(), DECIMAL, args()),
        row(163, "acct", 1, c(FILE), DECIMAL, RAW),
        row(164, "settimeofday", 2, c(CLOCK), DECIMAL, args(PTR, PTR)),
        row(165, "mount", 5, c(FILE), DECIMAL, RAW),
        row(166, "umount2", 2, c(FILE), DECIMAL, RAW),
        row(167, "swapon", 2, c(FILE), DECIMAL, RAW),
        row(168, "swapoff", 1, c(FILE), DECIMAL, RAW),
        row(169, "reboot", 4, c(), DECIMAL, RAW),
        row(170, "sethostname", 2, c(), DECIMAL, RAW),
        row(171, "setdomainname", 2, c(), DECIMAL, RAW),
        row(172, "iopl", 1, c(), DECIMAL, RAW),
        row(173, "ioperm", 3, c(), DECIMAL, RAW),
        row(174, "create_module", 2, c(), DECIMAL, RAW),
        row(175, "init_module", 3, c(), DECIMAL, RAW),
        row(176, "delete_module", 2, c(), DECIMAL, RAW),
        row(177, "get_kernel_syms", 1, c(), DECIMAL, RAW),
        row(178, "query_module", 5, c(), DECIMAL, RAW),
        row(179, "quotactl", 4, c(FILE), DECIMAL, RAW),
        row(180, "nfsservctl", 3, c(), DECIMAL, RAW),
        row(181, "getpmsg", 5, c(NETWORK), DECIMAL, RAW),
        row(182, "putpmsg", 5, c(NETWORK), DECIMAL, RAW),
        row(183, "afs_syscall", 5, c(), DECIMAL, RAW),
        row(184, "tuxcall", 3, c(), DECIMAL, RAW),
        row(185, "security", 3, c(), DECIMAL, RAW),
        row(186, "gettid", 0, c(PURE), DECIMAL, args()),
        row(187, "readahead", 3, c(DESC), DECIMAL, RAW),
        row(188, "setxattr", 5, c(FILE), DECIMAL, RAW),
        row(189, "lsetxattr", 5, c(FILE), DECIMAL, RAW),
        row(190, "fsetxattr", 5, c(DESC), DECIMAL, RAW),
        row(191, "getxattr", 4, c(FILE), DECIMAL, RAW),
        row(192, "lgetxattr", 4, c(FILE), DECIMAL, RAW),
        row(193, "fgetxattr", 4, c(DESC), DECIMAL, RAW),
        row(194, "listxattr", 3, c(FILE), DECIMAL, RAW),
        row(195, "llistxattr", 3, c(FILE), DECIMAL, RAW),
        row(196, "flistxattr", 3, c(DESC), DECIMAL, RAW),
        row(197, "removexattr", 2, c(FILE), DECIMAL, RAW),
        row(198, "lremovexattr", 2, c(FILE), DECIMAL, RAW),
        row(199, "fremovexattr", 2, c(DESC), DECIMAL, RAW),
        row(200, "tkill", 2, c(SIGNAL, PROCESS), DECIMAL, args(INT, SIG)),
        row(201, "time", 1, c(CLOCK), DECIMAL, args(OTIME)),
        row(202, "futex", 6, c(), DECIMAL, args(PTR, FUTEXOP, SKIP, SKIP, SKIP, SKIP)),
        row(203, "sched_setaffinity", 3, c(), DECIMAL, args(INT, UINT, PTR)),
        row(204, "sched_getaffinity", 3, c(), DECIMAL, args(INT, UINT, OCPUSET)),
        row(205, "set_thread_area", 1, c(), DECIMAL, RAW),
        row(206, "io_setup", 2, c(MEMORY), DECIMAL, RAW),
        row(207, "io_destroy", 1, c(MEMORY), DECIMAL, RAW),
        row(208, "io_getevents", 5, c(), DECIMAL, RAW),
        row(209, "io_submit", 3, c(), DECIMAL, RAW),
        row(210, "io_cancel", 3, c(), DECIMAL, RAW),
        row(211, "get_thread_area", 1, c(), DECIMAL, RAW),
        row(212, "lookup_dcookie", 3, c(), DECIMAL, RAW),
        row(213, "epoll_create", 1, c(DESC), DECIMAL, args(INT)),
        row(214, "epoll_ctl_old", 4, c(), DECIMAL, RAW),
        row(215, "epoll_wait_old", 4, c(), DECIMAL, RAW),
        row(216, "remap_file_pages", 5, c(MEMORY), DECIMAL, RAW),
        row(217, "getdents64", 3, c(DESC), DECIMAL, args(FD, ODIRENTS, SIZE)),
        row(218, "set_tid_address", 1, c(), DECIMAL, args(PTR)),
        row(219, "restart_syscall", 0, c(), DECIMAL, args()),
        row(220, "semtimedop", 4, c(IPC), DECIMAL, RAW),
        row(221, "fadvise64", 4, c(DESC), DECIMAL, args(FD, LONG, LONG, INT)),
        row(222, "timer_create", 3, c(), DECIMAL, RAW),
        row(223, "timer_settime", 4, c(), DECIMAL, RAW),
        row(224, "timer_gettime", 2, c(), DECIMAL, RAW),
        row(225, "timer_getoverrun", 1, c(), DECIMAL, RAW),
        row(226, "timer_delete", 1, c(), DECIMAL, RAW),
        row(227, "clock_settime", 2, c(CLOCK), DECIMAL, RAW),
        row(228, "clock_gettime", 2, c(CLOCK), DECIMAL, args(CLOCKID, OTIMESPEC)),
        row(229, "clock_getres", 2, c(CLOCK), DECIMAL, args(CLOCKID, OTIMESPEC)),
        row(230, "clock_nanosleep", 4, c(), DECIMAL, args(CLOCKID, TIMERFLAGS, ITIMESPEC, PTR)),
        row(231, "exit_group", 1, c(PROCESS), NO_RETURN, args(INT)),
        row(232, "epoll_wait", 4, c(DESC), DECIMAL, args(FD, OEPOLLEVENTS, INT, INT)),
        row(233, "epoll_ctl", 4, c(DESC), DECIMAL, args(FD, EPOLLOP, FD, PTR)),
        row(234, "tgkill", 3, c(SIGNAL, PROCESS), DECIMAL, args(INT, INT, SIG)),
        row(235, "utimes", 2, c(FILE), DECIMAL, args(PATH, PTR)),
        row(236, "vserver", 5, c(), DECIMAL, RAW),
        row(237, "mbind", 6, c(MEMORY), DECIMAL, RAW),
        row(238, "set_mempolicy", 3, c(MEMORY), DECIMAL, RAW),
        row(239, "get_mempolicy", 5, c(MEMORY), DECIMAL, RAW),
        row(240, "mq_open", 4, c(DESC), DECIMAL, RAW),
        row(241, "mq_unlink", 1, c(), DECIMAL, RAW),
        row(242, "mq_timedsend", 5, c(DESC), DECIMAL, RAW),
        row(243, "mq_timedreceive", 5, c(DESC), DECIMAL, RAW),
        row(244, "mq_notify", 2, c(DESC), DECIMAL, RAW),
        row(245, "mq_getsetattr", 3, c(DESC), DECIMAL, RAW),
        row(246, "kexec_load", 4, c(), DECIMAL, RAW),
        row(247, "waitid", 5, c(PROCESS), DECIMAL, args(INT, INT, OSIGINFO, WAITOPTS, ORUSAGE)),
        row(248, "add_key", 5, c(), DECIMAL, RAW),
        row(249, "request_key", 4, c(), DECIMAL, RAW),
        row(250, "keyctl", 5, c(), DECIMAL, RAW),
        row(251, "ioprio_set", 3, c(), DECIMAL, RAW),
        row(252, "ioprio_get", 2, c(), DECIMAL, RAW),
        row(253, "inotify_init", 0, c(DESC), DECIMAL, RAW),
        row(254, "inotify_add_watch", 3, c(DESC, FILE), DECIMAL, args(FD, PATH, HEX)),
        row(255, "inotify_rm_watch", 2, c(DESC), DECIMAL, args(FD, INT)),
        row(256, "migrate_pages", 4, c(MEMORY), DECIMAL, RAW),
        row(257, "openat", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, OFLAGS, OMODE)),
        row(258, "mkdirat", 3, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, MODE)),
        row(259, "mknodat", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, MODE, UINT)),
        row(260, "fchownat", 5, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, INT, INT, ATFLAGS)),
        row(261, "futimesat", 3, c(DESC, FILE), DECIMAL, RAW),
        row(262, "newfstatat", 4, c(DESC, FILE, FSTAT, STAT_LIKE), DECIMAL, args(DIRFD, PATH, OSTAT, ATFLAGS)),
        row(263, "unlinkat", 3, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, ATFLAGS)),
        row(264, "renameat", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, DIRFD, PATH)),
        row(265, "linkat", 5, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, DIRFD, PATH, ATFLAGS)),
        row(266, "symlinkat", 3, c(DESC, FILE), DECIMAL, args(PATH, DIRFD, PATH)),
        row(267, "readlinkat", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, OBUF, SIZE)),
        row(268, "fchmodat", 3, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, MODE)),
        row(269, "faccessat", 3, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, ACCESS)),
        row(270, "pselect6", 6, c(DESC), DECIMAL, args(INT, PTR, PTR, PTR, ITIMESPEC, PTR)),
        row(271, "ppoll", 5, c(DESC), DECIMAL, args(IPOLLFDS, UINT, ITIMESPEC, ISIGSET, SIZE)),
        row(272, "unshare", 1, c(), DECIMAL, args(HEX)),
        row(273, "set_robust_list", 2, c(), DECIMAL, args(PTR, SIZE)),
        row(274, "get_robust_list", 3, c(), DECIMAL, RAW),
        row(275, "splice", 6, c(DESC), DECIMAL, args(FD, PTR, FD, PTR, SIZE, UINT)),
        row(276, "tee", 4, c(DESC), DECIMAL, RAW),
        row(277, "sync_file_range", 4, c(DESC), DECIMAL, RAW),
        row(278, "vmsplice", 4, c(DESC), DECIMAL, RAW),
        row(279, "move_pages", 6, c(MEMORY), DECIMAL, RAW),
        row(280, "utimensat", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, PTR, ATFLAGS)),
        row(281, "epoll_pwait", 6, c(DESC), DECIMAL, args(FD, OEPOLLEVENTS, INT, INT, ISIGSET, SIZE)),
        row(282, "signalfd", 3, c(DESC, SIGNAL), DECIMAL, RAW),
        row(283, "timerfd_create", 2, c(DESC), DECIMAL, args(CLOCKID, OFLAGS0)),
        row(284, "eventfd", 1, c(DESC), DECIMAL, args(UINT)),
        row(285, "fallocate", 4, c(DESC), DECIMAL, args(FD, INT, LONG, LONG)),
        row(286, "timerfd_settime", 4, c(DESC), DECIMAL, RAW),
        row(287, "timerfd_gettime", 2, c(DESC), DECIMAL, RAW),
        row(288, "accept4", 4, c(NETWORK), DECIMAL, args(FD, OSOCKADDR, OSOCKLEN, SOCKFLAGS)),
        row(289, "signalfd4", 4, c(DESC, SIGNAL), DECIMAL, RAW),
        row(290, "eventfd2", 2, c(DESC), DECIMAL, args(UINT, OFLAGS0)),
        row(291, "epoll_create1", 1, c(DESC), DECIMAL, args(OFLAGS0)),
        row(292, "dup3", 3, c(DESC), DECIMAL, args(FD, FD, OFLAGS0)),
        row(293, "pipe2", 2, c(DESC), DECIMAL, args(OFDPAIR, OFLAGS0)),
        row(294, "inotify_init1", 1, c(DESC), DECIMAL, args(OFLAGS0)),
        row(295, "preadv", 4, c(DESC), DECIMAL, args(FD, OIOVEC, INT, LONG)),
        row(296, "pwritev", 4, c(DESC), DECIMAL, args(FD, IIOVEC, INT, LONG)),
        row(297, "rt_tgsigqueueinfo", 4, c(PROCESS, SIGNAL), DECIMAL, RAW),
        row(298, "perf_event_open", 5, c(DESC), DECIMAL, RAW),
        row(299, "recvmmsg", 5, c(NETWORK), DECIMAL, args(FD, PTR, UINT, MSGFLAGS, PTR)),
        row(300, "fanotify_init", 2, c(DESC), DECIMAL, RAW),
        row(301, "fanotify_mark", 5, c(DESC, FILE), DECIMAL, RAW),
        row(302, "prlimit64", 4, c(), DECIMAL, args(INT, RLIMITRES, IRLIMIT, ORLIMIT)),
        row(303, "name_to_handle_at", 5, c(DESC, FILE), DECIMAL, RAW),
        row(304, "open_by_handle_at", 3, c(DESC), DECIMAL, RAW),
        row(305, "clock_adjtime", 2, c(CLOCK), DECIMAL, RAW),
        row(306, "syncfs", 1, c(DESC), DECIMAL, args(FD)),
        row(307, "sendmmsg", 4, c(NETWORK), DECIMAL, args(FD, PTR, UINT, MSGFLAGS)),
        row(308, "setns", 2, c(DESC), DECIMAL, args(FD, INT)),
        row(309, "getcpu", 3, c(), DECIMAL, args(OINT, OINT, PTR)),
        row(310, "process_vm_readv", 6, c(), DECIMAL, RAW),
        row(311, "process_vm_writev", 6, c(), DECIMAL, RAW),
        row(312, "kcmp", 5, c(), DECIMAL, RAW),
        row(313, "finit_module", 3, c(DESC), DECIMAL, RAW),
        row(314, "sched_setattr", 3, c(), DECIMAL, RAW),
        row(315, "sched_getattr", 4, c(), DECIMAL, RAW),
        row(316, "renameat2", 5, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, DIRFD, PATH, UINT)),
        row(317, "seccomp", 3, c(), DECIMAL, args(UINT, UINT, PTR)),
        row(318, "getrandom", 3, c(), DECIMAL, args(ORANDOM, SIZE, GRNDFLAGS)),
        row(319, "memfd_create", 2, c(DESC), DECIMAL, args(STR, OFLAGS0)),
        row(320, "kexec_file_load", 5, c(DESC), DECIMAL, RAW),
        row(321, "bpf", 3, c(DESC), DECIMAL, RAW),
        row(322, "execveat", 5, c(DESC, FILE, PROCESS), DECIMAL, args(DIRFD, PATH, ARGV, ENVP, ATFLAGS)),
        row(323, "userfaultfd", 1, c(DESC), DECIMAL, RAW),
        row(324, "membarrier", 3, c(), DECIMAL, args(INT, UINT, INT)),
        row(325, "mlock2", 3, c(MEMORY), DECIMAL, RAW),
        row(326, "copy_file_range", 6, c(DESC), DECIMAL, args(FD, PTR, FD, PTR, SIZE, UINT)),
        row(327, "preadv2", 6, c(DESC), DECIMAL, RAW),
        row(328, "pwritev2", 6, c(DESC), DECIMAL, RAW),
        row(329, "pkey_mprotect", 4, c(MEMORY), DECIMAL, RAW),
        row(330, "pkey_alloc", 2, c(), DECIMAL, RAW),
        row(331, "pkey_free", 1, c(), DECIMAL, RAW),
        row(332, "statx", 5, c(DESC, FILE, FSTAT, STAT_LIKE), DECIMAL, args(DIRFD, PATH, STATXFLAGS, STATXMASK, OSTATX)),
        row(333, "io_pgetevents", 6, c(), DECIMAL, RAW),
        row(334, "rseq", 4, c(), DECIMAL, args(PTR, HEX, INT, HEX)),
        row(335, "uretprobe", 0, c(), DECIMAL, RAW),
        row(424, "pidfd_send_signal", 4, c(DESC, SIGNAL, PROCESS), DECIMAL, RAW),
        row(425, "io_uring_setup", 2, c(DESC), DECIMAL, RAW),
        row(426, "io_uring_enter", 6, c(DESC, SIGNAL), DECIMAL, RAW),
        row(427, "io_uring_register", 4, c(DESC, MEMORY), DECIMAL, RAW),
        row(428, "open_tree", 3, c(DESC, FILE), DECIMAL, RAW),
        row(429, "move_mount", 5, c(DESC, FILE), DECIMAL, RAW),
        row(430, "fsopen", 2, c(DESC), DECIMAL, RAW),
        row(431, "fsconfig", 5, c(DESC, FILE), DECIMAL, RAW),
        row(432, "fsmount", 3, c(DESC), DECIMAL, RAW),
        row(433, "fspick", 3, c(DESC, FILE), DECIMAL, RAW),
        row(434, "pidfd_open", 2, c(DESC), DECIMAL, args(INT, UINT)),
        row(435, "clone3", 2, c(PROCESS), DECIMAL, args(CLONE3, SIZE)),
        row(436, "close_range", 3, c(), DECIMAL, args(UINT, UINT, UINT)),
        row(437, "openat2", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, PTR, SIZE)),
        row(438, "pidfd_getfd", 3, c(DESC), DECIMAL, RAW),
        row(439, "faccessat2", 4, c(DESC, FILE), DECIMAL, args(DIRFD, PATH, ACCESS, ATFLAGS)),
        row(440, "process_madvise", 5, c(DESC), DECIMAL, RAW),
        row(441, "epoll_pwait2", 6, c(DESC), DECIMAL, RAW),
        row(442, "mount_setattr", 5, c(DESC, FILE), DECIMAL, RAW),
        row(443, "quotactl_fd", 4, c(DESC), DECIMAL, RAW),
        row(444, "landlock_create_ruleset", 3, c(DESC), DECIMAL, RAW),
        row(445, "landlock_add_rule", 4, c(DESC), DECIMAL, RAW),
        row(446, "landlock_restrict_self", 2, c(DESC), DECIMAL, RAW),
        row(447, "memfd_secret", 1, c(DESC), DECIMAL, RAW),
        row(448, "process_mrelease", 2, c(DESC), DECIMAL, RAW),
        row(449, "futex_waitv", 5, c(), DECIMAL, RAW),
        row(450, "set_mempolicy_home_node", 4, c(MEMORY), DECIMAL, RAW),
        row(451, "cachestat", 4, c(DESC), DECIMAL, RAW),
        row(452, "fchmodat2", 4, c(DESC, FILE), DECIMAL, RAW),
        row(453, "map_shadow_stack", 3, c(MEMORY), DECIMAL, RAW),
        row(454, "futex_wake", 4, c(), DECIMAL, RAW),
        row(455, "futex_wait", 6, c(), DECIMAL, RAW),
        row(456, "futex_requeue", 4, c(), DECIMAL, RAW),
        row(457, "statmount", 4, c(), DECIMAL, RAW),
        row(458, "listmount", 4, c(), DECIMAL, RAW),
        row(459, "lsm_get_self_attr", 4, c(), DECIMAL, RAW),
        row(460, "lsm_set_self_attr", 4, c(), DECIMAL, RAW),
        row(461, "lsm_list_modules", 3, c(), DECIMAL, RAW),
        row(462, "mseal", 3, c(MEMORY), DECIMAL, RAW),
        row(463, "setxattrat", 6, c(DESC, FILE), DECIMAL, RAW),
        row(464, "getxattrat", 6, c(DESC, FILE), DECIMAL, RAW),
        row(465, "listxattrat", 5, c(DESC, FILE), DECIMAL, RAW),
        row(466, "removexattrat", 4, c(DESC, FILE), DECIMAL, RAW),
        row(467, "open_tree_attr", 5, c(DESC, FILE), DECIMAL, RAW),
        row(468, "file_getattr", 5, c(DESC, FILE), DECIMAL, RAW),
        row(469, "file_setattr", 5, c(DESC, FILE), DECIMAL, RAW),
        row(470, "listns", 4, c(), DECIMAL, RAW),
        row(471, "rseq_slice_yield", 0, c(), DECIMAL, RAW)
    );

    private static final Syscall[] BY_NUMBER;
    private static final Map<String, Syscall> BY_NAME = new HashMap<>();

    static {
        int max = ROWS.stream().mapToInt(Syscall::number).max().orElseThrow();
        BY_NUMBER = new Syscall[max + 1];
        for (Syscall s : ROWS) {
            if (BY_NUMBER[s.number()] != null || BY_NAME.put(s.name(), s) != null) {
                throw new IllegalStateException("duplicate syscall row " + s);
            }
            BY_NUMBER[s.number()] = s;
        }
    }

    /** The row for a syscall number, or empty for a number no kernel assigns on x86_64. */
    public static Optional<Syscall> byNumber(int nr) {
        return nr >= 0 && nr < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[nr]) : Optional.empty();
    }

    /** The row for a syscall name, or empty. */
    public static Optional<Syscall> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The number of a syscall the code names (e.g. the tracer's own injected calls), so no
     * number is written outside this table.
     *
     * @throws IllegalArgumentException for a name the table lacks
     */
    public static int number(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no syscall named " + name)).number();
    }

    /** The name strace prints: the table's, or {@code syscall_0x1c3} for an unassigned number. */
    public static String name(int nr) {
        return byNumber(nr).map(Syscall::name).orElse("syscall_0x" + Integer.toHexString(nr));
    }

    /** Every row, ordered by number. */
    public static Collection<Syscall> all() {
        return ROWS;
    }

    /** The highest assigned number. */
    public static int maxNumber() {
        return BY_NUMBER.length - 1;
    }
}
