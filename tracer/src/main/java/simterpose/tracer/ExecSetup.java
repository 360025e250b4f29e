package simterpose.tracer;


import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.memory.ProcessVmMemory;
import simterpose.tracer.seccomp.BpfProgram;
import simterpose.tracer.syscall.SyscallTable;

import static simterpose.tracer.Ptrace.*;

/**
 * What happens to a new program image before its first instruction: at a launched tracee's
 * exec, the seccomp filter is injected from inside it; at every exec, the vDSO is hidden from
 * the new image's auxv if the options ask. Owner thread only.
 */
final class ExecSetup {
    private static final int NR_PRCTL = SyscallTable.number("prctl"), NR_SECCOMP = SyscallTable.number("seccomp"),
            NR_CLOSE = SyscallTable.number("close");

    private final TracerOptions options;
    /** The BPF program stopping the selected syscalls, or null to trace everything. */
    private final byte[] filter;
    private final PtraceCalls calls;
    private final SyscallInjector injector;
    private final StopDispatch dispatch;
    /** Where the listener of a filter with notified calls goes, or null when it has none. */
    private final Notifications notifications;

    ExecSetup(TracerOptions options, byte[] filter, PtraceCalls calls, SyscallInjector injector, StopDispatch dispatch,
              Notifications notifications) {
        this.options = options;
        this.notifications = notifications;
        this.filter = filter;
        this.calls = calls;
        this.injector = injector;
        this.dispatch = dispatch;
    }

    /**
     * A launched tracee's exec of its program (the launch shell's {@code exec}): runs to the
     * execve exit, installs the filter, and shows the handler its first event, Exec.
     */
    void startAfterExec(Tid t, long now) {
        t.hiddenUntilExec = false;
        try {
            injector.stepToSyscallStop(t); // execve's exit stop: the new image is in place
            if (t.tracee.kernelFiltered) {
                try {
                    installFilter(t);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.ESRCH) {
                        throw e;
                    }
                    // A corrupt image (its entry point unmapped: it would crash at its first
                    // instruction anyway) cannot get the filter: it must not run unfiltered.
                    org.tinylog.Logger.warn("cannot install the seccomp filter in {} ({}): killed", t.tid, e.getMessage());
                    simterpose.bindings.LibC.kill(t.tid, Ptrace.SIGKILL);
                }
            }
        } catch (SyscallInjector.Gone g) {
            return;
        }
        t.inSyscall = false;
        injector.reraiseDeferred(t);
        dispatch.dispatch(t, new StopEvent.Exec(t.tid, now, t.tid, t.launchPath.toString()), execRegs(t), now);
    }

    /**
     * The registers at an exec stop (rsp points at the new image's argc, so handlers can find its
     * auxv), after hiding the vDSO if {@link TracerOptions#hideVdso()}; null if the thread is gone.
     */
    Regs execRegs(Tid t) {
        try {
            Regs regs = calls.getRegs(t.tid);
            if (options.hideVdso()) {
                Auxv.hideVdso(new ProcessVmMemory(t.tid), regs.rsp());
            }
            return regs;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
            return null;
        }
    }

    /**
     * Installs the seccomp filter from inside the tracee, stopped at its execve exit: writes a
     * {@code syscall} instruction at rip and the BPF program below the red zone, runs
     * prctl(PR_SET_NO_NEW_PRIVS) and seccomp(SET_MODE_FILTER) there, then restores code and
     * registers.
     */
    private void installFilter(Tid t) {
        int tid = t.tid;
        Regs saved = calls.getRegs(tid);
        long rip = saved.rip();
        long word = calls.peekText(tid, rip);
        calls.pokeText(tid, rip, (word & ~0xffffL) | 0x050fL); // 0f 05 = syscall
        try {
            long r = injector.runSyscall(t, saved, rip, NR_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0);
            if (r != 0) {
                throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS) in tracee " + tid + " returned " + r);
            }
            long program = (saved.rsp() - 128 - filter.length) & ~15L; // below the red zone
            long fprog = program - 16;
            byte[] headerBytes = BpfProgram.fprog(filter.length, program);
            ProcessVmMemory mem = new ProcessVmMemory(tid);
            if (mem.write(program, filter, 0, filter.length) != filter.length
                    || mem.write(fprog, headerBytes, 0, headerBytes.length) != headerBytes.length) {
                throw new IllegalStateException("cannot write the seccomp program below rsp in tracee " + tid);
            }
            long flags = notifications != null ? Notifications.FILTER_FLAGS : 0;
            r = injector.runSyscall(t, saved, rip, NR_SECCOMP, SECCOMP_SET_MODE_FILTER, flags, fprog);
            if (r < 0 || r != 0 && notifications == null) {
                throw new IllegalStateException("seccomp(SET_MODE_FILTER) in tracee " + tid + " returned " + r);
            }
            if (notifications != null) {
                takeListener(t, saved, rip, (int) r);
            }
        } finally {
            calls.pokeText(tid, rip, word);
            calls.setRegs(tid, saved);
        }
    }

    /**
     * The filter's listener, fd {@code fd} in the tracee: the owner takes a duplicate with
     * pidfd_getfd (as RealStreams takes placeholder sockets) and closes it in the tracee, so the
     * program sees no fd it did not open.
     */
    private void takeListener(Tid t, Regs saved, long rip, int fd) {
        int pidfd = simterpose.bindings.LibC.pidfdOpen(t.tid);
        try {
            notifications.add(simterpose.bindings.LibC.pidfdGetfd(pidfd, fd));
        } finally {
            simterpose.bindings.LibC.close(pidfd);
        }
        injector.runSyscall(t, saved, rip, NR_CLOSE, fd, 0, 0);
    }
}
