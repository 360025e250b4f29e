package simterpose.cli;

/** An error the user can act on: printed as one line, no stack trace, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
