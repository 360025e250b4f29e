package simterpose.simulator.mediation.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.tracee.SpinSigns;
import simterpose.simulator.mediation.tracee.TracedThread;
import simterpose.tracer.ThreadCpuClock;
import simterpose.tracer.syscall.SyscallTable;

/**
 * A spinning run is diagnosed, never silent: when the simulated clock has stood still for a
 * second of wall time (or two quanta, if longer), the watchdog measures over each following
 * second which traced threads burn CPU (their schedstat), and names them on stderr (actor, host,
 * tid, the CPU time each burnt while the clock stood, where its instruction pointer was at its
 * last preemption as a mapped file and offset for addr2line, its last mediated syscall) every
 * {@link #REPEAT_NANOS} while the clock stays; with {@code --spin-limit} the run ends there as a
 * deadlock whose rows are the spinning threads. Under MEASURED, where a spinner's CPU time moves
 * the clock, a thread that burns {@link #COMPUTING_QUANTA} quanta without a syscall is named the
 * same way. Runs on the watchdog's thread; it reads /proc and the run's volatile views only.
 */
final class SpinWatch {
    /** The clock still this long before threads are measured, and the measuring window. */
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final long REPEAT_NANOS = 10_000_000_000L;
    /**
     * A thread that burnt this much CPU time in a window spins: a blocked thread burns none, and
     * a spinner on a machine loaded by others may get only a few percent of a CPU.
     */
    private static final long SPINNING_NANOS = 10_000_000L;

    /** One thread that burns CPU while the clock stands still, and how much it burnt meanwhile. */
    record Spinner(TracedThread thread, long cpuNanos) {
        String describe() {
            return String.format(Locale.ROOT, "%s (%.3f s of CPU time while the clock stood, %s)",
                    RunReport.BlockedActor.SPINNING, cpuNanos / 1e9, where(thread));
        }
    }

    /** Where the thread was at its last preemption (file+offset for addr2line) and its last mediated syscall. */
    static String where(TracedThread thread) {
        long ip = thread.spin.lastPreemptedIp;
        String where = ip == 0 ? "not preempted yet, so where it is is unknown"
                : String.format(Locale.ROOT, "last preempted at 0x%x%s", ip, mapping(thread.process.tgid, ip));
        int nr = thread.spin.lastSyscallNr;
        return where + ", " + (nr < 0 ? "no mediated syscall yet" : "last mediated syscall " + SyscallTable.name(nr));
    }

    static String name(TracedThread thread) {
        return thread.process.owner.name + "[" + thread.tid + "] on " + thread.process.owner.host.name();
    }

    private final Run run;
    private final long limitNanos;
    /** How long the clock stands still before threads are measured. */
    private final long stillNanos;
    private double lastSim = Double.NaN;
    private long stillSince;
    private Map<TracedThread, Long> cpuAtWindowStart;
    /** Each thread's CPU time when it was first measured while the clock stood. */
    private final Map<TracedThread, Long> cpuWhenStill = new HashMap<>();
    private long windowStart;
    private long nextReport;

    /**
     * Quanta of CPU time burnt without a syscall that name a thread under MEASURED (4 s at the
     * default quantum): far beyond what a program computes between two syscalls.
     */
    static final int COMPUTING_QUANTA = 1000;
    private final boolean measured;
    private final long quantumNanos;
    private long nextComputingLook;
    private final Map<TracedThread, Computing> computing = new HashMap<>();

    SpinWatch(Run run) {
        this.run = run;
        this.measured = run.options().cpuMode() == simterpose.simulator.mediation.RunOptions.CpuMode.MEASURED;
        this.quantumNanos = run.options().quantum().toNanos();
        this.limitNanos = run.options().spinLimit().toNanos();
        // a thread that computes a quantum without a syscall is not preempted before: not a spinner yet
        this.stillNanos = Math.max(WINDOW_NANOS, 2 * run.options().quantum().toNanos());
    }

