package simterpose.tracer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import simterpose.bindings.Errno;
import simterpose.tracer.events.StopEvent;

import static simterpose.tracer.Ptrace.*;

/**
 * Turns one waitpid report (a tid and its status word) into a {@link StopEvent} for the
 * handler, or into the tracer's own bookkeeping: syscall entry and exit (told apart per thread,
 * since PTRACE_SYSCALL stops look alike), seccomp stops, signal-delivery and group stops (SEIZE
 * mode tells them apart by PTRACE_EVENT_STOP), clone/fork/vfork events (a child's first stop may
 * come before its parent's event), exec (a non-leader exec takes the leader's tid) and deaths.
 * Owner thread only.
 */
final class WaitDecoder {
    private final TracerOptions options;
    private final TracedThreads threads;
    private final PtraceCalls calls;
    private final StopDispatch dispatch;
    private final ExecSetup execSetup;
    /** Seccomp user notification, or null. */
    private final Notifications notifications;

    WaitDecoder(TracerOptions options, TracedThreads threads, PtraceCalls calls, StopDispatch dispatch, ExecSetup execSetup,
                Notifications notifications) {
        this.notifications = notifications;
        this.options = options;
        this.threads = threads;
        this.calls = calls;
        this.dispatch = dispatch;
        this.execSetup = execSetup;
    }

    /** waitpid reported status {@code st} for {@code pid} at {@code now} (System.nanoTime()). */
    void onWait(int pid, int st, long now) {
        Tid t = threads.get(pid);
        if (t == null) {
            if (stopped(st)) {
                threads.earlyStops.put(pid, st);
            }
            return;
        }
        if (!stopped(st)) {
            dispatch.gone(t, st, now);
            return;
        }
        int sig = stopSignal(st);
        int event = event(st);
        if (t.detachPending) {
            dispatch.detachNow(t, event == 0 && sig != SYSCALL_STOP ? sig : 0);
            return;
        }
        if (t.swallowSeccomp) {
            t.swallowSeccomp = false;
            if (event == EVENT_SECCOMP) {
                calls.ptraceQuiet(SYSCALL, t.tid, 0);
                return;
            }
        }
        if (t.newborn && event == EVENT_STOP) {
            t.newborn = false;
            dispatch.restart(t, 0);
            return;
        }
        if (t.hiddenUntilExec) {
            if (event == EVENT_EXEC) {
                execSetup.startAfterExec(t, now);
            } else if (event == 0 && !isStopSignal(sig) && sig != SIGCONT) {
                // A signal for the program that came before its exec: the launch shell must not
                // take it (and die of it); the program gets it at its first stop (launches
                // overlap, so this window is no longer a few microseconds).
                t.deferredSignals.add(sig);
                calls.ptraceQuiet(CONT, t.tid, 0);
            } else {
                calls.ptraceQuiet(CONT, t.tid, 0); // the launcher's SIGCONT, or a stop
            }
            return;
        }
        if (t.interruptInFlight) {
            if (event == EVENT_STOP && !isStopSignal(sig)) {
                t.interruptInFlight = false;
                if (t.interruptWanted) {
                    t.interruptWanted = false;
                    dispatch.dispatch(t, new StopEvent.Interrupted(t.tid, now), null, now);
                } else {
                    dispatch.restart(t, 0); // another stop came first: the handler has had its stop
                }
                return;
            }
            t.interruptWanted = false;
        }
        if (sig == SYSCALL_STOP) {
            syscallStop(t, now);
            return;
        }
        switch (event) {
            case EVENT_SECCOMP -> {
                if (t.tracee.registersOnDemand && t.tracee.handler.entriesAtExit()) {
                    t.inSyscall = true;
                    t.quietExit = false;
                    t.entryAtExit = true;
                    t.entryNanos = now;
                    dispatch.restart(t, 0); // PTRACE_SYSCALL: the exit stop shows both
                    return;
                }
                Regs regs = null;
                if (t.tracee.registersOnDemand && calls.syscallInfo(t.tid) == PtraceCalls.INFO_SECCOMP) {
                    t.entryNr = calls.infoNr();
                    t.entryArgs = calls.infoArgs();
                } else {
                    regs = calls.getRegs(t.tid);
                    t.entryNr = regs.nr();
                    t.entryArgs = regs.args();
                }
                t.inSyscall = true;
                t.quietExit = false;
                dispatch.dispatch(t, new StopEvent.SyscallEntry(t.tid, now, t.entryNr, t.entryArgs, true), regs, now);
            }
            case EVENT_EXEC -> exec(t, now);
            case EVENT_CLONE, EVENT_FORK, EVENT_VFORK -> newChild(t, event, now);
            case EVENT_STOP -> {
                if (isStopSignal(sig)) {
                    dispatch.dispatch(t, new StopEvent.GroupStop(t.tid, now, sig), null, now);
                } else {
                    dispatch.restart(t, 0); // PTRACE_INTERRUPT or the end of a LISTEN
                }
            }
            case 0 -> {
                if (notifications != null && notifications.active() && t.tracee.kernelFiltered) {
                    notifications.signalStop(t, options.notified());
                }
                dispatch.dispatch(t, new StopEvent.SignalDelivery(t.tid, now, sig), null, now);
            }
            default -> dispatch.restart(t, 0);
        }
    }

