package simterpose.tracer.syscall;

import java.util.ArrayList;
import java.util.List;

import simterpose.tracer.memory.TraceeMemory;

/**
 * Which bytes of the tracee's memory a finished syscall may have written, read off the same
 * {@link SyscallTable} rows the decoders use: each out-parameter kind ({@link Arg#atExit()}) and
 * the in-kinds the kernel also writes back (poll's revents, clone's parent tid, ioctl/fcntl/prctl
 * requests that fill a buffer) give an address and a length.
 *
 * <p>The regions may be larger than what the kernel wrote (a struct whose tail it left alone, a
 * {@code rem} it only writes on EINTR): a recorder that saves what these regions hold after the
 * call and a replayer that writes it back reproduce the memory exactly, so over-approximating is
 * safe, under-approximating is not. Rows without decoders ({@link Syscall#decoded()} false) have
 * no known effects except the few named in {@link #rawRowEffects}.
 *
 * <p>Stateless; reads the tracee only for lengths the kernel stored in memory (socklen, msghdr,
 * clone_args).
 */
public final class MemoryEffects {
    private MemoryEffects() {}

    /** A written range of the tracee's address space. */
    public record Region(long address, int length) {}

    /** Upper bounds for kernel structures (x86_64). */
    static final int STAT = 144, STATX = 256, SYSINFO = 112, UTSNAME = 6 * 65, RLIMIT = 16, TIMESPEC = 16,
            RUSAGE = 144, TMS = 32, ITIMERVAL = 32, STATFS = 120, SIGINFO = 128, EPOLL_EVENT = 12,
            SOCKADDR_MAX = 128, MSGHDR = 56, KERNEL_TERMIOS = 36, FLOCK = 32, TASK_COMM = 16;
    private static final int CLONE_PARENT_SETTID = 0x00100000, CLONE_CHILD_SETTID = 0x01000000, CLONE_PIDFD = 0x1000;

    /** True when the row says what the call writes (decoded rows, and the raw rows handled by name). */
    public static boolean known(Syscall sc) {
        return sc.decoded() || RAW_WITH_EFFECTS.contains(sc.name());
    }

    private static final List<String> RAW_WITH_EFFECTS = List.of("select", "rt_sigpending", "rt_sigtimedwait");

    /**
     * The regions syscall {@code sc} with arguments {@code a} may have written, given its
     * {@code result}; none for a failed call (negative result), whose out-parameters the kernel
     * leaves alone (a restart code included).
     */
    public static List<Region> written(Syscall sc, long[] a, long result, TraceeMemory mem) {
        List<Region> out = new ArrayList<>();
        if (result < 0 && result >= -4095) { // -errno
            return out;
        }
        List<Arg> kinds = sc.args();
        if (kinds.isEmpty()) {
            rawRowEffects(sc, a, result, out);
            return out;
        }
        for (int i = 0; i < kinds.size(); i++) {
            argEffects(kinds.get(i), a, i, result, mem, out);
        }
        return out;
    }

    private static void argEffects(Arg kind, long[] a, int i, long result, TraceeMemory mem, List<Region> out) {
        long p = a[i];
        switch (kind) {
            case OBUF -> add(out, p, Math.min(result, a[i + 1]));
            case ORANDOM, ODIRENTS, OPATH, OCPUSET -> add(out, p, result);
            case OSTAT -> add(out, p, STAT);
            case OSTATX -> add(out, p, STATX);
            case OSYSINFO -> add(out, p, SYSINFO);
            case OSIGSET -> add(out, p, Math.min(a[3], 128));
            case OSIGACTION -> add(out, p, 24 + Math.min(a[3], 128));
            case OTIMESPEC, OTIMEVAL, ORLIMIT -> add(out, p, TIMESPEC);
            case OITIMERVAL -> add(out, p, ITIMERVAL);
            case OIOVEC -> scatter(out, p, (int) a[i + 1], result, mem);
            case OFDPAIR, OTIME -> add(out, p, 8);
            case OUTSNAME -> add(out, p, UTSNAME);
            case OWSTATUS, OSOCKLEN, OINT -> add(out, p, 4);
            case ORUSAGE -> add(out, p, RUSAGE);
            case OTMS -> add(out, p, TMS);
            case OSTATFS -> add(out, p, STATFS);
            case OSIGINFO -> add(out, p, SIGINFO);
            case OGROUPS -> add(out, p, result * 4);
            case OEPOLLEVENTS -> add(out, p, result * EPOLL_EVENT);
            // the length the kernel stored after the call (it may exceed the buffer: capped)
            case OSOCKADDR -> add(out, p, Math.min(a[i + 1] == 0 ? 0 : readInt(mem, a[i + 1]), SOCKADDR_MAX));
            case OSOCKOPTVAL -> add(out, p, Math.min(a[i + 1] == 0 ? 0 : readInt(mem, a[i + 1]), 4096));
            case OMSGHDR -> msghdr(out, p, result, mem);
            case IPOLLFDS -> add(out, p, a[i + 1] * 8); // revents
            case CLONE -> {
                if ((a[0] & CLONE_PARENT_SETTID) != 0) {
                    add(out, a[2], 4);
                }
                if ((a[0] & CLONE_CHILD_SETTID) != 0) {
                    add(out, a[3], 4);
                }
            }
            case CLONE3 -> {
                byte[] args = p == 0 ? null : mem.readFully(p, 32);
                if (args != null) {
                    long flags = le64(args, 0);
                    if ((flags & CLONE_PIDFD) != 0) {
                        add(out, le64(args, 8), 4);
                    }
                    if ((flags & CLONE_CHILD_SETTID) != 0) {
                        add(out, le64(args, 16), 4);
                    }
                    if ((flags & CLONE_PARENT_SETTID) != 0) {
                        add(out, le64(args, 24), 4);
                    }
                }
            }
            case FUTEXOP -> {
                int op = (int) a[1] & 0x7f;
                if (op == 5) { // FUTEX_WAKE_OP changes *uaddr2
                    add(out, a[4], 4);
                } else if (op == 6 || op == 7 || op == 8 || op == 11 || op == 12) { // PI ops set the owner tid
                    add(out, a[0], 4);
                }
            }
            case FCNTLCMD -> {
                switch ((int) a[1]) {
                    case 5, 36 -> add(out, a[2], FLOCK); // F_GETLK, F_OFD_GETLK
                    case 16 -> add(out, a[2], 8);        // F_GETOWN_EX
                    default -> { }
                }
            }
            case IOCTLREQ -> ioctl(out, a);
            case PRCTLOP -> {
                switch ((int) a[0]) {
                    case 16 -> add(out, a[1], TASK_COMM);    // PR_GET_NAME
                    case 2, 25, 37 -> add(out, a[1], 4);     // PR_GET_PDEATHSIG, PR_GET_TSC, PR_GET_CHILD_SUBREAPER
                    default -> { }
                }
            }
            case ARCHCODE -> {
                if (a[0] == 0x1003 || a[0] == 0x1004) { // ARCH_GET_FS, ARCH_GET_GS
                    add(out, a[1], 8);
                }
            }
            default -> { }
        }
    }

