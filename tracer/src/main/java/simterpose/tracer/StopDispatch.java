package simterpose.tracer;

import org.tinylog.Logger;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.tracer.events.StopEvent;

import static simterpose.tracer.Ptrace.*;

/**
 * Hands a decoded {@link StopEvent} to the tracee's {@link StopHandler} (on the owner thread) and
 * applies its verdict: registers changed by the handler, then the ptrace request that resumes
 * the thread (PTRACE_SYSCALL, CONT, LISTEN or DETACH). Also ends threads: their Exited/Killed
 * event and the tree's exit status. Owner thread only.
 */
final class StopDispatch {
    private final PtraceOwner owner;
    private final TracedThreads threads;
    private final PtraceCalls calls;
    private final Notifications notifications;
    /** Wall-clock nanoseconds at System.nanoTime() = 0, for {@link Stop#epochNanos()}. */
    private final long epochBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    StopDispatch(PtraceOwner owner, TracedThreads threads, PtraceCalls calls, Notifications notifications) {
        this.owner = owner;
        this.threads = threads;
        this.calls = calls;
        this.notifications = notifications;
    }

    /**
     * A syscall of {@code t} came by seccomp user notification {@code id} on listener {@code fd}:
     * its handler sees a seccomp SyscallEntry whose Stop has no registers; the verdict is the
     * notification's answer (now, or later for DEFERRED: the thread waits in the kernel).
     */
    void dispatchNotification(Tid t, StopEvent.SyscallEntry event, int fd, long id, long now) {
        Stop stop = new Stop(owner, t.tracee, event, null, epochBase + now, false);
        stop.tid = t;
        stop.listenerFd = fd;
        stop.notificationId = id;
        Resume r = callHandler(t.tracee, stop);
        if (r == Resume.DEFERRED) {
            threads.awaitVerdict(t);
        } else {
            decided(t, stop, r);
        }
        afterStop(t.tracee);
    }

    void dispatch(Tid t, StopEvent event, Regs regs, long now) {
        boolean gone = event instanceof StopEvent.Exited || event instanceof StopEvent.Killed;
        Stop stop = new Stop(owner, t.tracee, event, regs, epochBase + now, gone && t.tracee.live == 0);
        stop.tid = t;
        Resume r = callHandler(t.tracee, stop);
        if (gone) {
            if (stop.lastOfTree) {
                complete(t.tracee);
            }
        } else if (r == Resume.DEFERRED) {
            // Stop.resume() posts the verdict; it is served after this returns.
            threads.awaitVerdict(t);
        } else {
            decided(t, stop, r);
        }
        afterStop(t.tracee);
    }

    /**
     * The entry of a call whose entry stop read nothing, shown at its exit stop
     * ({@link StopHandler#entriesAtExit}): the handler's verdict, not applied (the exit follows).
     */
    Resume lateEntry(Tid t, StopEvent.SyscallEntry event, Regs regs, long entryNanos) {
        Stop stop = new Stop(owner, t.tracee, event, regs, epochBase + entryNanos, false);
        stop.tid = t;
        Resume r = callHandler(t.tracee, stop);
        if (r == Resume.DEFERRED || stop.regsChanged() || stop.emulatedOnly()) {
            throw new IllegalStateException("a late entry cannot be deferred or change registers: " + stop);
        }
        afterStop(t.tracee);
        return r;
    }

    private static void afterStop(Tracee tracee) {
        if (tracee.handler == null) {
            return;
        }
        try {
            tracee.handler.afterStop();
        } catch (Throwable e) {
            Logger.error(e, "stop handler failed after a stop of {}", tracee);
        }
    }

    private static Resume callHandler(Tracee tracee, Stop stop) {
        try {
            Resume r = stop.handleWith(tracee.handler);
            return r == null ? Resume.CONTINUE : r;
        } catch (Throwable e) {
            Logger.error(e, "stop handler failed at {}", stop);
            return Resume.CONTINUE;
        }
    }

    /** Applies the verdict {@code r} of {@code stop}, given now or later (a deferred one). */
    void decided(Tid t, Stop stop, Resume r) {
        if (threads.get(t.tid) != t) {
            return; // it died (or was detached) while the handler ran
        }
        if (stop.notified()) {
            notifications.answer(t, stop);
            return;
        }
        try {
            if (stop.emulatedOnly()) {
                calls.pokeEmulated(t.tid, stop.emulatedResult());
            } else if (stop.regsChanged()) {
                calls.setRegs(t.tid, stop.regs());
            }
            if (t.detachPending) {
                int sig = stop.event() instanceof StopEvent.SignalDelivery s && r != Resume.SUPPRESS_SIGNAL ? s.signal() : 0;
                detachNow(t, sig);
                return;
            }
            switch (stop.event()) {
                case StopEvent.GroupStop g -> calls.ptrace(LISTEN, t.tid, 0, 0);
                case StopEvent.SignalDelivery s -> restart(t, r == Resume.SUPPRESS_SIGNAL ? 0 : s.signal());
                case StopEvent.SyscallEntry e when r == Resume.NO_EXIT_STOP -> {
                    if (t.tracee.kernelFiltered) {
                        t.inSyscall = false;
                    } else {
                        t.quietExit = true;
                    }
                    restart(t, 0);
                }
                default -> restart(t, 0);
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
    }

    /** PTRACE_SYSCALL when the exit stop is wanted or everything is traced, else PTRACE_CONT. */
    void restart(Tid t, int sig) {
        int request = t.tracee.kernelFiltered && !t.inSyscall ? CONT : SYSCALL;
        calls.ptraceQuiet(request, t.tid, sig);
    }

    /** The thread is gone (waitpid reported its exit or death status {@code st}). */
    void gone(Tid t, int st, long now) {
        threads.forget(t.tid);
        Tracee tree = t.tracee;
        tree.live--;
        StopEvent ev;
        if (exited(st)) {
            ev = new StopEvent.Exited(t.tid, now, exitCode(st));
            if (t.tid == tree.pid()) {
                tree.rootStatus = new ExitStatus.Exited(exitCode(st));
            }
        } else {
            ev = new StopEvent.Killed(t.tid, now, termSignal(st), (st & 0x80) != 0);
            if (t.tid == tree.pid()) {
                tree.rootStatus = new ExitStatus.Killed(termSignal(st));
            }
        }
        threads.verdictNoLongerAwaited(t);
        dispatch(t, ev, null, now);
    }

    void detachNow(Tid t, int sig) {
        calls.ptraceQuiet(DETACH, t.tid, sig);
        threads.forget(t.tid);
        if (--t.tracee.live == 0) {
            complete(t.tracee);
        }
    }

    static void complete(Tracee tree) {
        tree.exit.complete(tree.rootStatus != null ? tree.rootStatus : new ExitStatus.Detached());
    }
}
