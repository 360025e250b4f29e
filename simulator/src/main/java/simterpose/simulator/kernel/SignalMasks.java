package simterpose.simulator.kernel;

/**
 * A thread's signal masks as /proc/PID/task/TID/status shows them (the real kernel keeps pending
 * signals: the simulation only reads them), and the rule that says whether one of them ends a
 * wait in simulated time with EINTR.
 *
 * <p>A signal interrupts when it is pending for the thread or its process, not blocked, and
 * either caught or neither ignored nor of a default action that ignores or stops (SIGCHLD,
 * SIGCONT, SIGURG, SIGWINCH, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: Linux restarts the wait
 * transparently for those). SIGKILL and SIGSTOP cannot be blocked.
 *
 * @param pending the thread's and its process's pending signals (SigPnd | ShdPnd), bit n-1 for signal n
 * @param blocked the thread's blocked set (SigBlk)
 * @param ignored signals set to SIG_IGN (SigIgn)
 * @param caught  signals with a handler (SigCgt)
 */
public record SignalMasks(long pending, long blocked, long ignored, long caught) {
    /** SIGKILL and SIGSTOP: no mask blocks them. */
    private static final long UNBLOCKABLE = bits(9, 19);
    private static final long IGNORED_OR_STOPPING_BY_DEFAULT = bits(17, 18, 19, 20, 21, 22, 23, 28);

    /** The mask with bit n-1 set for each signal n. */
    public static long bits(int... signals) {
        long m = 0;
        for (int s : signals) {
            m |= 1L << (s - 1);
        }
        return m;
    }

    /**
     * True when a pending signal ends a wait made under {@code waitMask} (the blocked set the
     * call installs for its wait: ppoll, pselect6, epoll_pwait), or under the thread's own
     * blocked set when {@code waitMask} is -1.
     */
    public boolean interrupt(long waitMask) {
        long mask = waitMask == -1 ? blocked : waitMask;
        long deliverable = pending & ~(mask & ~UNBLOCKABLE);
        if (deliverable == 0) {
            return false;
        }
        return (deliverable & (caught | ~(ignored | IGNORED_OR_STOPPING_BY_DEFAULT))) != 0;
    }
}
