package simterpose.emulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's wake-up margin before a packet's date ({@link LinkRelay#nextMargin}). */
class RelayMarginTest {

    @Test
    void followsTheUpperTailOfTheOverrunsNotTheirMean() {
        long margin = 0;
        for (int i = 0; i < 200; i++) {
            margin = LinkRelay.nextMargin(margin, i % 2 == 0 ? 10_000 : 90_000);
        }
        // a mean would sit at 50 µs and half the wake-ups would come after the date
        assertThat(margin).isBetween(75_000L, 90_000L);
    }

    @Test
    void shrinksSlowlyOnceTheMachineIsQuietAndNeverExceedsTheCap() {
        long margin = LinkRelay.nextMargin(0, 5_000_000); // one wake-up 5 ms late (a stall)
        assertThat(margin).isLessThanOrEqualTo(LinkRelay.MAX_OVERSLEEP);
        long afterOneQuiet = LinkRelay.nextMargin(margin, 1_000);
        assertThat(afterOneQuiet).isGreaterThan(margin * 9 / 10);
        long m = afterOneQuiet;
        for (int i = 0; i < 100; i++) {
            m = LinkRelay.nextMargin(m, 1_000);
        }
        assertThat(m).isLessThan(5_000L);
    }
}