    /** ioctl requests that fill a buffer: the classic tty ones, then any _IOC_READ-encoded one. */
    private static void ioctl(List<Region> out, long[] a) {
        int req = (int) a[1];
        switch (req) {
            case 0x5401 -> add(out, a[2], KERNEL_TERMIOS);     // TCGETS
            case 0x5413 -> add(out, a[2], 8);                  // TIOCGWINSZ
            case 0x541B, 0x540F, 0x5429, 0x5411 -> add(out, a[2], 4); // FIONREAD, TIOCGPGRP, TIOCGSID, TIOCOUTQ
            default -> {
                if (((req >>> 30) & 2) != 0) { // _IOC_READ: the kernel writes _IOC_SIZE bytes
                    add(out, a[2], (req >>> 16) & 0x3fff);
                }
            }
        }
    }

    private static void rawRowEffects(Syscall sc, long[] a, long result, List<Region> out) {
        switch (sc.name()) {
            case "select" -> {
                long bytes = (Math.max(0, (int) a[0]) + 63) / 64 * 8;
                add(out, a[1], bytes);
                add(out, a[2], bytes);
                add(out, a[3], bytes);
                add(out, a[4], TIMESPEC); // the timeval left
            }
            case "rt_sigpending" -> add(out, a[0], Math.min(a[1], 128));
            case "rt_sigtimedwait" -> add(out, a[1], SIGINFO);
            default -> { }
        }
    }

    private static void msghdr(List<Region> out, long p, long result, TraceeMemory mem) {
        byte[] h = p == 0 ? null : mem.readFully(p, MSGHDR);
        if (h == null) {
            return;
        }
        add(out, p, MSGHDR); // msg_namelen, msg_controllen, msg_flags
        add(out, le64(h, 0), Math.min(le32(h, 8) & 0xffffffffL, SOCKADDR_MAX));
        scatter(out, le64(h, 16), (int) Math.min(le64(h, 24), 1024), result, mem);
        add(out, le64(h, 32), Math.min(le64(h, 40), 1 << 16));
    }

    /** The first {@code total} bytes of an iovec array, as the kernel scatters them. */
    private static void scatter(List<Region> out, long iov, int count, long total, TraceeMemory mem) {
        if (iov == 0 || count <= 0 || total <= 0) {
            return;
        }
        byte[] vec = mem.readFully(iov, Math.min(count, 1024) * 16);
        if (vec == null) {
            return;
        }
        long left = total;
        for (int i = 0; i < vec.length / 16 && left > 0; i++) {
            long len = Math.min(le64(vec, i * 16 + 8), left);
            add(out, le64(vec, i * 16), len);
            left -= len;
        }
    }

    private static void add(List<Region> out, long address, long length) {
        if (address != 0 && length > 0) {
            out.add(new Region(address, (int) Math.min(length, Integer.MAX_VALUE)));
        }
    }

    private static long readInt(TraceeMemory mem, long address) {
        byte[] b = mem.readFully(address, 4);
        return b == null ? 0 : le32(b, 0) & 0xffffffffL;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static long le64(byte[] b, int at) {
        return (le32(b, at) & 0xffffffffL) | (long) le32(b, at + 4) << 32;
    }
}
