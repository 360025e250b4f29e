package simterpose.simulator.engine;

/**
 * What a {@link Signal} or an activity can wake: a blocked {@link Actor}, or a {@link Wait}
 * registered by event-driven code. {@code epoch} tells a stale wake-up (for an earlier wait)
 * from a current one.
 */
interface Wakeable {
    void wake(Object cause, long epoch);
}
