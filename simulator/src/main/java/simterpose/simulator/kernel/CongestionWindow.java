package simterpose.simulator.kernel;

/**
 * The congestion window of one direction of a connection under the {@code TCP} network model,
 * in rounds of one round-trip time, as far as timing goes: slow start, then, once the flow has
 * filled its share of the network, congestion avoidance as CUBIC runs it at these windows.
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
 * <li>A full round that took longer than a round trip to deliver found the pipe full: the flow
 * has its max-min share, and a loss-based sender's window is then what that share keeps in
 * flight over the round trip including the bottleneck's standing queue
 * ({@code NetworkModel.standingQueue}): the window (and the slow-start threshold, RFC 5681
 * §3.1: the losses that end slow start) becomes {@code rate × (RTT + queue)}. The fluid share
 * stands for the loss cycles around it.</li>
 * <li>A window-limited round at or above that threshold grows the window by
 * {@link #AVOIDANCE_GROWTH} segments (congestion avoidance): CUBIC's Reno-friendly region
 * (RFC 8312 §4.2, {@code α = 3(1-β)/(1+β)} segments per round trip, β = 0.7), where Linux's
 * CUBIC runs whenever its cubic curve is slower, i.e. at small windows and round trips: the
 * curve's epoch {@code K = ∛(W_max (1-β) / C)} (C = 0.4) is 3.4 s at 50 segments, against
 * 1.1 s of Reno-friendly regrowth at 18 ms. Measured under emulate (cross3, 20:59): both flows'
 * windows grew 0.5 segment per round trip, before and after the competitor left. So when a
 * competitor leaves, the flow does not take the freed bandwidth at once: its window first
 * covers the emptied queue (rate × (RTT + queue) / RTT), then grows α segments per round
 * trip.</li>
 * </ul>
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class CongestionWindow {
    static final long MSS = 1448;
    static final long INITIAL_WINDOW = 10 * MSS;
    static final double RTO_MIN = 0.2;
    /** Segments per round trip in congestion avoidance: RFC 8312's Reno-friendly α for β = 0.7. */
    static final double AVOIDANCE_GROWTH = 3 * (1 - 0.7) / (1 + 0.7);

    private final double roundTrip;
    /** The standing queue of the route's bottleneck when the flow saturates it (s). */
    private final double queue;
    private final double rto;
    private long window = INITIAL_WINDOW;
    /** Slow start's threshold: unbounded until a round finds the pipe full (RFC 5681). */
    private long threshold = Long.MAX_VALUE;
    /** Whether the last round ended found the pipe full (took longer than a round trip). */
    private boolean pipeFull;
    /** Bytes the current round has put in segments. */
    private long roundBytes;
    /** Date the current round's first byte reaches the receiver. */
    private double roundFirstArrival = Double.NEGATIVE_INFINITY;
    /** Date the last byte was delivered (its ACK leaves then): start of an idle period. */
    private double lastDelivery = Double.NaN;

    CongestionWindow(double roundTrip) {
        this(roundTrip, 0);
    }

    /** @param queue the standing queue of the route's bottleneck (s), see {@code NetworkModel.standingQueue} */
    CongestionWindow(double roundTrip, double queue) {
        this.roundTrip = roundTrip;
        this.queue = queue;
        this.rto = roundTrip + RTO_MIN;
    }

    long threshold() {
        return threshold;
    }

    long window() {
        return window;
    }

    /**
     * Bytes the current round may still send. Once a round found the pipe full, the share, not
     * the window, sets the pace and the next round follows at once: a segment then need not stop
     * at the window (on a fast link a window is a fraction of a segment, and cutting there would
     * only multiply segments and the reader's wake-ups); its delivery still ends a round and
     * re-measures the window.
     */
    long roomInRound() {
        return pipeFull ? Long.MAX_VALUE : Math.max(0, window - roundBytes);
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
        endRound(Double.NaN);
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

    /**
     * The next round starts, its first byte arriving at {@code firstArrival}: the current round's
     * last byte has been delivered by then (a full pipe's rounds follow each other without gap).
     */
    void nextRound(double firstArrival) {
        endRound(firstArrival);
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

    /** @param end when the round's last byte was delivered if the next round follows it at once, else NaN */
    private void endRound(double end) {
        double took = end - roundFirstArrival;
        if (roundBytes >= window && took > roundTrip * (1 + 1e-9) + 1e-9) {
            // the pipe was full: the share, not the window, set the pace
            window = Math.max(MSS, Math.round(roundBytes / took * (roundTrip + queue)));
            threshold = window;
            pipeFull = true;
            roundBytes = 0;
            return;
        }
        pipeFull = false;
        if (2 * roundBytes > window) {
            window = window < threshold
                    ? Math.max(window, Math.min(Long.MAX_VALUE / 4, window + roundBytes))
                    : window + Math.round(AVOIDANCE_GROWTH * MSS);
        }
        roundBytes = 0;
    }
}
