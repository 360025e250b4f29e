package simterpose.simulator.mediation.handlers;

import simterpose.bindings.linux.Linux;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * The process family: thread and process ends, observed (exit_group lets the caller's sibling
 * threads go), and the waits for a child's end, run natively but held at their exit stop.
 */
final class ProcessHandlers {
    private ProcessHandlers() {}

    /** wait4's and waitid's flag for "do not block": such a call needs no exit stop. */
    private static final int WNOHANG = Linux.WNOHANG();

    /** exit_group: sibling threads blocked in the simulation are let go; the kernel ends the group. */
    /** The thread's CPU time was charged at the entry (TracedThread.entry); it ends natively. */
    static HandlerResult threadExit(Call c) {
        return HandlerResult.NATIVE;
    }

    static HandlerResult exitGroup(Call c) {
        c.thread.process.dying(c.thread);
        return HandlerResult.NATIVE;
    }

    /**
     * wait4(pid, status, options, rusage) and waitid(idtype, id, infop, options, rusage): the real
     * kernel waits. A blocking one asks for its exit stop ({@link HandlerResult#NATIVE_WAIT}): the
     * parent, parked while it waits, is woken natively when the tracer reaps a child, and would
     * otherwise run on beside the running tracee; held there, it goes on at its turn.
     */
    static HandlerResult wait4(Call c) {
        return (c.intArg(2) & WNOHANG) != 0 ? HandlerResult.NATIVE : HandlerResult.NATIVE_WAIT;
    }

    static HandlerResult waitid(Call c) {
        return (c.intArg(3) & WNOHANG) != 0 ? HandlerResult.NATIVE : HandlerResult.NATIVE_WAIT;
    }
}
