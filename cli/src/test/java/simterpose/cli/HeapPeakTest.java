package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapPeakTest {
    /** Keeps the arrays reachable until the test lets go of them. */
    private static byte[][] held;

    @Test
    void thePeakCountsHeapHeldEarlierAndFreedSince() throws InterruptedException {
        long megabytes = 64;
        try (HeapPeak peak = new HeapPeak()) {
            held = new byte[(int) megabytes][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[1 << 20];
            }
            held = null;
            System.gc(); // the collector reports the heap as it was just before: the arrays still in it
            long deadline = System.nanoTime() + 5_000_000_000L; // notifications come on their own thread
            while (peak.bytes() < megabytes << 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(peak.bytes()).isGreaterThanOrEqualTo(megabytes << 20);
        }
    }
}
