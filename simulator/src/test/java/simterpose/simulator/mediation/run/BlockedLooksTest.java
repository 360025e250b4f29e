package simterpose.simulator.mediation.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockedLooksTest {
    /** The looks (1-based) at which the owner is asked, for a sequence of /proc states. */
    private static List<Integer> asks(String states) {
        BlockedLooks looks = new BlockedLooks();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < states.length(); i++) {
            if (looks.askOwner(states.charAt(i), false)) {
                asked.add(i + 1);
            }
        }
        return asked;
    }

    @Test
    void aThreadAsleepTwiceInARowIsAskedForAndAskedForAgainWhileItStaysAsleep() {
        // the owner may have found it awake at its own look and declined: asking once was the CI hang
        assertThat(asks("SSSSSS")).containsExactly(2, 4, 6);
    }

    @Test
    void aThreadSeenAwakeBetweenTwoSleepsIsNotAskedFor() {
        assertThat(asks("SRSDSR")).isEmpty();
        assertThat(asks("SRSS")).containsExactly(4);
    }

    @Test
    void aVanishedThreadIsRetiredAfterTwoSecondsOfLooksAndAgainIfItStays() {
        assertThat(asks("X".repeat(2 * BlockedLooks.VANISHED))).containsExactly(BlockedLooks.VANISHED, 2 * BlockedLooks.VANISHED);
    }

    @Test
    void aThreadStoppedBySignalCountsAsBlocked() {
        BlockedLooks looks = new BlockedLooks();
        assertThat(looks.askOwner('t', true)).isFalse();
        assertThat(looks.askOwner('t', true)).isTrue();
        assertThat(looks.askOwner('t', false)).isFalse(); // a ptrace stop is not blocked: a stop is coming
    }

    @Test
    void aStopResetsTheCount() {
        BlockedLooks looks = new BlockedLooks();
        looks.askOwner('S', false);
        looks.reset();
        assertThat(looks.askOwner('S', false)).isFalse();
        assertThat(looks.askOwner('S', false)).isTrue();
    }
}
