package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.simulator.kernel.CongestionWindow.INITIAL_WINDOW;

import org.junit.jupiter.api.Test;

/**
 * The window arithmetic alone, on a 0.1 s round trip (RTO = 0.1 + 0.2 = 0.3 s): slow start's
 * growth per window-limited round, none for an application-limited one, the RFC 2861 restart
 * (halved per RTO idle, never below the initial window), and the end of slow start when a round
 * finds the pipe full, then congestion avoidance's half a segment per round.
 */
class CongestionWindowTest {
    static final double RTT = 0.1;

    /** A direction whose window grew to {@code rounds} doublings of IW, its last byte delivered at 1.0. */
    static CongestionWindow grown(int rounds) {
        CongestionWindow w = new CongestionWindow(RTT);
        w.newBurst(0, 0.05);
        for (int r = 0; r < rounds; r++) {
            w.sent(w.roomInRound());
            assertThat(w.roundFull()).isTrue();
            w.nextRound(w.nextRoundArrival());
        }
        w.delivered(1.0);
        return w;
    }

    @Test
    void theWindowStartsAtTenSegmentsAndDoublesWithEachRoundThatFillsIt() {
        CongestionWindow w = new CongestionWindow(RTT);
        assertThat(w.window()).isEqualTo(14480);
        w.newBurst(0, 0.05);
        assertThat(w.roomInRound()).isEqualTo(INITIAL_WINDOW);
        w.sent(INITIAL_WINDOW);
        assertThat(w.roundFull()).isTrue();
        assertThat(w.nextRoundArrival()).isEqualTo(0.05 + RTT);
        w.nextRound(0.15);
        assertThat(w.window()).isEqualTo(2 * INITIAL_WINDOW);
        w.sent(2 * INITIAL_WINDOW);
        w.nextRound(0.25);
        assertThat(w.window()).isEqualTo(4 * INITIAL_WINDOW);
        assertThat(w.nextRoundArrival()).isEqualTo(0.25 + RTT);
    }

    @Test
    void aRoundThatCarriesHalfTheWindowOrLessDoesNotGrowIt() {
        CongestionWindow w = new CongestionWindow(RTT);
        w.newBurst(0, 0.05);
        w.sent(INITIAL_WINDOW / 2);
        w.delivered(0.06);
        w.newBurst(0.07, 0.12); // idle 10 ms: no restart, and the half-full round grew nothing
        assertThat(w.window()).isEqualTo(INITIAL_WINDOW);
        w.sent(INITIAL_WINDOW / 2 + 1);
        w.delivered(0.13);
        w.newBurst(0.14, 0.19);
        assertThat(w.window()).isEqualTo(INITIAL_WINDOW + INITIAL_WINDOW / 2 + 1);
    }

    @Test
    void anIdlePeriodHalvesTheWindowOncePerRtoElapsedDownToTheInitialWindow() {
        // window 8 IW after three full rounds (the third ends as the next burst starts: 16 IW then)
        assertThat(restartedAfter(0.29)).as("idle less than one RTO").isEqualTo(16 * INITIAL_WINDOW);
        assertThat(restartedAfter(0.31)).as("one RTO").isEqualTo(8 * INITIAL_WINDOW);
        assertThat(restartedAfter(0.61)).as("two RTOs").isEqualTo(4 * INITIAL_WINDOW);
        assertThat(restartedAfter(10)).as("long idle: the initial window").isEqualTo(INITIAL_WINDOW);
    }

    private static long restartedAfter(double idle) {
        CongestionWindow w = grown(3);
        w.sent(w.roomInRound());
        w.newBurst(1.0 + idle, 1.0 + idle + RTT / 2);
        return w.window();
    }

    @Test
    void aFullRoundSlowerThanARoundTripSetsTheWindowToItsRateOverTheRoundTripWithTheQueue() {
        double queue = 0.05;
        CongestionWindow w = new CongestionWindow(RTT, queue);
        w.newBurst(0, 0.05);
        w.sent(w.roomInRound());
        w.nextRound(0.15); // window-limited: slow start doubles
        assertThat(w.window()).isEqualTo(2 * INITIAL_WINDOW);
        w.sent(w.roomInRound());
        // the share delivered the round's 2 IW in 0.4 s (4 round trips): the pipe was full
        w.nextRound(0.15 + 0.4);
        long expected = Math.round(2 * INITIAL_WINDOW / 0.4 * (RTT + queue));
        assertThat(w.window()).isEqualTo(expected);
        assertThat(w.threshold()).as("slow start ends there").isEqualTo(expected);
    }

    @Test
    void pastTheThresholdEachWindowLimitedRoundAddsCubicsRenoFriendlyHalfSegment() {
        CongestionWindow w = new CongestionWindow(RTT, 0.05);
        w.newBurst(0, 0.05);
        w.sent(w.roomInRound());
        w.nextRound(0.05 + 0.5); // pipe full: window = IW / 0.5 s × 0.15 s
        long start = w.window();
        double at = 0.55;
        for (int r = 1; r <= 10; r++) {
            w.sent(w.window()); // a window's worth per round (after a full pipe the round is not cut there)
            at = w.nextRoundArrival(); // the competitor left: each round ends within a round trip
            w.nextRound(at);
            // α = 3 (1 - 0.7) / (1 + 0.7) = 0.53 segment, 767 bytes (RFC 8312 §4.2), not slow start's doubling
            assertThat(w.window()).isEqualTo(start + r * 767L);
        }
    }

    @Test
    void whileThePipeIsFullASegmentIsNotCutAtTheWindowAndAWindowLimitedRoundCutsAgain() {
        CongestionWindow w = new CongestionWindow(RTT, 0.05);
        w.newBurst(0, 0.05);
        assertThat(w.roomInRound()).as("slow start: the window cuts").isEqualTo(INITIAL_WINDOW);
        w.sent(w.roomInRound());
        w.nextRound(0.05 + 0.5); // the share, not the window, set the pace
        assertThat(w.roomInRound()).as("pipe full: the share paces, no cut").isEqualTo(Long.MAX_VALUE);
        long window = w.window();
        w.sent(10 * window); // one segment of ten windows, delivered in one round trip: the share rose
        w.nextRound(w.nextRoundArrival());
        assertThat(w.roomInRound()).as("window-limited again: the window cuts").isEqualTo(w.window());
        assertThat(w.window()).isEqualTo(window + 767L);
    }
}
