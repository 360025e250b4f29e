package simterpose.emulator;

/** The emulation cannot start or run on this machine (a capability, a device, a tool is missing): one message for the user. */
public final class EmulationException extends RuntimeException {
    public EmulationException(String message) {
        super(message);
    }

    public EmulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
