package simterpose.tracer.syscall;

import java.util.List;
import java.util.Set;

import simterpose.bindings.Errno;
import simterpose.tracer.memory.TraceeMemory;

/**
 * Turns syscall stops into strace's line bodies: {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3}.
 * In-parameters are decoded at entry, out-parameters (read buffers, stat results, accepted
 * addresses, pipe fds) at exit. The caller adds {@code [pid N] } prefixes. Stateless apart from
 * its options, so one instance may serve every tracee; a {@link PendingCall} belongs to one thread.
 */
public final class SyscallFormatter {
    /** strace's default -s. */
    public static final int DEFAULT_STRSIZE = 32;
    /** strace aligns {@code = result} at this column. */
    private static final int RESULT_COLUMN = 40;

    private final int strsize;

    public SyscallFormatter() {
        this(DEFAULT_STRSIZE);
    }

    /** @param strsize strace's -s: how many bytes of a string or buffer are shown */
    public SyscallFormatter(int strsize) {
        if (strsize < 0) {
            throw new IllegalArgumentException("string size must be >= 0, got " + strsize);
        }
        this.strsize = strsize;
    }

    /** strace's -s: how many bytes of a string or buffer are shown. */
    public int strsize() {
        return strsize;
    }

    /**
     * A call whose line can be made later on another thread from values taken at its stops (see
     * {@link LaterLine}), or null when its line reads more of the tracee than one buffer's first
     * bytes: then decode it at its stops ({@link #onEntry}, {@link #onExit}).
     */
    public LaterLine later(int tid, int nr, long[] args) {
        return LaterLine.of(this, tid, SyscallTable.byNumber(nr).orElseGet(() -> unknown(nr)), args);
    }

    /** Decodes the in-parameters of a call at its entry stop. */
    public PendingCall onEntry(int tid, int nr, long[] args, TraceeMemory mem) {
        Syscall sc = SyscallTable.byNumber(nr).orElseGet(() -> unknown(nr));
        long[] a = java.util.Arrays.copyOf(args, 6);
        String[] text = new String[sc.argCount()];
        long[] saved = new long[sc.argCount()];
        Decoders.Ctx ctx = new Decoders.Ctx(sc, a, mem, strsize, 0, false, saved);
        List<Arg> kinds = sc.args();
        for (int i = 0; i < sc.argCount(); i++) {
            if (kinds.isEmpty()) {
                text[i] = Quote.hex(a[i]);
            } else if (kinds.get(i).atExit()) {
                saved[i] = Decoders.save(kinds.get(i), ctx, i);
            } else {
                text[i] = Decoders.entry(kinds.get(i), ctx, i);
            }
        }
        return new PendingCall(tid, sc, a, text, saved, System.nanoTime());
    }

    /**
     * True when {@link #onEntry} reads the tracee's memory for call {@code nr} (an in-parameter
     * behind a pointer, or a length an out-parameter needs later); false when its arguments are
     * printed from the registers alone, so that the entry may be decoded after the thread resumed.
     */
    public boolean entryReadsMemory(int nr) {
        Syscall sc = SyscallTable.byNumber(nr).orElse(null);
        if (sc == null) {
            return false; // printed in hex
        }
        for (Arg kind : sc.args()) {
            if (kind.atExit() ? kind == Arg.OSOCKLEN : kind.readsMemory()) {
                return true;
            }
        }
        return false;
    }

    /** True when {@link #onExit} reads the tracee's memory for this call (an out-parameter, poll's result). */
    public boolean exitReadsMemory(PendingCall call) {
        Syscall sc = call.syscall();
        if (sc.name().equals("poll")) {
            return true;
        }
        for (Arg kind : sc.args()) {
            if (kind.atExit() && kind.readsMemory()) {
                return true;
            }
        }
        return false;
    }

    /** The whole line body once the call returned {@code returnValue} (rax at the exit stop). */
    public String onExit(PendingCall call, long returnValue, TraceeMemory mem) {
        return onExit(call, returnValue, mem, 0);
    }

    /**
     * As {@link #onExit(PendingCall, long, TraceeMemory)}, aligning {@code = } as strace does when
     * the caller's prefix already takes {@code column} characters.
     */
    public String onExit(PendingCall call, long returnValue, TraceeMemory mem, int column) {
        boolean failed = isError(returnValue);
        Syscall sc = call.syscall();
        Decoders.Ctx ctx = new Decoders.Ctx(sc, call.args(), mem, strsize, returnValue, failed, call.saved());
        StringBuilder sb = new StringBuilder(sc.name()).append('(');
        List<Arg> kinds = sc.args();
        boolean first = true;
        for (int i = 0; i < sc.argCount(); i++) {
            String t = !kinds.isEmpty() && kinds.get(i).atExit() ? Decoders.exit(kinds.get(i), ctx, i)
                    : call.entryText()[i];
            if (t == null) {
                continue;
            }
            sb.append(first ? "" : ", ").append(t);
            first = false;
        }
        sb.append(')');
        return align(sb, column).append(result(sc, call.args(), returnValue, mem)).toString();
    }

    /**
     * Each argument as the whole line shows it, for a register view: in-parameters as decoded at
     * entry; out-parameters decoded with {@code returnValue}, or null before the call returned
     * ({@code exited} false) and when the line omits them.
     */
    public String[] argumentTexts(PendingCall call, boolean exited, long returnValue, TraceeMemory mem) {
        Syscall sc = call.syscall();
        String[] out = call.entryText().clone();
        if (exited && !sc.args().isEmpty()) {
            Decoders.Ctx ctx = new Decoders.Ctx(sc, call.args(), mem, strsize, returnValue, isError(returnValue), call.saved());
            for (int i = 0; i < sc.argCount(); i++) {
                if (sc.args().get(i).atExit()) {
                    out[i] = Decoders.exit(sc.args().get(i), ctx, i);
                }
            }
        }
        return out;
    }

