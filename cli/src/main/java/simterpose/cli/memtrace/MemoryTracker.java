package simterpose.cli.memtrace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.addressspace.AddressSpace;
import simterpose.tracer.addressspace.Kind;
import simterpose.tracer.addressspace.ProcFs;
import simterpose.tracer.addressspace.Region;
import simterpose.tracer.addressspace.Totals;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.SyscallFormatter;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The stop handler of {@code simterpose memtrace}: keeps each traced process's
 * {@link AddressSpace} up to date from the syscalls that change it and prints one line per
 * memory event (the call as {@code trace} prints it, what changed, the running totals), the
 * signals received, and a per-process summary with peaks at the end.
 *
 * <p>Accounting is per process (threads share one address space), attribution per thread.
 * Without -f only the first process is reported; its threads always are (they change its
 * address space). A change is applied at the call's exit stop, once the kernel has made it.
 *
 * <p>Thread rule: the engine runs it inline on the ptrace owner thread, which owns every
 * field; {@link #finish} runs on the command's thread after the tracee is gone.
 */
public final class MemoryTracker implements StopHandler {
    /** The syscalls that change mappings, and those that tell which file an fd names. */
    static final Set<String> MEMORY_CALLS = Set.of("brk", "mmap", "munmap", "mremap", "mprotect", "pkey_mprotect",
            "madvise", "shmat", "shmdt");
    static final Set<String> FD_CALLS = Set.of("open", "openat", "openat2", "creat", "close", "close_range",
            "dup", "dup2", "dup3", "fcntl");
    private static final int MAP_SHARED_MASK = 0x3; // MAP_SHARED 1, MAP_PRIVATE 2, MAP_SHARED_VALIDATE 3
    private static final int MAP_PRIVATE = 0x2;
    private static final int MADV_DONTNEED = 4;
    private static final int F_DUPFD = 0, F_DUPFD_CLOEXEC = 1030;

    /** The syscall numbers memtrace must see (its seccomp filter when not stepping). */
    public static Set<Integer> syscalls() {
        Set<Integer> nrs = new TreeSet<>();
        for (String name : MEMORY_CALLS) {
            SyscallTable.byName(name).ifPresent(s -> nrs.add(s.number()));
        }
        for (String name : FD_CALLS) {
            SyscallTable.byName(name).ifPresent(s -> nrs.add(s.number()));
        }
        return nrs;
    }

    private static final Set<Integer> WATCHED = syscalls();

    private final Writer out;
    private final boolean flushEachLine;
    private final boolean follow;
    private final SyscallFormatter formatter;
    private final Map<Integer, Integer> tgidOf = new HashMap<>();
    private final Map<Integer, ProcessMemory> live = new LinkedHashMap<>();
    private final List<ProcessMemory> ended = new ArrayList<>();
    private final Map<Integer, PendingCall> pending = new HashMap<>();
    private final Map<Integer, Long> residentAtEntry = new HashMap<>();
    /** What a thread's munmap, mremap or shmdt took out of the model at its entry, until its exit. */
    private final Map<Integer, List<Region>> unmappedAtEntry = new HashMap<>();
    private int root = -1;
    private StepConsole console;
    private Consumer<Stop> afterEvent = stop -> { };
    private IOException failure;

    public MemoryTracker(Writer out, boolean flushEachLine, boolean follow, int strsize) {
        this.out = out;
        this.flushEachLine = flushEachLine;
        this.follow = follow;
        this.formatter = new SyscallFormatter(strsize);
    }

    /** Step mode: the console opens at every syscall entry and exit of the reported processes. */
    public void stepWith(StepConsole stepConsole) {
        this.console = stepConsole;
        stepConsole.setInspector(this::processReport);
    }

    /** Called after each memory event has been applied (tests compare with /proc there). */
    public void afterEachEvent(Consumer<Stop> hook) {
        this.afterEvent = hook;
    }

    /** For -p: the attached process is the first one. */
    public void setRoot(int pid) {
        root = pid;
    }

    /** The first traced process (the launched command or the attached one); -1 before its first stop. */
    public int rootPid() {
        return root;
    }

    /** The running totals of a traced process, or null if it is not (or no longer) traced. */
    public Totals totalsOf(int pid) {
        ProcessMemory p = live.get(pid);
        return p == null ? null : p.totals();
    }

    /** The peaks of every process image seen, ended or not, by pid (the last image of a pid wins). */
    public Map<Integer, Totals> peaks() {
        Map<Integer, Totals> m = new LinkedHashMap<>();
        ended.forEach(p -> m.put(p.pid, p.peaks()));
        live.values().forEach(p -> m.put(p.pid, p.peaks()));
        return m;
    }

    @Override
    public Resume onStop(Stop stop) {
        StopEvent event = stop.event();
        int tid = event.tid();
        if (root < 0) {
            root = tid;
        }
        int tgid = tgid(tid);
        boolean reported = follow || tgid == root;
        ProcessMemory proc = reported ? process(tgid, null) : null;
        switch (event) {
            case StopEvent.SyscallEntry e -> {
                boolean stepping = console != null && console.stepping();
                if (!reported || !stepping && !WATCHED.contains((int) e.nr())) {
                    return Resume.NO_EXIT_STOP;
                }
                PendingCall call = formatter.onEntry(tid, (int) e.nr(), e.args(), stop.memory());
                String name = call.name();
                if (name.equals("madvise") && e.args()[2] == MADV_DONTNEED) {
                    residentAtEntry.put(tid, ProcFs.residentBytes(tgid));
                }
                pending.put(tid, call);
                unmapAtEntry(proc, tid, call);
                if (stepping) {
                    console.pause(stop, call, formatter, null);
                }
                return Resume.CONTINUE;
            }
            case StopEvent.SyscallExit x -> {
                PendingCall call = pending.remove(tid);
                if (call == null || proc == null) {
                    return Resume.CONTINUE;
                }
                List<Region> unmapped = unmappedAtEntry.remove(tid);
                if (!x.restarting() && !SyscallFormatter.isError(x.result())) {
                    exit(stop, proc, call, x, unmapped != null ? unmapped : List.of());
                } else if (unmapped != null) {
                    unmapped.forEach(proc.space::map); // the call failed: nothing was unmapped
                }
                if (console != null && console.stepping()) {
                    console.pause(stop, call, formatter, x.result());
                }
            }
            case StopEvent.Exec e -> {
                if (e.formerTid() != tid) {
                    pending.remove(e.formerTid());
                    tgidOf.remove(e.formerTid());
                }
                pending.remove(tid);
                if (proc != null) {
                    live.remove(tgid);
                    // An image that changed nothing before its exec (the launch's shell, a forked
                    // child that execs at once) is not worth a summary of its own.
                    if (!proc.eventsByThread.isEmpty()) {
                        proc.end = "exec'd " + e.path();
                        ended.add(proc);
                    }
                    ProcessMemory image = process(tgid, e.path());
                    line(tid, tgid, "execve(\"" + e.path() + "\") = 0 | new image | " + totalsText(image.totals()));
                    if (console != null && console.stepping()) {
                        console.pause(stop, null, formatter, null);
                    }
                }
            }
            case StopEvent.NewChild c -> {
                int childTgid = c.kind() == StopEvent.NewChild.Kind.CLONE ? ProcFs.tgid(c.childTid()) : c.childTid();
                tgidOf.put(c.childTid(), childTgid < 0 ? c.childTid() : childTgid);
                if (proc != null && childTgid == tgid) {
                    line(tid, tgid, "new thread " + c.childTid());
                } else if (proc != null) {
                    ProcessMemory child = follow ? process(c.childTid(), proc.image) : null;
                    line(tid, tgid, "new process " + c.childTid() + " (" + c.kind().name().toLowerCase() + ")"
                            + (child != null ? " | " + totalsText(child.totals()) : ""));
                }
            }
            case StopEvent.Interrupted i -> { } // memtrace never interrupts
            case StopEvent.SignalDelivery s -> {
                if (proc != null) {
                    String sig = SyscallFormatter.signalName(s.signal());
                    line(tid, tgid, "--- " + sig + " {si_signo=" + sig + "} ---");
                }
            }
            case StopEvent.GroupStop g -> {
                if (proc != null) {
                    line(tid, tgid, "--- stopped by " + SyscallFormatter.signalName(g.signal()) + " ---");
                }
            }
            case StopEvent.Exited x -> gone(tid, tgid, proc, "exited with " + x.status());
            case StopEvent.Killed k -> gone(tid, tgid, proc, "killed by " + SyscallFormatter.signalName(k.signal()));
        }
        return Resume.CONTINUE;
    }

    private void gone(int tid, int tgid, ProcessMemory proc, String how) {
        pending.remove(tid);
        tgidOf.remove(tid);
        if (proc == null) {
            return;
        }
        line(tid, tgid, "+++ " + how + " +++");
        if (tid == tgid) { // the leader is reported last, once every other thread is gone
            proc.end = how;
            live.remove(tgid);
            ended.add(proc);
        }
    }

    private int tgid(int tid) {
        return tgidOf.computeIfAbsent(tid, t -> {
            int g = ProcFs.tgid(t);
            return g < 0 ? t : g;
        });
    }

    private ProcessMemory process(int tgid, String image) {
        ProcessMemory p = live.get(tgid);
        if (p == null) {
            p = ProcessMemory.fromProc(tgid, image);
            live.put(tgid, p);
        }
        return p;
    }

    // ------------------------------------------------------------------ the calls

    /**
     * munmap, mremap and shmdt free their range inside the call: another thread's mmap may get
     * it and report its exit first. So the range leaves the model at the entry stop (before the
     * kernel frees it), and comes back if the call fails.
     */
    private void unmapAtEntry(ProcessMemory proc, int tid, PendingCall call) {
        long[] a = call.args();
        List<Region> removed = switch (call.name()) {
            case "munmap" -> proc.space.unmap(a[0], a[0] + AddressSpace.pageUp(a[1]));
            case "mremap" -> a[1] == 0 ? List.of() : proc.space.unmap(a[0], a[0] + AddressSpace.pageUp(a[1]));
            case "shmdt" -> {
                Long size = proc.sysvAttached.remove(a[0]);
                Region r = proc.space.regionAt(a[0]);
                long len = size != null ? size : r != null && r.kind() == Kind.SHARED ? r.size() : 0;
                yield len > 0 ? proc.space.unmap(a[0], a[0] + len) : List.of();
            }
            default -> null;
        };
        if (removed != null) {
            unmappedAtEntry.put(tid, removed);
        }
    }

    private void exit(Stop stop, ProcessMemory proc, PendingCall call, StopEvent.SyscallExit x, List<Region> unmapped) {
        long[] a = call.args();
        long ret = x.result();
        AddressSpace space = proc.space;
        Totals before = proc.totals();
        String change;
        switch (call.name()) {
            case "brk" -> {
                if (proc.startBrk == 0) {
                    proc.startBrk = ret;
                }
                space.setHeap(proc.startBrk, AddressSpace.pageUp(ret));
                change = diff(before, proc.totals(), "");
            }
            case "mmap" -> {
                int flags = (int) a[3];
                boolean shared = (flags & MAP_SHARED_MASK) != MAP_PRIVATE;
                boolean anonymous = (flags & 0x20) != 0 || (int) a[4] < 0;
                String file = anonymous ? null : fileOf(proc, a[4]);
                Kind kind = shared ? Kind.SHARED : anonymous || "/dev/zero".equals(file) ? Kind.ANON : Kind.FILE;
                String name = kind == Kind.ANON ? "" : file != null ? file : "anonymous";
                space.map(new Region(ret, ret + AddressSpace.pageUp(a[1]), kind, name, a[2] != 0));
                change = diff(before, proc.totals(), name);
            }
            case "munmap" -> change = diff(Totals.of(unmapped), Totals.ZERO, names(unmapped));
            case "mremap" -> {
                Region template = unmapped.isEmpty() ? space.regionAt(a[0]) : unmapped.getFirst();
                Region now = template == null ? null
                        : new Region(ret, ret + AddressSpace.pageUp(a[2]), template.kind(), template.name(), template.accessible());
                if (now != null) {
                    space.map(now);
                }
                change = diff(Totals.of(unmapped), now != null ? Totals.of(List.of(now)) : Totals.ZERO,
                        now != null ? now.name() : "");
            }
            case "mprotect", "pkey_mprotect" -> {
                String name = names(space.overlapping(a[0], a[0] + AddressSpace.pageUp(a[1])));
                long changed = space.protect(a[0], a[0] + AddressSpace.pageUp(a[1]), (a[2] & 0x7) != 0);
                if (changed == 0) {
                    return; // only a change of what is usable is a memory event
                }
                change = diff(before, proc.totals(), name);
            }
            case "shmat" -> {
                long size = AddressSpace.pageUp(Math.max(0, ProcFs.sysvShmSize(a[0])));
                String name = "SysV shm " + a[0];
                if (size > 0) {
                    space.map(new Region(ret, ret + size, Kind.SHARED, name, true));
                    proc.sysvAttached.put(ret, size);
                }
                change = diff(before, proc.totals(), name);
            }
            case "shmdt" -> change = diff(Totals.of(unmapped), Totals.ZERO, names(unmapped));
            case "madvise" -> {
                if (a[2] != MADV_DONTNEED) {
                    return;
                }
                Long residentBefore = residentAtEntry.remove(x.tid());
                long residentAfter = ProcFs.residentBytes(proc.pid);
                change = "frees " + Units.both(AddressSpace.pageUp(a[1])) + " of pages"
                        + (residentBefore != null && residentBefore >= 0 && residentAfter >= 0
                        ? ", resident " + Units.delta(residentAfter - residentBefore) : "");
            }
            default -> {
                fdCall(proc, call, ret);
                return;
            }
        }
        proc.countEvent(x.tid());
        proc.notePeaks();
        String callText = formatter.onExit(call, ret, stop.memory());
        line(x.tid(), proc.pid, callText + " | " + change + " | " + totalsText(proc.totals()));
        afterEvent.accept(stop);
    }

    /** Keeps the fd → file table: the name an fd has when mmap is called with it. */
    private static void fdCall(ProcessMemory proc, PendingCall call, long ret) {
        long[] a = call.args();
        switch (call.name()) {
            case "open", "openat", "openat2", "creat" -> proc.fds.put(ret, ProcFs.fdPath(proc.pid, ret));
            case "close" -> proc.fds.remove(a[0]);
            case "close_range" -> proc.fds.keySet().removeIf(fd -> fd >= a[0] && Long.compareUnsigned(fd, a[1]) <= 0);
            case "dup", "dup2", "dup3" -> proc.fds.put(ret, fileOf(proc, a[0]));
            case "fcntl" -> {
                if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC) {
                    proc.fds.put(ret, fileOf(proc, a[0]));
                }
            }
            default -> { }
        }
    }

    /** The file an fd names: from the table, else (inherited, or opened before an attach) from /proc. */
    private static String fileOf(ProcessMemory proc, long fd) {
        String known = proc.fds.get(fd);
        return known != null ? known : ProcFs.fdPath(proc.pid, fd);
    }

    private static String names(List<Region> regions) {
        Set<String> n = new java.util.LinkedHashSet<>();
        regions.forEach(r -> {
            if (!r.name().isEmpty()) {
                n.add(r.name());
            }
        });
        return String.join(", ", n);
    }

    /** What changed, kind by kind: {@code anon +67108864 (64.0 MiB)}; FILE and SHARED changes name their mapping. */
    static String diff(Totals before, Totals after, String name) {
        List<String> parts = new ArrayList<>();
        for (Kind k : List.of(Kind.HEAP, Kind.ANON, Kind.FILE, Kind.SHARED)) {
            long d = after.of(k) - before.of(k);
            if (d != 0) {
                boolean named = (k == Kind.FILE || k == Kind.SHARED) && !name.isEmpty();
                parts.add(k.label() + (named ? " " + name : "") + " " + Units.delta(d));
            }
        }
        long r = after.reserved() - before.reserved();
        if (r != 0) {
            parts.add("reserved " + Units.delta(r));
        }
        return parts.isEmpty() ? "no change" : String.join(", ", parts);
    }

    /** The running totals: {@code heap 135168 (132.0 KiB), anon …, file …, shared …, reserved …}. */
    static String totalsText(Totals t) {
        return "heap " + Units.both(t.heap()) + ", anon " + Units.both(t.anon()) + ", file " + Units.both(t.file())
                + ", shared " + Units.both(t.shared()) + ", reserved " + Units.both(t.reserved());
    }

    // ------------------------------------------------------------------ console and output

    /** The console's {@code process [id]}: memtrace's accounting of the process plus the kernel's own figures. */
    private String processReport(int id) {
        int tgid = tgid(id);
        ProcessMemory p = live.get(tgid);
        StringBuilder sb = new StringBuilder();
        sb.append(tgid == id ? "process " + id : "thread " + id + " of process " + tgid);
        if (p == null) {
            return sb.append(": not traced\n").toString();
        }
        sb.append(p.image != null ? " (" + p.image + ")" : "").append('\n');
        Totals now = p.totals();
        Totals peak = p.peaks();
        sb.append(String.format("  %-9s %-24s %s%n", "kind", "now", "peak"));
        for (Kind k : List.of(Kind.HEAP, Kind.ANON, Kind.FILE, Kind.SHARED)) {
            sb.append(String.format("  %-9s %-24s %s%n", k.label(), Units.both(now.of(k)), Units.both(peak.of(k))));
        }
        sb.append(String.format("  %-9s %-24s %s%n", "reserved", Units.both(now.reserved()), Units.both(peak.reserved())));
        sb.append(StepConsole.procStatus(tgid));
        return sb.toString();
    }

    private void line(int tid, int tgid, String body) {
        if (failure != null) {
            return;
        }
        try {
            out.write(prefix(tid, tgid));
            out.write(body);
            out.write('\n');
            if (flushEachLine) {
                out.flush();
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** {@code [1234] } for a process's main thread, {@code [1234/1236] } for another of its threads. */
    static String prefix(int tid, int tgid) {
        return tid == tgid ? "[" + tgid + "] " : "[" + tgid + "/" + tid + "] ";
    }

    /**
     * Writes the per-process summary (processes still traced are marked {@code detached} when
     * {@code detached}, else as running) and flushes; throws if the output could not be written.
     */
    public void finish(boolean detached) {
        List<ProcessMemory> all = new ArrayList<>(ended);
        for (ProcessMemory p : live.values()) {
            if (p.end == null) {
                p.end = detached ? "detached" : "still running";
            }
            all.add(p);
        }
        try {
            out.write(Summary.render(all));
            out.flush();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }
}
