package simterpose.simulator.mediation.tracee;

import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.kernel.IntervalTimer;
import simterpose.simulator.kernel.VirtualProcess;

/**
 * One traced process (thread group) of a deployed actor: its virtual kernel process and its
 * live threads. The tracer's owner thread only (it runs the simulation).
 */
public final class ProcessState {
    public final int tgid;
    final VirtualProcess virtual;
    public final DeployedActor owner;
    public final List<TracedThread> threads = new ArrayList<>();
    /** CPU seconds of threads already gone. */
    double cpuOfGone;
    /** Syscalls the process made that count as doing something ({@code SpinGuard}). */
    public long calls;
    /** Each thread's last readiness answers ({@code SpinGuard}). */
    public final java.util.Map<Integer, SpinState> spins = new java.util.HashMap<>();
    /** The real kernel's readiness of the process's real fds (a pidfd kept until it ends). */
    private final ObservedFds realFds;
    /** Which real fds a read or write may block on (pipes, sockets, terminals), read once per fd. */
    final RealFdKinds realFdKinds;

    public ProcessState(int tgid, VirtualProcess virtual, DeployedActor owner,
                        simterpose.simulator.mediation.inputs.RunInputs inputs) {
        this.tgid = tgid;
        this.virtual = virtual;
        this.owner = owner;
        this.realFds = new ObservedFds(new simterpose.tracer.RealFdProbe(tgid), inputs);
        this.realFdKinds = new RealFdKinds(tgid);
        owner.processes.add(this);
    }

    public double cpuSeconds() {
        double s = cpuOfGone;
        for (TracedThread t : threads) {
            s += t.cpuSeconds;
        }
        return s;
    }

    /** The process is ending (exit_group, a fatal signal): siblings blocked in the simulation let go. */
    public void dying(TracedThread caller) {
        for (TracedThread t : List.copyOf(threads)) {
            if (t != caller) {
                t.interrupt();
            }
        }
    }

    /** ITIMER_REAL and alarm ({@code AlarmHandlers}); a new process starts without one. */
    private IntervalTimer realTimer;

    public IntervalTimer realTimer(java.util.function.Function<ProcessState, IntervalTimer> make) {
        if (realTimer == null) {
            realTimer = make.apply(this);
        }
        return realTimer;
    }

    /** timer_create's timers on simulated clocks ({@code PosixTimerHandlers}); a new process starts without. */
    public final simterpose.simulator.kernel.PosixTimers timers = new simterpose.simulator.kernel.PosixTimers();

    void threadGone(TracedThread t) {
        threads.remove(t);
        t.run.kernel().futexes().forget(t);
        t.run.kernel().futexes().threadEnded(this); // its clear_child_tid word was cleared and woken by the kernel
        spins.remove(t.tid);
        cpuOfGone += t.cpuSeconds;
        if (threads.isEmpty()) {
            if (realTimer != null) {
                realTimer.disarm();
            }
            timers.disarmAll();
            virtual.exit();
            t.run.idleProbes().signalMayHaveCome(); // SIGCHLD for the parent
            realFds.close();
        }
    }

    /** Probes the process's real fds (the real side of a wait mixing virtual and real fds). */
    public ObservedFds realFds() {
        return realFds;
    }
}
