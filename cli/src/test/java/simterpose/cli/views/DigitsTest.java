package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The views' zero-padded numbers are what String.format's %0Nd prints. */
class DigitsTest {
    @Test
    void zeroPaddedIsFormatsZeroPaddedDecimal() {
        for (long v : new long[] {0, 1, 9, 10, 99, 100, 999, 1000, 123_456, 999_999, 1_000_000, 999_999_999L, 1_000_000_000L}) {
            for (int width : new int[] {1, 3, 6, 9}) {
                assertThat(Digits.zeroPadded(v, width)).isEqualTo(String.format("%0" + width + "d", v));
            }
        }
    }
}
