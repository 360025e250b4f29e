package simterpose.simulator.kernel;

/**
 * Why the kernel woke a file's waiters, given with the wake-up ({@code Signal.signalAll(cause)})
 * so that a run can say what ended a blocking call (the {@code --blocking} table).
 */
public enum WakeCause {
    DATA_ARRIVED, HANDSHAKE_COMPLETED, CONNECTION_ACCEPTED, PEER_CLOSED, CONNECTION_REFUSED, CONNECTION_RESET,
    SPACE_AVAILABLE, TIMER_EXPIRED, FUTEX_WAKE
}
