package simterpose.tracer.syscall;

import static simterpose.tracer.syscall.Quote.hex;
import static simterpose.tracer.syscall.Quote.octal;
import static simterpose.tracer.syscall.Quote.ptr;

import simterpose.tracer.abi.Iovec;
import simterpose.tracer.abi.Pollfd;
import simterpose.tracer.abi.Timespec;
import simterpose.tracer.abi.Timeval;
import simterpose.tracer.memory.TraceeMemory;

/**
 * The code behind each {@link Arg} kind: turns a register value (and the tracee memory it points
 * to) into strace's text. Stateless; every read goes through {@link TraceeMemory}, so an
 * unreadable address prints as the address itself, as strace does.
 */
final class Decoders {
    private Decoders() {}

    /** Paths are printed whole, as strace does (PATH_MAX), whatever -s says. */
    private static final int PATH_MAX = 4096;
    private static final int O_CREAT = 0100, O_TMPFILE_BIT = 020000000;

    /** What one decoding needs: the call, its registers, the tracee memory and the options. */
    record Ctx(Syscall sc, long[] a, TraceeMemory mem, int strsize, long ret, boolean failed, long[] saved) {
        int i32(int i) {
            return (int) a[i];
        }
    }

    /** Decodes argument {@code i} at entry (in-parameters); null omits the argument. */
    static String entry(Arg kind, Ctx c, int i) {
        long v = c.a[i];
        return switch (kind) {
            case INT, FD -> Integer.toString((int) v);
            case UINT -> Integer.toUnsignedString((int) v);
            case LONG -> Long.toString(v);
            case SIZE -> Long.toUnsignedString(v);
            case HEX -> hex(v);
            case PTR -> ptr(v);
            case DIRFD -> (int) v == -100 ? "AT_FDCWD" : Integer.toString((int) v);
            case PATH -> cstring(c, v, PATH_MAX);
            case STR -> cstring(c, v, c.strsize);
            case IBUF -> buffer(c, v, c.a[i + 1], false);
            case ARGV -> argv(c, v);
            case ENVP -> envp(c, v);
            case OFLAGS -> openFlags(v);
            // strace prints the mode only when the flags make the kernel read it
            case OMODE -> (c.a[i - 1] & (O_CREAT | O_TMPFILE_BIT)) != 0 ? octal(v & 07777) : null;
            case OFLAGS0 -> Xlat.OPEN_FLAGS.flags(v, "0");
            case MODE -> octal(v);
            case ATFLAGS -> Xlat.AT_FLAGS.flags(v & 0xffffffffL, "0");
            case ACCESS -> Xlat.ACCESS.flags(v, "F_OK");
            case STATXFLAGS -> {
                // the sync type is a 2-bit value, named even when 0; the rest are AT_ flags
                String sync = Xlat.STATX_SYNC.valueOrHex(v & 0x6000, "");
                long rest = v & 0xffffffffL & ~0x6000L;
                yield rest == 0 ? sync : sync + "|" + Xlat.AT_FLAGS.flags(rest, null);
            }
            case STATXMASK -> Xlat.STATX_MASK.flags(v & 0xffffffffL, "0");
            case PROT -> Xlat.PROT.flags(v, "PROT_NONE");
            case MAPFLAGS -> mapFlags(v);
            case MREMAPFLAGS -> Xlat.MREMAP.flags(v, "0");
            case MADV -> Xlat.MADV.value(v);
            case WHENCE -> Xlat.WHENCE.value(v);
            case AF -> Xlat.AF.value(v);
            case SOCKTYPE -> sockType(v);
            case SOCKPROTO -> switch ((int) c.a[0]) {
                case 2, 10 -> Xlat.IPPROTO.value(v);
                case 16 -> Xlat.NETLINK.value(v);
                default -> Integer.toString((int) v);
            };
            case SOCKFLAGS -> Xlat.SOCK_FLAGS.flags(v, "0");
            case MSGFLAGS -> Xlat.MSG.flags(v & 0xffffffffL, "0");
            case SHUTHOW -> Xlat.SHUT.value(v);
            case SOCKLEVEL -> Xlat.SOL.value(v);
            case SOCKOPT -> switch ((int) c.a[1]) {
                case 1 -> Xlat.SO.value(v);
                case 6 -> Xlat.TCP_OPT.value(v);
                default -> Integer.toString((int) v);
            };
            case SIG -> signal((int) v);
            case SIGHOW -> Xlat.SIG_HOW.value(v);
            case CLOCKID -> Xlat.CLOCK.value((int) v);
            case TIMERFLAGS -> Xlat.TIMER_FLAGS.flags(v, "0");
            case WAITOPTS -> Xlat.WAIT_OPTIONS.flags(v & 0xffffffffL, "0");
            case RLIMITRES -> Xlat.RLIMIT.value(v);
            case ARCHCODE -> Xlat.ARCH_PRCTL.valueOrHex(v, " /* ARCH_??? */");
            case PRCTLOP -> Xlat.PRCTL.valueOrHex(v, " /* PR_??? */");
            case GRNDFLAGS -> Xlat.GRND.flags(v, "0");
            case EPOLLOP -> Xlat.EPOLL_CTL.value(v);
            case ISOCKADDR -> NetDecoders.sockaddr(c, v, (int) c.a[i + 1]);
            case ISOCKOPTVAL -> (int) c.a[i + 1] == 4 ? intInBrackets(c, v) : ptr(v);
            case ISIGSET -> sigset(c, v);
            case ISIGACTION -> sigaction(c, v);
            case ITIMESPEC -> timespec(c, v);
            case IIOVEC -> iovec(c, v, (int) c.a[i + 1], -1);
            case IRLIMIT -> rlimit(c, v);
            case IPOLLFDS -> pollfds(c, v, (int) c.a[i + 1]);
            case CLONE -> clone(c);
            case FUTEXOP -> futex(c);
            case FCNTLCMD -> fcntl(c);
            case IOCTLREQ -> Xlat.IOCTL.valueOrHex(v & 0xffffffffL, "") + ", " + ptr(c.a[2]);
            case SKIP -> null;
            default -> throw new IllegalStateException(kind + " is decoded at exit");
        };
    }

