package simterpose.tracer;

/** A program could not be launched or a pid not attached; the message is meant for the user. */
public final class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
