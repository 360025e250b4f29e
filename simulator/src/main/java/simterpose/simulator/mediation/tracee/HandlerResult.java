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
     * The real kernel runs the call (possibly with rewritten registers); its exit is not observed
     * unless {@code heldAtExit}. {@code mediated}: the simulation decided it (counted as a mediated
     * syscall), as {@code --mediation=address}'s sends and receives on a real stream are.
     * {@code heldAtExit}: the call may block natively, so its exit stop is asked for: once the wait
     * ends (another tracee woke it), the thread stops there and waits for its turn in the engine's
     * order instead of running on beside the running tracee (see {@link #NATIVE_WAIT}).
     */
    public record Native(boolean mediated, boolean heldAtExit) implements HandlerResult {}

    /** The real kernel runs the call; {@code hook} sees its result at the exit stop. */
    public record NativeThen(ExitHook hook) implements HandlerResult {}

    @FunctionalInterface
    public interface ExitHook {
        /** @return the result the tracee should see (usually {@code result} unchanged) */
        long atExit(long result);
    }

    public HandlerResult NATIVE = new Native(false, false);

    /** A call the simulation decided, run natively as rewritten. */
    public HandlerResult NATIVE_MEDIATED = new Native(true, false);

    /**
     * A native call that may block (an untimed futex wait: pthread_join, pthread_mutex_lock): the
     * thread, parked while it blocks, is held at the call's exit stop when another tracee wakes it
     * natively (a thread's exit clears its tid and wakes the joiner; a FUTEX_WAKE), so what it
     * does next happens at its turn, not at whatever point of the running tracee's slice the real
     * scheduler picks: runs repeat call for call.
     */
    public HandlerResult NATIVE_WAIT = new Native(false, true);

    public static HandlerResult done(long value) {
        return new Done(value);
    }

    public static HandlerResult errno(int errno) {
        return new Errno(errno);
    }
}