    /** What an out-parameter needs remembered from the entry (a length the kernel overwrites). */
    static long save(Arg kind, Ctx c, int i) {
        if (kind == Arg.OSOCKLEN && c.a[i] != 0 && c.mem != null) {
            byte[] b = c.mem.readFully(c.a[i], 4);
            return b == null ? -1 : le32(b, 0);
        }
        return 0;
    }

    /** Decodes out-parameter {@code i} at exit; on failure strace shows only the address. */
    static String exit(Arg kind, Ctx c, int i) {
        long v = c.a[i];
        if (kind == Arg.OSOCKLEN) {
            return NetDecoders.sockLen(c, i);
        }
        if (kind == Arg.CLONE3) {
            return cloneArgs(c, v);
        }
        if (c.failed || v == 0) {
            return ptr(v);
        }
        return switch (kind) {
            case OBUF -> buffer(c, v, c.ret, false);
            case ORANDOM -> buffer(c, v, c.ret, true);
            case OPATH -> {
                byte[] b = c.mem.readFully(v, (int) Math.max(0, c.ret - 1));
                yield b == null ? ptr(v) : Quote.bytes(b, b.length, false, false);
            }
            case OSTAT -> stat(c, v);
            case OSTATX -> statx(c, v);
            case OSYSINFO -> sysinfo(c, v);
            case OSIGSET -> sigset(c, v);
            case OSIGACTION -> sigaction(c, v);
            case OTIMESPEC -> timespec(c, v);
            case OTIMEVAL -> timeval(c, v);
            case OIOVEC -> iovec(c, v, (int) c.a[i + 1], c.ret);
            case OFDPAIR -> {
                byte[] b = c.mem.readFully(v, 8);
                yield b == null ? ptr(v) : "[" + le32(b, 0) + ", " + le32(b, 4) + "]";
            }
            case ODIRENTS -> ptr(v) + " /* " + direntCount(c, v) + " entries */";
            case OUTSNAME -> utsname(c, v);
            case OWSTATUS -> c.ret == 0 ? ptr(v) : waitStatus(c, v);
            case ORLIMIT -> rlimit(c, v);
            case OSOCKADDR -> {
                long lenPtr = c.a[i + 1];
                int len = lenPtr == 0 ? 0 : (int) Math.min(readInt(c, lenPtr, 0), c.saved[i + 1]);
                yield NetDecoders.sockaddr(c, v, len);
            }
            case OSOCKOPTVAL -> readInt(c, c.a[i + 1], 0) == 4 ? intInBrackets(c, v) : ptr(v);
            case ORUSAGE, OTMS, OTIME, OITIMERVAL, OINT, OCPUSET, OEPOLLEVENTS, OSTATFS, OGROUPS, OMSGHDR, OSIGINFO -> ptr(v);
            default -> throw new IllegalStateException(kind + " is decoded at entry");
        };
    }

