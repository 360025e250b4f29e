package simterpose.tracer;

/**
 * Decides what happens at each stop of the traced threads. Calls for one tid are sequential,
 * and the thread stays stopped until the decision is returned.
 *
 * <p>With {@link TracerOptions.Dispatch#INLINE} only {@link #onStop} is used, on the owner
 * thread; it may answer {@link Resume#DEFERRED} and give the verdict later from any thread with
 * {@link Stop#resume} (the thread stays stopped meanwhile; other tracees go on). With {@link TracerOptions.Dispatch#VIRTUAL_THREAD} the owner first offers the stop to
 * {@link #onStopInline}: a non-null answer resumes the thread at once (the fast path for stops
 * that need no blocking decision, e.g. a clock read); null hands the stop to {@link #onStop} on
 * the tid's own virtual thread, where the handler may block like an actor.
 */
@FunctionalInterface
public interface StopHandler {
    Resume onStop(Stop stop);

    /** Runs on the owner thread and must not block; null means "ask {@link #onStop}". */
    default Resume onStopInline(Stop stop) {
        return null;
    }
}
