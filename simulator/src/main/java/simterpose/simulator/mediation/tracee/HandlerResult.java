package simterpose.simulator.mediation.tracee;

import simterpose.simulator.engine.Signal;

/**
 * What a syscall handler decides at a syscall entry (Shadow's handler results): blocking is
 * data, not control flow hidden in the handler. Done, Errno and Block are the virtual kernel's
 * {@link simterpose.simulator.kernel.SysResult} cases seen from the tracee; a kernel answer
 * becomes one in one place only, {@link Call#answer}. The other cases are the tracee's own:
 * waiting on several conditions, or letting the real kernel run the call.
 */
public sealed interface HandlerResult {
    /** The call returns {@code value} without running (emulated). */
    public record Done(long value) implements HandlerResult {}

    /** The call fails with {@code errno} without running (emulated). */
    public record Errno(int errno) implements HandlerResult {}

    /**
     * Wait on {@code on} (at most {@code timeout} seconds when ≥ 0), then call the handler again
     * with the same {@link Call} (which keeps the progress made so far). When the timeout
     * expires, the call returns its progress if positive, else {@code -timeoutErrno}.
     */
    public record Block(Signal on, double timeout, int timeoutErrno) implements HandlerResult {}

    /**
     * Wait until one of {@code on} fires or {@code timeout} seconds pass (negative: none), then
     * call the handler again (which decides what a timeout means: poll returns 0).
     */
    public record BlockAny(java.util.List<Signal> on, double timeout) implements HandlerResult {}

    /**
     * The real kernel runs the call (possibly with rewritten registers); its exit is not observed.
     * {@code mediated}: the simulation decided it (counted as a mediated syscall), as
     * {@code --mediation=address}'s sends and receives on a real stream are.
     */
    public record Native(boolean mediated) implements HandlerResult {}

    /** The real kernel runs the call; {@code hook} sees its result at the exit stop. */
    public record NativeThen(ExitHook hook) implements HandlerResult {}

    @FunctionalInterface
    public interface ExitHook {
        /** @return the result the tracee should see (usually {@code result} unchanged) */
        long atExit(long result);
    }

    public HandlerResult NATIVE = new Native(false);

    /** A call the simulation decided, run natively as rewritten. */
    public HandlerResult NATIVE_MEDIATED = new Native(true);

    public static HandlerResult done(long value) {
        return new Done(value);
    }

    public static HandlerResult errno(int errno) {
        return new Errno(errno);
    }
}
