package simterpose.tracer;

/**
 * Decides what happens at each stop of the traced threads. It runs on the ptrace owner thread,
 * calls for one tid are sequential, and the thread stays stopped until the decision is returned.
 * It must not block: a handler that cannot decide yet answers {@link Resume#DEFERRED} and gives
 * the verdict later from any thread with {@link Stop#resume} (that thread stays stopped
 * meanwhile; the other tracees go on). On the owner thread the verdict may come before the
 * handler returns DEFERRED: it is then applied as it returns.
 */
@FunctionalInterface
public interface StopHandler {
    Resume onStop(Stop stop);

    /**
     * True for a handler that seldom needs a syscall stop's registers (and asks for them only on
     * the owner thread, while it handles the stop): its syscall stops then carry the number,
     * arguments and result read with PTRACE_GET_SYSCALL_INFO, and {@link Stop#regs()} reads the
     * registers only when asked. {@code trace} prints from the number, arguments and result alone.
     */
    default boolean registersOnDemand() {
        return false;
    }

    /**
     * Asked at each seccomp entry stop of a handler whose {@link #registersOnDemand} is true:
     * true when it needs nothing at this entry before the call runs. The entry stop then reads
     * nothing; at the exit stop one PTRACE_GETREGS gives the number and arguments (x86_64 keeps
     * them across the call) and the result, and the handler gets the {@code SyscallEntry} (with
     * the entry stop's time) and then the {@code SyscallExit}: one ptrace call less per call.
     * At such a late entry the handler must not change registers, inject, or answer DEFERRED,
     * and it sees the exit's registers; if it answers NO_EXIT_STOP it gets no exit. A thread that
     * dies inside the call (SIGKILL) leaves its entry unseen: say true only for calls that cannot
     * block.
     */
    default boolean entriesAtExit() {
        return false;
    }

    /**
     * Called on the owner thread after each {@link #onStop} once its verdict, if it gave one, has
     * been applied (the thread runs again): work that needs nothing more of the stopped thread,
     * such as formatting and printing a line, done here runs while the thread does, not while it
     * waits for its verdict.
     */
    default void afterStop() {
    }
}