    /**
     * One look (every millisecond, cheap unless the clock has stood still a second): returns
     * the spinning threads when the run must end at its spin limit, else null.
     */
    List<Spinner> look(long now) {
        if (measured && now >= nextComputingLook) {
            nextComputingLook = now + WINDOW_NANOS;
            nameLongComputations(now);
        }
        double sim = run.simNow();
        if (sim != lastSim) {
            lastSim = sim;
            stillSince = now;
            cpuAtWindowStart = null;
            cpuWhenStill.clear();
            nextReport = 0;
            return null;
        }
        if (now - stillSince < stillNanos) {
            return null;
        }
        if (cpuAtWindowStart == null || now - windowStart < WINDOW_NANOS) {
            if (cpuAtWindowStart == null) {
                cpuAtWindowStart = cpuTimes();
                cpuWhenStill.putAll(cpuAtWindowStart);
                windowStart = now;
            }
            return null;
        }
        List<Spinner> spinners = new ArrayList<>();
        Map<TracedThread, Long> cpuNow = cpuTimes();
        for (Map.Entry<TracedThread, Long> e : cpuNow.entrySet()) {
            cpuWhenStill.putIfAbsent(e.getKey(), e.getValue());
            Long before = cpuAtWindowStart.get(e.getKey());
            if (before != null && e.getValue() - before >= SPINNING_NANOS) {
                spinners.add(new Spinner(e.getKey(), e.getValue() - cpuWhenStill.get(e.getKey())));
            }
        }
        spinners.sort(Comparator.comparingLong(Spinner::cpuNanos).reversed());
        cpuAtWindowStart = cpuNow;
        windowStart = now;
        if (spinners.isEmpty()) {
            return null;
        }
        long still = now - stillSince;
        boolean end = limitNanos > 0 && still >= limitNanos;
        if (end || now >= nextReport) {
            nextReport = now + REPEAT_NANOS;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "the simulated clock has stood at %.6f s for %.1f s of wall time while traced threads burn CPU: ",
                    sim, still / 1e9));
            for (int i = 0; i < spinners.size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(name(spinners.get(i).thread())).append(' ').append(spinners.get(i).describe());
            }
            sb.append(end ? "; the run ends here (--spin-limit)" : "; Ctrl-C stops the run with its report (or run with --spin-limit=TIME)");
            run.listener().diagnostic(sb.toString());
        }
        return end ? spinners : null;
    }

    /**
     * Under --cpu-model=measured a spinning thread's CPU time moves the clock, so the run goes on
     * in simulated time: a thread that has burnt {@link #COMPUTING_QUANTA} quanta of CPU time
     * while preempted again and again without a syscall is named (every {@link #REPEAT_NANOS}
     * while it goes on): it computes, or spins.
     */
    private void nameLongComputations(long now) {
        List<TracedThread> live = run.liveThreads();
        for (TracedThread t : live) {
            int quanta = t.spin.quanta;
            if (quanta < SpinSigns.SPIN_QUANTA) {
                computing.remove(t);
                continue;
            }
            long streak = t.spin.preemptions - quanta; // which preemption the streak began after
            Computing c = computing.get(t);
            if (c == null || c.streak != streak) {
                long cpu = cpuNanos(t);
                if (cpu >= 0) {
                    computing.put(t, new Computing(streak, cpu));
                }
                continue;
            }
            long burnt = cpuNanos(t) - c.cpuAtStart;
            if (burnt >= COMPUTING_QUANTA * quantumNanos && (c.namedAt == 0 || now - c.namedAt >= REPEAT_NANOS)) {
                c.namedAt = now;
                run.listener().diagnostic(String.format(Locale.ROOT,
                        "%s has burnt %.1f s of CPU time without a syscall, preempted %d times in a row (under"
                                + " --cpu-model=measured that CPU time moves the simulated clock, now at %.6f s), %s:"
                                + " it computes, or spins on something that does not come; Ctrl-C stops the run with its report",
                        name(t), burnt / 1e9, quanta, run.simNow(), where(t)));
            }
        }
        computing.keySet().retainAll(live);
    }

    /** A streak of preemptions without a syscall: where it began, the thread's CPU time then, when it was named. */
    private static final class Computing {
        final long streak;
        final long cpuAtStart;
        long namedAt;

        Computing(long streak, long cpuAtStart) {
            this.streak = streak;
            this.cpuAtStart = cpuAtStart;
        }
    }

    private static long cpuNanos(TracedThread t) {
        ThreadCpuClock c = ThreadCpuClock.of(t.process.tgid, t.tid);
        if (c == null) {
            return -1;
        }
        try {
            return c.nanos();
        } finally {
            c.close();
        }
    }

    /** Each live thread's CPU time now (threads gone meanwhile are left out). */
    private Map<TracedThread, Long> cpuTimes() {
        Map<TracedThread, Long> cpu = new HashMap<>();
        for (TracedThread t : run.liveThreads()) {
            long ns = cpuNanos(t);
            if (ns >= 0) {
                cpu.put(t, ns);
            }
        }
        return cpu;
    }

    /** " in FILE+0xOFFSET" for the mapping of {@code ip} in the process (addr2line's input), or "". */
    static String mapping(int pid, long ip) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
                // start-end perms offset dev inode path
                String[] f = line.trim().split("\\s+", 6);
                int dash = f[0].indexOf('-');
                long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                if (Long.compareUnsigned(ip, start) >= 0 && Long.compareUnsigned(ip, end) < 0) {
                    long offset = Long.parseUnsignedLong(f[2], 16) + (ip - start);
                    String file = f.length > 5 ? f[5] : "[anonymous]";
                    return String.format(Locale.ROOT, " in %s+0x%x", file, offset);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or a line we do not read: no mapping named
        }
        return "";
    }

    /** The rows of the report's deadlock section for the spinning threads. */
    List<RunReport.BlockedActor> rows(List<Spinner> spinners) {
        List<RunReport.BlockedActor> rows = new ArrayList<>();
        for (Spinner s : spinners) {
            rows.add(new RunReport.BlockedActor(s.thread().process.owner.name, s.thread().tid, s.describe(), lastSim));
        }
        return rows;
    }
}
