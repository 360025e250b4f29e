package simterpose.tracer.syscall;

import java.util.EnumSet;
import java.util.Set;
import simterpose.tracer.memory.TraceeMemory;

/**
 * A call whose strace line is made later, on another thread, from values taken at its stops:
 * its registers, its result, and the first bytes of its one buffer argument (the only tracee
 * memory such a line shows: {@code write(3, "abc"..., 100000) = 100000}). The line is the
 * same bytes {@link SyscallFormatter} would have made at the stops: the same decoders run over
 * a memory that holds only those bytes.
 *
 * <p>{@link SyscallFormatter#later} makes one for the calls whose line reads nothing else of the
 * tracee (reads, writes, sends and receives without addresses, epoll_wait, most calls of plain
 * values); the caller gives the in-buffer's bytes once ({@link #entryBuffer}, before
 * {@link #unfinished()} is asked), then {@link #ended} the result and the out-buffer's bytes.
 *
 * <p>Threading: the values are given on the thread that handles the tracee's stops, before the
 * object is handed over (safely published) to the one thread that formats its text.
 */
public final class LaterLine {
    /** Argument kinds whose text reads no tracee memory. */
    private static final Set<Arg> PLAIN = EnumSet.of(Arg.INT, Arg.UINT, Arg.LONG, Arg.SIZE, Arg.HEX, Arg.PTR, Arg.FD,
            Arg.DIRFD, Arg.OFLAGS, Arg.OMODE, Arg.OFLAGS0, Arg.MODE, Arg.ATFLAGS, Arg.ACCESS, Arg.PROT, Arg.MAPFLAGS,
            Arg.MREMAPFLAGS, Arg.MADV, Arg.WHENCE, Arg.AF, Arg.SOCKTYPE, Arg.SOCKPROTO, Arg.SOCKFLAGS, Arg.MSGFLAGS,
            Arg.SHUTHOW, Arg.SOCKLEVEL, Arg.SOCKOPT, Arg.SIG, Arg.SIGHOW, Arg.CLOCKID, Arg.TIMERFLAGS, Arg.WAITOPTS,
            Arg.RLIMITRES, Arg.ARCHCODE, Arg.PRCTLOP, Arg.GRNDFLAGS, Arg.EPOLLOP, Arg.STATXFLAGS, Arg.STATXMASK,
            Arg.CLONE, Arg.FCNTLCMD, Arg.IOCTLREQ, Arg.SKIP,
            // out-structures printed as their address
            Arg.ORUSAGE, Arg.OTMS, Arg.OTIME, Arg.OITIMERVAL, Arg.OINT, Arg.OCPUSET, Arg.OEPOLLEVENTS, Arg.OSTATFS,
            Arg.OGROUPS, Arg.OMSGHDR, Arg.OSIGINFO);
    /** Kinds whose text reads tracee memory only when the address is not NULL (then printed {@code NULL}). */
    private static final Set<Arg> PLAIN_WHEN_NULL = EnumSet.of(Arg.ISOCKADDR, Arg.OSOCKADDR, Arg.OSOCKLEN);
    private static final Set<Arg> BUFFERS = EnumSet.of(Arg.IBUF, Arg.OBUF, Arg.ORANDOM);

    private final SyscallFormatter formatter;
    private final int tid;
    private final Syscall syscall;
    private final long[] args;
    /** The buffer argument's index, or -1. */
    private final int buffer;
    private byte[] entryBytes;
    private boolean entryGiven;
    /** The entry decoded over {@link #entryBytes}: made and read on the formatting thread only. */
    private PendingCall decoded;

    private LaterLine(SyscallFormatter formatter, int tid, Syscall syscall, long[] args, int buffer) {
        this.formatter = formatter;
        this.tid = tid;
        this.syscall = syscall;
        this.args = args;
        this.buffer = buffer;
    }

