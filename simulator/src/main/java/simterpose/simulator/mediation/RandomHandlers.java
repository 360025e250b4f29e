package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EINVAL;

import java.util.Map;

/**
 * getrandom answered from the run's generator, seeded by {@link RunOptions#seed()}: calls are
 * served in the engine's fixed order, so the same seed gives every tracee the same bytes.
 * (/dev/urandom reads and the auxv's AT_RANDOM are still the real kernel's.)
 */
final class RandomHandlers {
    private RandomHandlers() {}

    private static final int MAX = 1 << 20;
    private static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

    static Map<String, Handler> handlers() {
        return Map.of("getrandom", RandomHandlers::getrandom);
    }

    private static HandlerResult getrandom(Call c) {
        long len = c.arg(1);
        if ((c.arg(2) & ~(long) (GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0 || len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] bytes = new byte[(int) Math.min(len, MAX)];
        c.thread.run.random.nextBytes(bytes);
        return c.write(c.arg(0), bytes) ? HandlerResult.done(bytes.length) : Call.fault();
    }
}
