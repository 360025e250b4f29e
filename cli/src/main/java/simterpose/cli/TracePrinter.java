package simterpose.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.Ret;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallFormatter;
import simterpose.tracer.syscall.SyscallSummary;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The stop handler of {@code simterpose trace}: turns stops into strace's lines (or, with -c,
 * into a {@link SyscallSummary}).
 *
 * <p>Thread rule: the engine runs it inline on the ptrace owner thread, so every field is owned
 * by that thread; {@link #finish} is called by the command's thread only after the tracee is
 * gone (the tracee's exit future orders it after the last stop).
 */
final class TracePrinter implements StopHandler {
    /** Prefix style, as strace chooses it. */
    enum Prefix {
        /** No -f: no prefix. */
        NONE,
        /** -f with -o FILE: {@code %-5d } on every line. */
        PID_COLUMN,
        /** -f on stderr: {@code [pid %5d] } once several processes are traced. */
        PID_BRACKETS
    }

    private final Writer out;
    private final boolean flushEachLine;
    private final boolean follow;
    private final Prefix prefix;
    private final SyscallFormatter formatter;
    private final SyscallSummary summary;
    private final Map<Integer, PendingCall> pending = new java.util.LinkedHashMap<>();
    /** When each pending call entered ({@link System#nanoTime}), for -t/-r/-T. */
    private final Map<Integer, Long> enteredAt = new HashMap<>();
    /** Pending calls already written as {@code name(args <unfinished ...>}, in entry order. */
    private final Set<Integer> shownUnfinished = new HashSet<>();
    private TraceTimes times = TraceTimes.NONE;
    private final Map<Integer, long[]> pendingTimes = new HashMap<>();
    private final Set<Integer> live = new HashSet<>();
    /** The first traced process: without -f only its lines are printed, as strace traces only it. */
    private int root = -1;
    private IOException failure;

    private final Set<Integer> selected;
    /** Every selected call is {@link #NEVER_BLOCK}. */
    private final boolean selectionNeverBlocks;
    /** {@code trace --step}: the console that opens at each selected call's entry and exit, or null. */
    private simterpose.cli.memtrace.StepConsole console;
    /** How the user named the program, when strace would print that rather than the resolved path. */
    private String launchPath;
    /** What the last stop left for {@link #afterStop}: an entry to decode, a line to write; or null. */
    private StopEvent.SyscallEntry laterEntry;
    private LaterExit laterExit;

    TracePrinter(Writer out, boolean flushEachLine, boolean follow, Prefix prefix, int strsize, boolean summaryOnly,
                 Set<Integer> selected) {
        this.selected = selected;
        this.out = out;
        this.flushEachLine = flushEachLine;
        this.follow = follow;
        this.prefix = prefix;
        this.formatter = new SyscallFormatter(strsize);
        this.summary = summaryOnly ? new SyscallSummary() : null;
        this.selectionNeverBlocks = selectionNeverBlocks(selected, formatter);
    }

    /**
     * strace runs execvp itself: a program given with a slash is printed as given, a bare name
     * as the file found in PATH (which the engine reports).
     */
    void setLaunchPath(String program) {
        launchPath = program.contains("/") ? program : null;
    }

    /** strace's -t/-tt/-ttt/-r/-T: a date or a delta before each line, the time spent at its end. */
    void timesWith(TraceTimes traceTimes) {
        this.times = traceTimes;
    }

    void stepWith(simterpose.cli.memtrace.StepConsole stepConsole) {
        this.console = stepConsole;
    }

    /** For -p: the attached process is the root from the start. */
    void setRoot(int pid) {
        if (root < 0) {
            root = pid;
            live.add(pid);
        }
    }

    /** A line needs the call's number, arguments and result; --step's register view reads the rest when shown. */
    @Override
    public boolean registersOnDemand() {
        return true;
    }

    /**
     * Calls that never block and whose entry prints from the registers alone: when every selected
     * call is one of them, a lone traced thread's entries are shown at their exit stops (one
     * ptrace call less per call; see {@link StopHandler#entriesAtExit}). Never blocking matters:
     * a thread killed inside such a call would leave no line, and only SIGKILL from outside in
     * the call's microseconds can do that.
     */
    private static final Set<String> NEVER_BLOCK = Set.of("getpid", "getppid", "gettid", "getuid", "geteuid",
            "getgid", "getegid", "getpgrp", "getpgid", "getsid", "umask", "sched_yield", "brk", "mmap", "munmap",
            "mprotect", "madvise", "mremap", "lseek", "dup", "dup2", "dup3", "clock_gettime", "clock_getres",
            "gettimeofday", "time", "getcpu", "getrlimit", "getrusage", "sysinfo", "uname");

    private static boolean selectionNeverBlocks(Set<Integer> selected, SyscallFormatter formatter) {
        if (selected.size() > NEVER_BLOCK.size()) {
            return false;
        }
        for (int nr : selected) {
            Syscall sc = SyscallTable.byNumber(nr).orElse(null);
            if (sc == null || !NEVER_BLOCK.contains(sc.name()) || sc.ret() == Ret.NO_RETURN || formatter.entryReadsMemory(nr)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean entriesAtExit() {
        return selectionNeverBlocks && summary == null && console == null && live.size() <= 1
                && laterEntry == null && laterExit == null;
    }

    @Override
    public Resume onStop(Stop stop) {
        StopEvent event = stop.event();
        int tid = event.tid();
        if (root < 0) {
            root = tid;
        }
        live.add(tid);
        if (!follow && tid != root) {
            if (event instanceof StopEvent.Exited || event instanceof StopEvent.Killed) {
                live.remove(tid);
            }
            return event instanceof StopEvent.SyscallEntry ? Resume.NO_EXIT_STOP : Resume.CONTINUE;
        }
        switch (event) {
            case StopEvent.SyscallEntry e -> {
                return entry(stop, e);
            }
            case StopEvent.SyscallExit e -> exit(stop, e);
            case StopEvent.Exec e -> {
                if (e.formerTid() != tid) {
                    // A non-leader thread execed and took the leader's tid: its execve returns there.
                    PendingCall call = pending.remove(e.formerTid());
                    long[] times = pendingTimes.remove(e.formerTid());
                    unfinished(tid); // the old leader vanished inside its call: strace shows "= ?"
                    Long entered = enteredAt.remove(e.formerTid());
                    boolean shown = shownUnfinished.remove(e.formerTid());
                    if (call != null) {
                        pending.put(tid, call);
                        enteredAt.put(tid, entered != null ? entered : e.nanoTime());
                        if (shown) {
                            shownUnfinished.add(tid);
                        }
                    }
                    if (times != null) {
                        pendingTimes.put(tid, times);
                    }
                    live.remove(e.formerTid());
                } else if (!pending.containsKey(tid) && !pendingTimes.containsKey(tid) && tid == root && e.formerTid() == tid) {
                    firstExec(stop, e);
                }
            }
            case StopEvent.NewChild c -> live.add(c.childTid());
            case StopEvent.Interrupted i -> { } // trace never interrupts
            case StopEvent.SignalDelivery s -> {
                if (summary == null) {
                    simterpose.tracer.SignalInfo info = stop.siginfo();
                    line(tid, s.nanoTime(), "--- " + signalName(s.signal()) + " "
                            + (info != null ? info.straceText() : "{si_signo=" + signalName(s.signal()) + "}") + " ---");
                }
            }
            case StopEvent.GroupStop g -> {
                if (summary == null) {
                    line(tid, g.nanoTime(), "--- stopped by " + signalName(g.signal()) + " ---");
                }
            }
            case StopEvent.Exited x -> {
                unfinished(tid);
                if (summary == null) {
                    line(tid, x.nanoTime(), "+++ exited with " + x.status() + " +++");
                }
                live.remove(tid);
            }
            case StopEvent.Killed k -> {
                unfinished(tid);
                if (summary == null) {
                    line(tid, k.nanoTime(), "+++ killed by " + signalName(k.signal()) + (k.coreDumped() ? " (core dumped)" : "") + " +++");
                }
                live.remove(tid);
            }
        }
        return Resume.CONTINUE;
    }

    /** A thread that dies inside a call (kill -9 of itself, exit by another thread) shows it as {@code = ?}. */
    private void unfinished(int tid) {
        PendingCall call = pending.remove(tid);
        pendingTimes.remove(tid);
        Long entered = enteredAt.remove(tid);
        boolean shown = shownUnfinished.remove(tid);
        if (call != null && summary == null) {
            line(tid, entered != null ? entered : System.nanoTime(),
                    shown ? "<... " + call.name() + " resumed>) = ?" : formatter.noReturn(call, prefixWidth(tid)));
        }
    }

    private Resume entry(Stop stop, StopEvent.SyscallEntry e) {
        int nr = (int) e.nr();
        if (!selected.contains(nr)) {
            return Resume.NO_EXIT_STOP; // the filter should not let it stop; never print it
        }
        Syscall sc = SyscallTable.byNumber(nr).orElse(null);
        boolean noReturn = sc != null && sc.ret() == Ret.NO_RETURN;
        if (summary != null) {
            if (noReturn) {
                return Resume.NO_EXIT_STOP; // strace -c leaves out calls that never return
            }
            pendingTimes.put(e.tid(), new long[] {nr, e.nanoTime()});
            return Resume.CONTINUE;
        }
        if (!noReturn && console == null && !formatter.entryReadsMemory(nr)) {
            laterEntry = e; // its arguments are in the event: decoded once the thread runs again
            return Resume.CONTINUE;
        }
        PendingCall call = formatter.onEntry(e.tid(), nr, e.args(), stop.memory());
        if (noReturn) {
            // exit and exit_group never come back: strace prints them with "= ?" right away
            line(e.tid(), e.nanoTime(), formatter.noReturn(call, prefixWidth(e.tid())));
            return Resume.NO_EXIT_STOP;
        }
        entered(e, call);
        if (console != null && console.stepping()) {
            console.pause(stop, call, formatter, null);
        }
        return Resume.CONTINUE;
    }

    /** A call that will return is pending from its entry {@code e} on. */
    private void entered(StopEvent.SyscallEntry e, PendingCall call) {
        showOthersUnfinished(e.tid());
        pending.put(e.tid(), call);
        enteredAt.put(e.tid(), e.nanoTime());
    }

    private void exit(Stop stop, StopEvent.SyscallExit e) {
        if (summary != null) {
            long[] t = pendingTimes.remove(e.tid());
            if (t != null && !e.restarting()) {
                summary.add((int) t[0], e.nanoTime() - t[1], SyscallFormatter.isError(e.result()));
            }
            return;
        }
        PendingCall call = pending.remove(e.tid());
        Long entered = enteredAt.remove(e.tid());
        if (call != null) {
            long start = entered != null ? entered : e.nanoTime();
            String spent = times.spent(e.nanoTime() - start);
            if (shownUnfinished.remove(e.tid())) {
                line(e.tid(), e.nanoTime(), "<... " + call.name() + " resumed>"
                        + resumedPart(call, e.result(), stop.memory()) + spent);
            } else if (console == null && !formatter.exitReadsMemory(call)) {
                laterExit = new LaterExit(e.tid(), start, call, e.result(), spent);
            } else {
                line(e.tid(), start, formatter.onExit(call, e.result(), stop.memory(), prefixWidth(e.tid())) + spent);
            }
            if (console != null && console.stepping()) {
                console.pause(stop, call, formatter, e.result());
            }
        }
    }

    /** A returned call whose line needs nothing more from the thread: written once it runs again. */
    private record LaterExit(int tid, long start, PendingCall call, long result, String spent) {}

    /**
     * Decodes the entry and writes the line that {@link #entry} and {@link #exit} left for now,
     * the thread resumed: they need only the registers the event carries, and strace's order
     * holds because nothing else happens in between.
     */
    @Override
    public void afterStop() {
        StopEvent.SyscallEntry e = laterEntry;
        if (e != null) {
            laterEntry = null;
            entered(e, formatter.onEntry(e.tid(), (int) e.nr(), e.args(), null));
        }
        LaterExit x = laterExit;
        if (x != null) {
            laterExit = null;
            line(x.tid(), x.start(), formatter.onExit(x.call(), x.result(), null, prefixWidth(x.tid())) + x.spent());
        }
    }

    /**
     * The launched command is first seen after its execve returned; strace saw that execve
     * from the caller's side. Rebuild the line from the new image's initial stack
     * ({@code /proc/PID/stat} startstack: argc, argv[], NULL, envp[]), which holds the same
     * argv and environment.
     */
    private void firstExec(Stop stop, StopEvent.Exec e) {
        int execve = SyscallTable.byName("execve").orElseThrow().number();
        if (!selected.contains(execve)) {
            return;
        }
        if (summary != null) {
            summary.add(execve, 0, false);
            return;
        }
        long sp = startStack(e.tid());
        TraceeMemory mem = stop.memory();
        long argc = sp == 0 ? -1 : mem.readLong(sp, -1);
        if (argc < 0 || argc > 1_000_000) {
            return;
        }
        byte[] path = (launchPath != null ? launchPath : e.path()).getBytes(StandardCharsets.UTF_8);
        long[] args = {0, sp + 8, sp + 8 * (argc + 2), 0, 0, 0};
        TraceeMemory withPath = new PathOverlay(mem, path);
        args[0] = PathOverlay.ADDRESS;
        PendingCall call = formatter.onEntry(e.tid(), execve, args, withPath);
        line(e.tid(), e.nanoTime(), formatter.onExit(call, 0, withPath, prefixWidth(e.tid())));
    }

    private static long startStack(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseUnsignedLong(f[25]); // field 28 of stat(5): startstack
        } catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    private int prefixWidth(int tid) {
        return prefixFor(tid).length();
    }

    private String prefixFor(int tid) {
        return switch (prefix) {
            case NONE -> "";
            case PID_COLUMN -> String.format("%-5d ", tid);
            case PID_BRACKETS -> live.size() > 1 ? String.format("[pid %5d] ", tid) : "";
        };
    }

    /**
     * strace writes a call's name and in-arguments at its entry: when another thread's line
     * comes before the call returns, the call shows as {@code name(args <unfinished ...>} and
     * its end as {@code <... name resumed>rest) = result}. We hold each call until its exit
     * and write that first half only when another thread's line needs the place.
     */
    private void showOthersUnfinished(int tid) {
        if (summary != null || pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Integer, PendingCall> p : pending.entrySet()) {
            int other = p.getKey();
            if (other != tid && !shownUnfinished.contains(other)) {
                shownUnfinished.add(other);
                write(other, enteredAt.getOrDefault(other, System.nanoTime()), unfinishedPart(p.getValue()) + "<unfinished ...>");
            }
        }
    }

    private String unfinishedPart(PendingCall call) {
        return formatter.unfinishedText(call);
    }

    private String resumedPart(PendingCall call, long result, TraceeMemory memory) {
        return formatter.resumedText(call, result, memory);
    }

    private void line(int tid, long nanoTime, String body) {
        showOthersUnfinished(tid);
        write(tid, nanoTime, body);
    }

    private void write(int tid, long nanoTime, String body) {
        if (failure != null) {
            return;
        }
        try {
            String prefixText = prefixFor(tid);
            String stamp = times.stamp(nanoTime);
            if (!prefixText.isEmpty()) {
                out.write(prefixText);
            }
            if (!stamp.isEmpty()) {
                out.write(stamp);
            }
            out.write(body);
            out.write('\n');
            if (flushEachLine) {
                out.flush();
            }
        } catch (IOException ex) {
            failure = ex;
        }
    }

    /** Writes the -c table if asked, flushes, and reports a write error. */
    void finish() {
        try {
            if (summary != null) {
                out.write(summary.render());
            }
            out.flush();
        } catch (IOException ex) {
            failure = failure == null ? ex : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }

    private static String signalName(int sig) {
        return SyscallFormatter.signalName(sig);
    }

    /** The tracee's memory plus one synthetic string (the exec'd path) at a fixed unmapped address. */
    private record PathOverlay(TraceeMemory mem, byte[] path) implements TraceeMemory {
        static final long ADDRESS = 0xffff_ffff_ffff_f000L;

        @Override
        public int read(long address, byte[] dst, int offset, int length) {
            return mem.read(address, dst, offset, length);
        }

        @Override
        public int write(long address, byte[] src, int offset, int length) {
            return mem.write(address, src, offset, length);
        }

        @Override
        public long read(long[] remoteIov, long skip, MemorySegment dst) {
            return mem.read(remoteIov, skip, dst);
        }

        @Override
        public long write(List<MemorySegment> src, long[] remoteIov) {
            return mem.write(src, remoteIov);
        }

        @Override
        public CString readCString(long address, int maxBytes) {
            if (address == ADDRESS) {
                int n = Math.min(path.length, maxBytes);
                return new CString(java.util.Arrays.copyOf(path, n), n < path.length);
            }
            return mem.readCString(address, maxBytes);
        }
    }
}
