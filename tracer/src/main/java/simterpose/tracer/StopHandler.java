package simterpose.tracer;

/**
 * Decides what happens at each stop of the traced threads. Runs on the owner thread (inline
 * dispatch) or on the stopped thread's own virtual thread (virtual-thread dispatch); either
 * way calls for one tid are sequential, and the thread stays stopped until this returns.
 */
@FunctionalInterface
public interface StopHandler {
    Resume onStop(Stop stop);
}
