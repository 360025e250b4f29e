package simterpose.tracer.syscall;

/**
 * What the simulator does with a syscall. Each table row carries one value and a one-line reason,
 * so "what happens to syscall 72?" is answered by reading one line of {@link SyscallTable}.
 */
public enum Mediation {
    /** Runs on the real kernel; the tracee is not stopped for it in a simulation. */
    NATIVE,
    /** Answered by the simulated network (sockets, ports, readiness). */
    MEDIATED_NETWORK,
    /** Answered by the simulated clock (time reads, sleeps, timeouts). */
    MEDIATED_TIME,
    /** Answered from the run's seeded generator (getrandom), so runs repeat. */
    MEDIATED_RANDOM,
    /** Answered from the platform's names (uname's nodename), so a program sees its simulated host. */
    MEDIATED_NAMES,
    /** Observed for bookkeeping (fds, processes) but executed by the real kernel. */
    OBSERVED,
    /** Refused by the sandbox (wholly or in the cases its reason names) with the errno of a kernel without the feature. */
    REFUSED;

    /** The reason every row without a simulator decision carries. */
    public static final String DEFAULT_REASON = "not mediated: runs on the real kernel";
}
