package simterpose.tracer.events;

/**
 * What stopped a tracee thread, as the engine hands it to a {@link simterpose.tracer.StopHandler}.
 * Every event names the thread ({@code tid}); {@code nanoTime} is {@link System#nanoTime()}
 * read when waitpid returned the stop.
 */
public sealed interface StopEvent {
    int tid();
    long nanoTime();

    /**
     * A syscall is about to run. {@code seccomp} tells a PTRACE_EVENT_SECCOMP stop (filter
     * mode) from a PTRACE_SYSCALL entry stop. The handler may let it run, change its
     * registers, or emulate it ({@link simterpose.tracer.Stop#emulate}).
     */
    record SyscallEntry(int tid, long nanoTime, long nr, long[] args, boolean seccomp) implements StopEvent {}

    /**
     * A syscall returned {@code result} (-errno on failure); {@code nr} and {@code args} are
     * those seen at its entry (so output buffers can be decoded here). {@code restarting} is true when
     * the result is a kernel restart code (ERESTARTSYS family, 512..516): the call was
     * interrupted by a signal and is not a real result; the restarted call (or
     * restart_syscall) comes as a new entry after the signal is handled, as strace shows it.
     */
    record SyscallExit(int tid, long nanoTime, long nr, long[] args, long result, boolean restarting) implements StopEvent {}

    /** The thread group execed a new image; {@code formerTid} differs from tid when a non-leader thread execed. */
    record Exec(int tid, long nanoTime, int formerTid, String path) implements StopEvent {}

    /** The thread created {@code childTid}: a thread (CLONE), a process (FORK) or a vfork child. */
    record NewChild(int tid, long nanoTime, int childTid, Kind kind) implements StopEvent {
        public enum Kind { CLONE, FORK, VFORK }
    }

    /** Signal {@code signal} is about to be delivered; resuming delivers it unless suppressed. */
    record SignalDelivery(int tid, long nanoTime, int signal) implements StopEvent {}

    /**
     * The thread was running (natively: in user space, or blocked in a syscall the tracer let
     * run) and was stopped by {@link simterpose.tracer.Tracer#interrupt} (PTRACE_INTERRUPT), e.g.
     * because its quantum of CPU time is used up. Any verdict but DEFERRED resumes it where it
     * was: a syscall the interrupt cut short is restarted by the kernel (registers must be left
     * alone). No registers are read for it unless asked ({@link simterpose.tracer.Stop#regs()}).
     */
    record Interrupted(int tid, long nanoTime) implements StopEvent {}

    /** The thread entered a group-stop (job control) for {@code signal}; it stays stopped until SIGCONT. */
    record GroupStop(int tid, long nanoTime, int signal) implements StopEvent {}

    /** The thread is gone: exited with {@code status}. The handler's resume is ignored. */
    record Exited(int tid, long nanoTime, int status) implements StopEvent {}

    /** The thread is gone: killed by {@code signal}. The handler's resume is ignored. */
    record Killed(int tid, long nanoTime, int signal, boolean coreDumped) implements StopEvent {}
}
