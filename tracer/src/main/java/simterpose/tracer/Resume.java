package simterpose.tracer;

/**
 * How a handler lets a stopped thread go on. At a signal-delivery stop, {@link #CONTINUE}
 * delivers the signal and {@link #SUPPRESS_SIGNAL} drops it. At a syscall entry,
 * {@link #CONTINUE} asks for the exit stop and {@link #NO_EXIT_STOP} lets the syscall finish
 * unobserved (one stop instead of two in filter mode).
 */
public enum Resume {
    CONTINUE, NO_EXIT_STOP, SUPPRESS_SIGNAL,
    /**
     * The thread stays stopped until some thread calls {@link Stop#resume(Resume)} with the
     * real verdict (an actor deciding later, without a thread per tid in between).
     * Meaningless for Exited/Killed events.
     */
    DEFERRED
}