    /** The text after {@code = } for a returned call: the value in the row's format, or the errno and its description. */
    public String resultText(PendingCall call, long returnValue, TraceeMemory mem) {
        return result(call.syscall(), call.args(), returnValue, mem);
    }

    /** The call as it enters, before it returns: {@code mmap(NULL, 4096, PROT_READ, ...)} (out-parameters left out). */
    public String entryText(PendingCall call) {
        StringBuilder sb = new StringBuilder(call.name()).append('(');
        boolean first = true;
        for (int i = 0; i < call.entryText().length; i++) {
            String t = call.entryText()[i];
            boolean out = !call.syscall().args().isEmpty() && call.syscall().args().get(i).atExit();
            if (t != null || out) {
                sb.append(first ? "" : ", ").append(t != null ? t : "…");
                first = false;
            }
        }
        return sb.append(')').toString();
    }

    /**
     * The first half of a call cut by another thread's line, up to its first argument decoded
     * at exit: {@code read(3, } (strace leaves a space before {@code <unfinished ...>}).
     */
    public String unfinishedText(PendingCall call) {
        StringBuilder sb = new StringBuilder(call.name()).append('(');
        List<Arg> kinds = call.syscall().args();
        boolean first = true;
        for (int i = 0; i < call.entryText().length; i++) {
            if (!kinds.isEmpty() && kinds.get(i).atExit()) {
                return sb.append(first ? "" : ", ").append(' ').toString();
            }
            String t = call.entryText()[i];
            if (t != null) {
                sb.append(first ? "" : ", ").append(t);
                first = false;
            }
        }
        return sb.append(' ').toString();
    }

    /** Its second half, after {@code <... name resumed>}: {@code "abc", 3) = 3}. */
    public String resumedText(PendingCall call, long returnValue, TraceeMemory mem) {
        String[] all = argumentTexts(call, true, returnValue, mem);
        List<Arg> kinds = call.syscall().args();
        StringBuilder sb = new StringBuilder();
        boolean started = false;
        boolean first = true;
        for (int i = 0; i < all.length; i++) {
            started |= !kinds.isEmpty() && kinds.get(i).atExit();
            if (started && all[i] != null) {
                sb.append(first ? "" : ", ").append(all[i]);
                first = false;
            }
        }
        return sb.append(") = ").append(resultText(call, returnValue, mem)).toString();
    }

    /** The line of a call that never returns (exit, exit_group, a successful execve in a dying thread): {@code = ?}. */
    public String noReturn(PendingCall call, int column) {
        StringBuilder sb = new StringBuilder(call.name()).append('(');
        boolean first = true;
        for (String t : call.entryText()) {
            if (t != null) {
                sb.append(first ? "" : ", ").append(t);
                first = false;
            }
        }
        return align(sb.append(')'), column).append('?').toString();
    }

    private static final String SPACES = " ".repeat(RESULT_COLUMN);

    private static StringBuilder align(StringBuilder sb, int column) {
        int pad = Math.max(1, RESULT_COLUMN - column - sb.length());
        return sb.append(SPACES, 0, Math.min(pad, RESULT_COLUMN)).append("= ");
    }

    /** A signal's name as strace prints it: {@code SIGCHLD}, {@code SIGRTMIN}, {@code SIGRT_3}. */
    public static String signalName(int sig) {
        return Decoders.signal(sig);
    }

    /** True when a raw return value is a negated errno (the kernel's -4095..-1). */
    public static boolean isError(long returnValue) {
        return returnValue < 0 && returnValue >= -4095;
    }

    /** The text after {@code = }: the value in the row's format, or the errno and its description. */
    static String result(Syscall sc, long[] args, long ret, TraceeMemory mem) {
        if (isError(ret)) {
            int e = (int) -ret;
            String restart = restartText(e);
            if (restart != null) {
                return "? " + Errno.name(e) + " (" + restart + ")";
            }
            return "-1 " + Errno.name(e) + " (" + Errno.describe(e) + ")";
        }
        return switch (sc.ret()) {
            case NO_RETURN -> "?";
            case HEXADECIMAL -> Quote.hex(ret);
            case OCTAL -> Quote.octal(ret);
            case DECIMAL -> switch (sc.name()) {
                case "fcntl" -> fcntlResult((int) args[1], ret);
                case "poll" -> ret + Decoders.pollResult(mem, args[0], (int) args[1], ret);
                default -> Long.toString(ret);
            };
        };
    }

    private static String fcntlResult(int cmd, long ret) {
        if (ret == 0) {
            return "0";
        }
        return switch (cmd) {
            case 1 -> Quote.hex(ret) + " (flags " + Xlat.FD_FLAGS.flags(ret, "0") + ")";
            case 3 -> Quote.hex(ret) + " (flags " + Decoders.openFlags(ret) + ")";
            default -> Long.toString(ret);
        };
    }

    /** strace's words for the kernel-internal restart codes a tracer sees when a signal interrupts a call. */
    private static String restartText(int errno) {
        return switch (errno) {
            case Errno.ERESTARTSYS -> "To be restarted if SA_RESTART is set";
            case Errno.ERESTARTNOINTR -> "To be restarted";
            case Errno.ERESTARTNOHAND -> "To be restarted if no handler";
            case Errno.ERESTART_RESTARTBLOCK -> "Interrupted by signal";
            default -> null;
        };
    }

    private static Syscall unknown(int nr) {
        return new Syscall(nr, SyscallTable.name(nr), 6, Set.of(), Ret.DECIMAL, List.of()); // the kernel answers ENOSYS
    }
}
