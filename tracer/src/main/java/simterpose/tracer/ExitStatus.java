package simterpose.tracer;

/** How a traced process ended: exit code, killed by a signal, or detached while still running. */
public sealed interface ExitStatus {
    record Exited(int code) implements ExitStatus {}
    record Killed(int signal) implements ExitStatus {}
    record Detached() implements ExitStatus {}

    /** The shell convention: code, 128 + signal, or 0 when detached. */
    default int shellCode() {
        return switch (this) {
            case Exited e -> e.code();
            case Killed k -> 128 + k.signal();
            case Detached d -> 0;
        };
    }
}
