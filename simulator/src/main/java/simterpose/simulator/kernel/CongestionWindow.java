package simterpose.simulator.kernel;

/**
 * Slow start of one direction of a connection under the {@code TCP} network model, in rounds of
 * one round-trip time, as far as timing goes (no loss, so no congestion avoidance: the window
 * only grows, up to the model's TCP_gamma bound on the rate).
 * <ul>
 * <li>The window starts at 10 segments of 1448 bytes (RFC 6928; Linux's {@code TCP_INIT_CWND}).</li>
 * <li>A round sends at most a window of bytes. Once it has, the next round's first byte reaches
 * the receiver one round trip after the round's first byte did (the first ACK's way back, then
 * new data's way out); if the round took longer than that to deliver, the pipe was full and the
 * next round follows it without gap.</li>
 * <li>A round that carried more than half the window was window-limited and grows the window by
 * the bytes it carried (RFC 5681 slow start, doubling per round trip; Linux grows the window
 * only while {@code tcp_is_cwnd_limited}).</li>
 * <li>After an idle period longer than the retransmission timeout the window restarts
 * (RFC 2861, Linux's {@code tcp_slow_start_after_idle}=1, {@code tcp_cwnd_restart}): halved
 * once per RTO elapsed, never below the initial window. Linux's RTO is about the round trip
 * plus {@code tcp_rto_min} (200 ms).</li>
 * </ul>
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class CongestionWindow {
    static final long MSS = 1448;
    static final long INITIAL_WINDOW = 10 * MSS;
    static final double RTO_MIN = 0.2;

    private final double roundTrip;
    private final double rto;
    private long window = INITIAL_WINDOW;
    /** Bytes the current round has put in segments. */
    private long roundBytes;
    /** Date the current round's first byte reaches the receiver. */
    private double roundFirstArrival = Double.NEGATIVE_INFINITY;
    /** Date the last byte was delivered (its ACK leaves then): start of an idle period. */
    private double lastDelivery = Double.NaN;

    CongestionWindow(double roundTrip) {
        this.roundTrip = roundTrip;
        this.rto = roundTrip + RTO_MIN;
    }

    long window() {
        return window;
    }

    /** Bytes the current round may still send. */
    long roomInRound() {
        return Math.max(0, window - roundBytes);
    }

    /** Whether the current round has sent its whole window (the next bytes wait for a new round). */
    boolean roundFull() {
        return roundBytes >= window;
    }

    /**
     * The earliest date the next round's first byte may arrive: one round trip after this
     * round's first byte did.
     */
    double nextRoundArrival() {
        return roundFirstArrival + roundTrip;
    }

    /**
     * A burst starts on an idle direction, its first byte arriving at {@code firstArrival}:
     * a new round, after the RFC 2861 restart if the direction was idle longer than the RTO.
     */
    void newBurst(double now, double firstArrival) {
        endRound();
        if (!Double.isNaN(lastDelivery)) {
            double idle = now - lastDelivery;
            long restart = Math.min(INITIAL_WINDOW, window);
            long w = window;
            while ((idle -= rto) > 0 && w > restart) {
                w >>= 1;
            }
            window = Math.max(w, restart);
        }
        roundFirstArrival = firstArrival;
    }

    /** The next round starts, its first byte arriving at {@code firstArrival}. */
    void nextRound(double firstArrival) {
        endRound();
        roundFirstArrival = firstArrival;
    }

    /** A segment of {@code bytes} leaves in the current round. */
    void sent(long bytes) {
        roundBytes += bytes;
    }

    /** The last segment was delivered at {@code now}. */
    void delivered(double now) {
        lastDelivery = now;
    }

    private void endRound() {
        if (2 * roundBytes > window) {
            window = Math.max(window, Math.min(Long.MAX_VALUE / 4, window + roundBytes));
        }
        roundBytes = 0;
    }
}
