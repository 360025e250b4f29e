package simterpose.simulator.mediation.handlers;

import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/** The process family: exit_group, observed only to let the caller's sibling threads go. */
final class ProcessHandlers {
    private ProcessHandlers() {}

    /** exit_group: sibling threads blocked in the simulation are let go; the kernel ends the group. */
    /** The thread's CPU time was charged at the entry (TracedThread.entry); it ends natively. */
    static HandlerResult threadExit(Call c) {
        return HandlerResult.NATIVE;
    }

    static HandlerResult exitGroup(Call c) {
        c.thread.process.dying(c.thread);
        return HandlerResult.NATIVE;
    }
}
