package simterpose.emulator;

/**
 * Timing tests on a machine shared with other jobs: a scenario whose assertions fail is run again,
 * up to a few times, and passes if one run meets them all. A systematic error (a wrong latency, a
 * link faster than its bandwidth) fails every run; a busy machine's scheduling hiccup (a program
 * woken 50 ms late) does not fail the test. Every failed run is kept in the final error.
 */
final class Attempts {
    private Attempts() {}

    static final int MAX = 3;

    interface Scenario {
        void run(int attempt) throws Exception;
    }

    static void upTo(int max, Scenario scenario) throws Exception {
        AssertionError failures = null;
        for (int attempt = 1; attempt <= max; attempt++) {
            try {
                scenario.run(attempt);
                return;
            } catch (AssertionError e) {
                if (failures == null) {
                    failures = new AssertionError("all " + max + " runs failed; the last: " + e.getMessage(), e);
                } else {
                    failures.addSuppressed(e);
                }
            }
        }
        throw failures;
    }
}
