package simterpose.tracer;

/**
 * How a handler lets a stopped thread go on. At a signal-delivery stop, {@link #CONTINUE}
 * delivers the signal and {@link #SUPPRESS_SIGNAL} drops it. At a syscall entry,
 * {@link #CONTINUE} asks for the exit stop and {@link #NO_EXIT_STOP} lets the syscall finish
 * unobserved (one stop instead of two in filter mode).
 */
public enum Resume {
    CONTINUE, NO_EXIT_STOP, SUPPRESS_SIGNAL
}
