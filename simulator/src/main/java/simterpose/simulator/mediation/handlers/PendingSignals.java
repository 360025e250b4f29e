package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINTR;

import java.nio.ByteBuffer;
import java.util.List;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.kernel.SignalMasks;
import simterpose.tracer.syscall.SyscallTable;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.TracedThread;

/**
 * EINTR for waits in simulated time (poll, ppoll, select, pselect6, epoll_wait, epoll_pwait,
 * epoll_pwait2, nanosleep, clock_nanosleep, futex waits with a timeout). A signal sent to a thread stopped in such a wait
 * (by another tracee's kill, a real-time alarm) stays pending in the real kernel; the wait
 * looks at it when it would block and, while blocked, at every idle point of the engine
 * ({@code IdleProbes}).
 *
 * <p>Which pending signal interrupts is the virtual kernel's rule ({@link SignalMasks}), applied
 * to the masks /proc shows. Then the call ends with EINTR whatever SA_RESTART says (these
 * calls are never restarted after a handler, signal(7)), and the kernel delivers the signal as
 * the thread returns. A call given a signal mask for its wait (ppoll, pselect6, epoll_pwait*)
 * is judged under that mask, and becomes {@code rt_sigsuspend(mask)} in the real kernel: it
 * installs the mask, delivers the signal under it and returns EINTR, exactly as the wait would.
 *
 * <p>Socket calls blocked in the simulation (accept, connect, recv*, send*, read and write on a
 * virtual socket) are watched the same way ({@code TracedThread}) and end as Linux's
 * sock_intr_errno ends them: with the bytes already moved; else with EINTR when a
 * SO_RCVTIMEO/SO_SNDTIMEO timeout governs the call (signal(7): never restarted then); else
 * with ERESTARTSYS, which the real kernel turns, as it delivers the signal, into EINTR after a
 * handler without SA_RESTART, and into the same call made again (at its entry stop, mediated
 * afresh) after a SA_RESTART handler or when no handler runs (the signal went to another
 * thread). So the kernel itself chooses which signal comes first and reads its flags.
 *
 * <p>Approximations: a signal sent to the process (not a thread) interrupts every thread of it
 * waiting here, where Linux picks one: in the waits above all of them end with EINTR; socket
 * calls restart in the threads that find no signal left, but the thread that takes it is the
 * first one resumed, not the one Linux would pick. If another thread of the process takes the
 * signal between this thread's last look at /proc and its resumption (a thread running
 * natively, a window of microseconds), the tracee sees errno 512 (ERESTARTSYS), not a restart.
 */
final class PendingSignals {
    private PendingSignals() {}

    private static final int NR_RT_SIGSUSPEND = SyscallTable.number("rt_sigsuspend"),
            NR_PSELECT6 = SyscallTable.number("pselect6"), NR_PPOLL = SyscallTable.number("ppoll"),
            NR_EPOLL_PWAIT = SyscallTable.number("epoll_pwait"), NR_EPOLL_PWAIT2 = SyscallTable.number("epoll_pwait2");
    /** A signal sender (kill, tgkill...): runs natively, observed so that waits look for a pending signal. */
    static HandlerResult signalSent(Call c) {
        c.idleProbes().signalMayHaveCome();
        return HandlerResult.NATIVE;
    }

    /** rt_sigreturn: tells a restarted socket call from one ended with EINTR ({@code TracedThread#handlerReturns}). */
    static HandlerResult sigreturn(Call c) {
        c.thread.handlerReturns(c);
        return HandlerResult.NATIVE;
    }

    /**
     * The end of a wait that found nothing ready: EINTR if a signal may interrupt it now, else
     * a block on {@code queues} (with at most {@code remaining} seconds) plus a probe for such a
     * signal.
     *
     * @param maskAddress the call's sigset_t for the wait (8 bytes), 0 for none (the thread's own
     *                    mask applies)
     */
    static HandlerResult waitOrInterrupt(Call c, long maskAddress, List<Signal> queues, double remaining) {
        long mask = -1;
        if (maskAddress != 0) {
            byte[] raw = c.read(maskAddress, 8);
            if (raw == null) {
                return Call.fault();
            }
            mask = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
        if (c.thread.signalInterrupts(mask)) {
            return interrupt(c, maskAddress);
        }
        long waitMask = mask;
        TracedThread t = c.thread;
        List<Signal> all = new java.util.ArrayList<>(queues);
        all.add(c.idleProbes().watchSignals(() -> t.signalInterrupts(waitMask)));
        return new HandlerResult.BlockAny(all, remaining);
    }

    /**
     * Where the call keeps the signal mask for its wait, 0 for none: ppoll's 4th argument,
     * epoll_pwait's and epoll_pwait2's 5th, the first word of pselect6's 6th.
     */
    static long maskAddress(Call c) {
        if (c.nr == NR_PPOLL) {
            return c.arg(3);
        }
        if (c.nr == NR_EPOLL_PWAIT || c.nr == NR_EPOLL_PWAIT2) {
            return c.arg(4);
        }
        if (c.nr == NR_PSELECT6) {
            byte[] raw = c.arg(5) == 0 ? null : c.read(c.arg(5), 8);
            return raw == null ? 0 : java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return 0;
    }

    /** EINTR, or the call as rt_sigsuspend(its mask) when it has one (see the class comment). */
    static HandlerResult interrupt(Call c, long maskAddress) {
        if (maskAddress == 0) {
            return HandlerResult.errno(EINTR);
        }
        c.stop.setRegs(c.stop.regs().withNr(NR_RT_SIGSUSPEND).withArg(0, maskAddress).withArg(1, 8));
        return HandlerResult.NATIVE;
    }

}
