package simterpose.simulator.engine;

/**
 * What a {@link Signal} or an activity can wake: a {@link Wait} registered by event-driven
 * code (or a test's thread-backed actor). {@code epoch} tells a stale wake-up (for an earlier wait)
 * from a current one.
 */
interface Wakeable {
    void wake(Object cause, long epoch);
}