    /**
     * A PTRACE_SYSCALL stop: the entry or the exit, by the thread's own state. With registers on
     * demand, PTRACE_GET_SYSCALL_INFO gives the number and arguments at the entry and the result
     * at the exit (the arguments are the entry's); anything unexpected falls back to the registers.
     */
    private void syscallStop(Tid t, long now) {
        boolean onDemand = t.tracee.registersOnDemand;
        if (!t.inSyscall) {
            Regs regs = null;
            long nr;
            if (onDemand && calls.syscallInfo(t.tid) == PtraceCalls.INFO_ENTRY) {
                nr = calls.infoNr();
            } else {
                regs = calls.getRegs(t.tid);
                nr = regs.nr();
            }
            t.inSyscall = true;
            t.entryNr = nr;
            if (!options.selects(nr)) {
                t.quietExit = true;
                calls.ptraceQuiet(SYSCALL, t.tid, 0);
                return;
            }
            t.quietExit = false;
            t.entryArgs = regs != null ? regs.args() : calls.infoArgs();
            dispatch.dispatch(t, new StopEvent.SyscallEntry(t.tid, now, nr, t.entryArgs, false), regs, now);
        } else {
            t.inSyscall = false;
            if (t.quietExit) {
                t.quietExit = false;
                dispatch.restart(t, 0);
                return;
            }
            if (t.entryAtExit) {
                entryAndExit(t, now);
                return;
            }
            Regs regs = null;
            long rax;
            if (onDemand && t.entryArgs != null && calls.syscallInfo(t.tid) == PtraceCalls.INFO_EXIT) {
                rax = calls.infoResult();
            } else {
                regs = calls.getRegs(t.tid);
                rax = regs.rax();
            }
            boolean restarting = rax <= -Errno.ERESTARTSYS && rax >= -Errno.ERESTART_RESTARTBLOCK;
            dispatch.dispatch(t, new StopEvent.SyscallExit(t.tid, now, t.entryNr,
                    t.entryArgs != null ? t.entryArgs : regs.args(), rax, restarting), regs, now);
        }
    }

    /** The exit stop of a call whose entry stop read nothing: its entry, then its exit. */
    private void entryAndExit(Tid t, long now) {
        t.entryAtExit = false;
        Regs regs = calls.getRegs(t.tid);
        t.entryNr = regs.nr();
        t.entryArgs = regs.args();
        long rax = regs.rax();
        Resume atEntry = dispatch.lateEntry(t, new StopEvent.SyscallEntry(t.tid, t.entryNanos, t.entryNr, t.entryArgs, true),
                regs, t.entryNanos);
        if (atEntry == Resume.NO_EXIT_STOP) {
            dispatch.restart(t, 0);
            return;
        }
        boolean restarting = rax <= -Errno.ERESTARTSYS && rax >= -Errno.ERESTART_RESTARTBLOCK;
        dispatch.dispatch(t, new StopEvent.SyscallExit(t.tid, now, t.entryNr, t.entryArgs, rax, restarting), regs, now);
    }

    private void exec(Tid t, long now) {
        int former = (int) calls.eventMessage(t.tid);
        if (former != t.tid) {
            Tid execer = threads.forget(former);
            if (execer != null) {
                // The old leader vanished without an exit report; the execing thread takes its tid.
                threads.forget(t.tid);
                t.tracee.live--;
                threads.verdictNoLongerAwaited(t); // its verdict will never be asked for
                execer.tid = t.tid;
                threads.add(execer); // still to be reaped under its new tid if it was killed
                t = execer;
            }
        }
        dispatch.dispatch(t, new StopEvent.Exec(t.tid, now, former, exePath(t.tid)), execSetup.execRegs(t), now);
    }

    private void newChild(Tid parent, int event, long now) {
        int child = (int) calls.eventMessage(parent.tid);
        if (!threads.contains(child)) {
            Tid c = new Tid(child, parent.tracee);
            c.newborn = true;
            threads.add(c);
            parent.tracee.live++;
        }
        StopEvent.NewChild.Kind kind = switch (event) {
            case EVENT_FORK -> StopEvent.NewChild.Kind.FORK;
            case EVENT_VFORK -> StopEvent.NewChild.Kind.VFORK;
            default -> StopEvent.NewChild.Kind.CLONE;
        };
        dispatch.dispatch(parent, new StopEvent.NewChild(parent.tid, now, child, kind), null, now);
        Integer early = threads.earlyStops.remove(child);
        if (early != null) {
            onWait(child, early, now);
        }
    }

    private static String exePath(int tid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), "exe")).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