    /** A call's line to make later, or null when it reads more of the tracee than one buffer's first bytes. */
    static LaterLine of(SyscallFormatter formatter, int tid, Syscall sc, long[] args) {
        if (sc.name().equals("poll")) {
            return null; // its result shows the revents it reads back
        }
        int buffer = -1;
        for (int i = 0; i < sc.args().size() && i < sc.argCount(); i++) {
            Arg kind = sc.args().get(i);
            if (BUFFERS.contains(kind) && buffer < 0) {
                buffer = i;
            } else if (!PLAIN.contains(kind) && !(PLAIN_WHEN_NULL.contains(kind) && args[i] == 0)) {
                return null;
            }
        }
        return new LaterLine(formatter, tid, sc, java.util.Arrays.copyOf(args, 6), buffer);
    }

    public String name() {
        return syscall.name();
    }

    /** Where the buffer argument points (0 when there is none). */
    public long bufferAddress() {
        return buffer < 0 ? 0 : args[buffer];
    }

    /** How many bytes of its in-buffer, at {@link #bufferAddress()}, the line shows; -1 when it reads none. */
    public int entryBytesShown() {
        if (buffer < 0 || syscall.args().get(buffer) != Arg.IBUF || args[buffer] == 0) {
            return -1;
        }
        return (int) Math.min(Math.max(args[buffer + 1], 0), formatter.strsize());
    }

    /** True once {@link #entryBuffer} was given. */
    public boolean entryGiven() {
        return entryGiven;
    }

    /** The in-buffer's first {@link #entryBytesShown()} bytes as the call entered, null when unreadable (or none shown). */
    public void entryBuffer(byte[] bytes) {
        entryBytes = bytes;
        entryGiven = true;
    }

    /** How many bytes of its out-buffer the line shows once the call returned {@code result}; -1 when it reads none. */
    public int exitBytesShown(long result) {
        if (buffer < 0 || !syscall.args().get(buffer).atExit() || args[buffer] == 0 || SyscallFormatter.isError(result)) {
            return -1;
        }
        return (int) Math.min(Math.max(result, 0), formatter.strsize());
    }

    /** The call returned {@code result}; {@code bytes}: the out-buffer's first {@link #exitBytesShown} bytes (null: unreadable or none). */
    public Ended ended(long result, byte[] bytes) {
        return new Ended(result, bytes);
    }

    /** Its text up to its first out-argument, as {@link SyscallFormatter#unfinishedText} makes it. */
    public String unfinished() {
        return formatter.unfinishedText(decoded());
    }

    private PendingCall decoded() {
        if (decoded == null) {
            decoded = formatter.onEntry(tid, syscall.number(), args, new Bytes(bufferAddress(), entryBytes));
        }
        return decoded;
    }

    /** The call once it returned: its whole line and its second half after {@code <... name resumed>}. */
    public final class Ended {
        private final long result;
        private final TraceeMemory exitMemory;

        private Ended(long result, byte[] bytes) {
            this.result = result;
            this.exitMemory = new Bytes(bufferAddress(), bytes);
        }

        /** As {@link SyscallFormatter#onExit(PendingCall, long, TraceeMemory, int)}; {@code = ?} when it cannot be decoded. */
        public String line(int column) {
            try {
                return formatter.onExit(decoded(), result, exitMemory, column);
            } catch (RuntimeException e) {
                return formatter.noReturn(decoded(), column);
            }
        }

        /** As {@link SyscallFormatter#resumedText}; {@code ) = ?} when it cannot be decoded. */
        public String resumed() {
            try {
                return formatter.resumedText(decoded(), result, exitMemory);
            } catch (RuntimeException e) {
                return ") = ?";
            }
        }
    }

    /** A tracee memory that holds only the bytes taken at one address (none when null). */
    private record Bytes(long address, byte[] bytes) implements TraceeMemory {
        @Override
        public int read(long at, byte[] dst, int offset, int length) {
            if (bytes == null || at != address) {
                return 0;
            }
            int n = Math.min(length, bytes.length);
            System.arraycopy(bytes, 0, dst, offset, n);
            return n;
        }

        @Override
        public int write(long at, byte[] src, int offset, int length) {
            return 0;
        }

        @Override
        public CString readCString(long at, int maxBytes) {
            return null;
        }
    }
}