    // ---- strings and buffers ----

    private static String cstring(Ctx c, long addr, int max) {
        if (addr == 0) {
            return "NULL";
        }
        // One byte more than shown tells a string of exactly max bytes from a longer one.
        TraceeMemory.CString s = c.mem.readCString(addr, max + 1);
        if (s == null) {
            return ptr(addr);
        }
        int n = Math.min(s.bytes().length, max);
        return Quote.bytes(s.bytes(), n, s.bytes().length > max || (s.truncated() && n < s.bytes().length), false);
    }

    /** A buffer of {@code length} bytes, cut at -s STRSIZE with {@code ...}. */
    private static String buffer(Ctx c, long addr, long length, boolean forceHex) {
        if (addr == 0) {
            return "NULL";
        }
        int shown = (int) Math.min(Math.max(length, 0), c.strsize);
        byte[] b = c.mem.readFully(addr, shown);
        if (b == null) {
            return ptr(addr);
        }
        return Quote.bytes(b, shown, length > shown, forceHex);
    }

    private static String argv(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int n = 0; ; n++) {
            long p = c.mem.readLong(addr + 8L * n, -1);
            if (p == -1) {
                return n == 0 ? ptr(addr) : sb.append(", ...]").toString();
            }
            if (p == 0) {
                break;
            }
            if (n >= c.strsize) {
                sb.append(", ...");
                break;
            }
            if (n > 0) {
                sb.append(", ");
            }
            sb.append(cstring(c, p, c.strsize));
        }
        return sb.append(']').toString();
    }

    /** strace shows the environment as its address and a count unless -v is given. */
    private static String envp(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        // 64 pointers per read: an exec's environment is counted in a read or two, not one per variable
        byte[] chunk = new byte[512];
        int n = 0;
        count:
        while (n < 100_000) {
            int got = c.mem.read(addr + 8L * n, chunk, 0, chunk.length);
            if (got < 8) {
                break; // unreadable: the pointers read so far
            }
            for (int i = 0; i + 8 <= got; i += 8, n++) {
                if (le64(chunk, i) == 0) {
                    break count;
                }
            }
        }
        return ptr(addr) + " /* " + n + (n == 1 ? " var */" : " vars */");
    }

    // ---- flag sets that need more than one table ----

    static String openFlags(long v) {
        long flags = v & 0xffffffffL;
        String access = Xlat.OPEN_ACCESS.value(flags & 3);
        long rest = flags & ~3L;
        return rest == 0 ? access : access + "|" + Xlat.OPEN_FLAGS.flags(rest, null);
    }

    private static String mapFlags(long v) {
        String type = Xlat.MAP_TYPE.valueOrHex(v & 0xf, "");
        long rest = v & ~0xfL;
        return rest == 0 ? type : type + "|" + Xlat.MAP_FLAGS.flags(rest, null);
    }

    private static String sockType(long v) {
        String type = Xlat.SOCK_TYPE.value(v & 0xf);
        long rest = v & ~0xfL;
        return rest == 0 ? type : type + "|" + Xlat.SOCK_FLAGS.flags(rest, null);
    }

    static String signal(int sig) {
        if (sig >= 32 && sig <= 64) {
            return sig == 32 ? "SIGRTMIN" : "SIGRT_" + (sig - 32);
        }
        return Xlat.SIGNALS.value(sig);
    }

    // ---- structures ----

    private static String intInBrackets(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 4);
        return b == null ? ptr(addr) : "[" + le32(b, 0) + "]";
    }

    static int readInt(Ctx c, long addr, int fallback) {
        byte[] b = addr == 0 ? null : c.mem.readFully(addr, 4);
        return b == null ? fallback : le32(b, 0);
    }

    /** A sigset: names without SIG, complemented as {@code ~[...]} when most signals are in it. */
    static String sigset(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        byte[] b = c.mem.readFully(addr, 8);
        if (b == null) {
            return ptr(addr);
        }
        long mask = le64(b, 0);
        return sigmask(mask);
    }

    static String sigmask(long mask) {
        boolean inverted = Long.bitCount(mask) >= 64 * 2 / 3;
        long shown = inverted ? ~mask : mask;
        StringBuilder sb = new StringBuilder(inverted ? "~[" : "[");
        for (int sig = 1; sig <= 64; sig++) {
            if ((shown & (1L << (sig - 1))) != 0) {
                if (sb.charAt(sb.length() - 1) != '[') {
                    sb.append(' ');
                }
                sb.append(signal(sig).substring(3));
            }
        }
        return sb.append(']').toString();
    }

    private static String sigaction(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        byte[] b = c.mem.readFully(addr, 32);
        if (b == null) {
            return ptr(addr);
        }
        long handler = le64(b, 0), flags = le64(b, 8), restorer = le64(b, 16), mask = le64(b, 24);
        String h = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : ptr(handler);
        StringBuilder sb = new StringBuilder("{sa_handler=").append(h).append(", sa_mask=").append(sigmask(mask))
                .append(", sa_flags=").append(Xlat.SA_FLAGS.flags(flags & 0xffffffffL, "0"));
        if ((flags & 0x04000000) != 0) {
            sb.append(", sa_restorer=").append(ptr(restorer));
        }
        return sb.append('}').toString();
    }

    static String timespec(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        Timespec t = Timespec.read(c.mem, addr);
        return t == null ? ptr(addr) : t.toString();
    }

    private static String timeval(Ctx c, long addr) {
        Timeval t = Timeval.read(c.mem, addr);
        return t == null ? ptr(addr) : t.toString();
    }

    /** iovec array; {@code dataLimit} caps the bytes shown in total (the return value of readv), -1 for none. */
    private static String iovec(Ctx c, long addr, int count, long dataLimit) {
        if (addr == 0) {
            return "NULL";
        }
        if (count <= 0) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[");
        long left = dataLimit;
        for (int k = 0; k < count; k++) {
            if (k >= c.strsize) {
                sb.append(", ...");
                break;
            }
            Iovec e = Iovec.read(c.mem, addr + (long) Iovec.SIZE * k);
            if (e == null) {
                return k == 0 ? ptr(addr) : sb.append(", ...]").toString();
            }
            long base = e.base(), len = e.len();
            long shown = dataLimit < 0 ? len : Math.min(len, Math.max(left, 0));
            left -= shown;
            if (k > 0) {
                sb.append(", ");
            }
            sb.append("{iov_base=").append(buffer(c, base, shown, false)).append(", iov_len=")
                    .append(Long.toUnsignedString(len)).append('}');
        }
        return sb.append(']').toString();
    }

    /** struct stat abbreviated as strace does: mode, then size (or device numbers), then {@code ...}. */
    private static String stat(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 144);
        if (b == null) {
            return ptr(addr);
        }
        int mode = le32(b, 24);
        long rdev = le64(b, 40), size = le64(b, 48);
        StringBuilder sb = new StringBuilder("{st_mode=").append(fileMode(mode));
        int type = mode & 0170000;
        if (type == 020000 || type == 060000) {
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            sb.append(", st_rdev=makedev(").append(hex(major)).append(", ").append(hex(minor)).append(')');
        } else {
            sb.append(", st_size=").append(size);
        }
        return sb.append(", ...}").toString();
    }

    private static String sysinfo(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 112);
        if (b == null) {
            return ptr(addr);
        }
        return "{uptime=" + le64(b, 0) + ", loads=[" + Long.toUnsignedString(le64(b, 8)) + ", "
                + Long.toUnsignedString(le64(b, 16)) + ", " + Long.toUnsignedString(le64(b, 24)) + "], totalram="
                + Long.toUnsignedString(le64(b, 32)) + ", freeram=" + Long.toUnsignedString(le64(b, 40))
                + ", sharedram=" + Long.toUnsignedString(le64(b, 48)) + ", bufferram=" + Long.toUnsignedString(le64(b, 56))
                + ", totalswap=" + Long.toUnsignedString(le64(b, 64)) + ", freeswap=" + Long.toUnsignedString(le64(b, 72))
                + ", procs=" + ((b[80] & 0xff) | (b[81] & 0xff) << 8) + ", totalhigh=" + Long.toUnsignedString(le64(b, 88))
                + ", freehigh=" + Long.toUnsignedString(le64(b, 96)) + ", mem_unit=" + Integer.toUnsignedString(le32(b, 104))
                + "}";
    }

    /** poll's result: the descriptors that have events, or Timeout. */
    static String pollResult(TraceeMemory mem, long addr, int nfds, long ret) {
        if (ret == 0) {
            return " (Timeout)";
        }
        StringBuilder sb = new StringBuilder(" ([");
        boolean first = true;
        for (int k = 0; k < nfds && k < 1024; k++) {
            Pollfd e = Pollfd.read(mem, addr, k);
            if (e == null) {
                return "";
            }
            int revents = e.revents() & 0xffff;
            if (revents != 0) {
                sb.append(first ? "" : ", ").append("{fd=").append(e.fd()).append(", revents=")
                        .append(Xlat.POLL_EVENTS.flags(revents, "0")).append('}');
                first = false;
            }
        }
        return sb.append("])").toString();
    }

    /** struct statx abbreviated as strace does. */
    private static String statx(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 144);
        if (b == null) {
            return ptr(addr);
        }
        int mode = (b[28] & 0xff) | (b[29] & 0xff) << 8;
        return "{stx_mask=" + Xlat.STATX_MASK.flags(le32(b, 0) & 0xffffffffL, "0")
                + ", stx_attributes=" + Xlat.STATX_ATTR.flags(le64(b, 8), "0")
                + ", stx_mode=" + fileMode(mode) + ", stx_size=" + le64(b, 40) + ", ...}";
    }

    static String fileMode(int mode) {
        String type = Xlat.FILE_TYPE.name(mode & 0170000);
        String special = Xlat.MODE_BITS.flags(mode & 07000, "");
        StringBuilder sb = new StringBuilder();
        if (type != null) {
            sb.append(type);
        }
        if (!special.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : "|").append(special);
        }
        return sb.append(sb.isEmpty() ? "" : "|").append(octal(mode & 0777)).toString();
    }

    private static int direntCount(Ctx c, long addr) {
        int total = (int) Math.min(c.ret, 1 << 20);
        byte[] b = c.mem.readFully(addr, total);
        if (b == null) {
            return 0;
        }
        int n = 0;
        for (int off = 0; off + 18 < total; n++) {
            int reclen = (b[off + 16] & 0xff) | (b[off + 17] & 0xff) << 8;
            if (reclen == 0) {
                break;
            }
            off += reclen;
        }
        return n;
    }

    private static String utsname(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 130);
        if (b == null) {
            return ptr(addr);
        }
        return "{sysname=" + field(b, 0, 65) + ", nodename=" + field(b, 65, 65) + ", ...}";
    }

    private static String field(byte[] b, int off, int max) {
        int end = off;
        while (end < off + max && b[end] != 0) {
            end++;
        }
        byte[] s = java.util.Arrays.copyOfRange(b, off, end);
        return Quote.bytes(s, s.length, false, false);
    }

    private static String waitStatus(Ctx c, long addr) {
        byte[] b = c.mem.readFully(addr, 4);
        if (b == null) {
            return ptr(addr);
        }
        return "[" + describeStatus(le32(b, 0)) + "]";
    }

    static String describeStatus(int s) {
        int low = s & 0x7f;
        if (low == 0) {
            return "{WIFEXITED(s) && WEXITSTATUS(s) == " + ((s >> 8) & 0xff) + "}";
        }
        if ((s & 0xff) == 0x7f) {
            return "{WIFSTOPPED(s) && WSTOPSIG(s) == " + signal((s >> 8) & 0xff) + "}";
        }
        if (s == 0xffff) {
            return "{WIFCONTINUED(s)}";
        }
        return "{WIFSIGNALED(s) && WTERMSIG(s) == " + signal(low) + ((s & 0x80) != 0 ? " && WCOREDUMP(s)}" : "}");
    }

    private static String rlimit(Ctx c, long addr) {
        if (addr == 0) {
            return "NULL";
        }
        byte[] b = c.mem.readFully(addr, 16);
        if (b == null) {
            return ptr(addr);
        }
        String inf = c.sc.name().equals("prlimit64") ? "RLIM64_INFINITY" : "RLIM_INFINITY";
        return "{rlim_cur=" + rlim(le64(b, 0), inf) + ", rlim_max=" + rlim(le64(b, 8), inf) + "}";
    }

    private static String rlim(long v, String infinity) {
        if (v == -1) {
            return infinity;
        }
        return Long.compareUnsigned(v, 1024) > 0 && v % 1024 == 0 ? (v / 1024) + "*1024" : Long.toUnsignedString(v);
    }

    private static String pollfds(Ctx c, long addr, int n) {
        if (addr == 0) {
            return "NULL";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < n; k++) {
            Pollfd e = Pollfd.read(c.mem, addr, k);
            if (e == null) {
                return k == 0 ? ptr(addr) : sb.append(", ...]").toString();
            }
            if (k > 0) {
                sb.append(", ");
            }
            int events = e.events() & 0xffff;
            sb.append("{fd=").append(e.fd()).append(", events=").append(Xlat.POLL_EVENTS.flags(events, "0"))
                    .append('}');
        }
        return sb.append(']').toString();
    }

    // ---- calls whose argument list depends on an earlier argument ----

    /** clone(flags, stack, parent_tid, child_tid, tls) on x86_64, printed in strace's order. */
    private static String clone(Ctx c) {
        long flags = c.a[0];
        int exitSignal = (int) (flags & 0xff);
        String names = Xlat.CLONE_FLAGS.flags(flags & ~0xffL, null);
        String f = flags == 0 ? "0" : (flags & ~0xffL) == 0 ? signal(exitSignal)
                : exitSignal == 0 ? names : names + "|" + signal(exitSignal);
        StringBuilder sb = new StringBuilder("child_stack=").append(ptr(c.a[1])).append(", flags=").append(f);
        if ((flags & 0x100000) != 0) {
            sb.append(", parent_tid=").append(ptr(c.a[2]));
        }
        if ((flags & (0x1000000 | 0x200000)) != 0) {
            sb.append(", child_tidptr=").append(ptr(c.a[3]));
        }
        if ((flags & 0x80000) != 0) {
            sb.append(", tls=").append(ptr(c.a[4]));
        }
        return sb.toString();
    }

    /** clone3's struct clone_args, then what the kernel wrote back ({@code => {parent_tid=[N]}}). */
    private static String cloneArgs(Ctx c, long addr) {
        byte[] b = addr == 0 ? null : c.mem.readFully(addr, 64);
        if (b == null) {
            return ptr(addr);
        }
        long flags = le64(b, 0), childTid = le64(b, 16), parentTid = le64(b, 24), exitSignal = le64(b, 32);
        StringBuilder sb = new StringBuilder("{flags=").append(Xlat.CLONE_FLAGS.flags(flags, "0"));
        if ((flags & 0x1000) != 0) {
            sb.append(", pidfd=").append(ptr(le64(b, 8)));
        }
        if ((flags & (0x1000000 | 0x200000)) != 0) {
            sb.append(", child_tid=").append(ptr(childTid));
        }
        if ((flags & 0x100000) != 0) {
            sb.append(", parent_tid=").append(ptr(parentTid));
        }
        sb.append(", exit_signal=").append(exitSignal == 0 ? "0" : signal((int) exitSignal))
                .append(", stack=").append(ptr(le64(b, 40))).append(", stack_size=").append(hex(le64(b, 48)));
        if ((flags & 0x80000) != 0) {
            sb.append(", tls=").append(ptr(le64(b, 56)));
        }
        sb.append('}');
        if (!c.failed && (flags & 0x100000) != 0 && parentTid != 0) {
            byte[] tid = c.mem.readFully(parentTid, 4);
            if (tid != null) {
                sb.append(" => {parent_tid=[").append(le32(tid, 0)).append("]}");
            }
        }
        return sb.toString();
    }

    private static String futex(Ctx c) {
        int op = (int) c.a[1];
        int cmd = op & 127;
        String name = Xlat.FUTEX_CMD.value(cmd) + ((op & 128) != 0 ? "_PRIVATE" : "")
                + ((op & 256) != 0 ? "|FUTEX_CLOCK_REALTIME" : "");
        int val = (int) c.a[2];
        String timeout = timespec(c, c.a[3]);
        String val2 = Integer.toString((int) c.a[3]);
        String uaddr2 = ptr(c.a[4]);
        String val3 = (int) c.a[5] == -1 ? "FUTEX_BITSET_MATCH_ANY" : hex(c.a[5] & 0xffffffffL);
        return name + switch (cmd) {
            case 0 -> ", " + val + ", " + timeout;
            case 1, 2 -> ", " + val;
            case 3 -> ", " + val + ", " + val2 + ", " + uaddr2;
            case 4, 12 -> ", " + val + ", " + val2 + ", " + uaddr2 + ", " + (int) c.a[5];
            case 5 -> ", " + val + ", " + val2 + ", " + uaddr2 + ", " + hex(c.a[5] & 0xffffffffL);
            case 6, 13 -> ", " + timeout;
            case 7, 8 -> "";
            case 9 -> ", " + val + ", " + timeout + ", " + val3;
            case 10 -> ", " + val + ", " + val3;
            case 11 -> ", " + val + ", " + timeout + ", " + uaddr2;
            default -> ", " + val + ", " + hex(c.a[3]) + ", " + uaddr2 + ", " + hex(c.a[5]);
        };
    }

    private static String fcntl(Ctx c) {
        int cmd = (int) c.a[1];
        String name = Xlat.FCNTL.value(cmd);
        long arg = c.a[2];
        return name + switch (cmd) {
            case 1, 3, 9, 11, 1025, 1032, 1034 -> "";
            case 2 -> ", " + Xlat.FD_FLAGS.flags(arg, "0");
            case 4 -> ", " + openFlags(arg);
            case 0, 1030, 8, 10, 1024, 1026, 1031, 1033 -> ", " + (int) arg;
            default -> ", " + ptr(arg);
        };
    }

    // ---- little helpers ----

    static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static long le64(byte[] b, int off) {
        return (le32(b, off) & 0xffffffffL) | ((long) le32(b, off + 4)) << 32;
    }

}
