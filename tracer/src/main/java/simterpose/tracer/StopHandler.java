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
}
