package simterpose.simulator.mediation.handlers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.SpinState;
import simterpose.simulator.mediation.tracee.Handler;

/**
 * Busy-waiting through a readiness call. Some programs poll in a loop on a condition they do
 * not act on: netcat keeps a pipe whose writer is gone in its poll set while its buffer is full
 * (POLLHUP is reported whatever the events), iperf3 selects for writing on a stream before the
 * test starts. On a real machine real time passes while they spin; under the simulation, with
 * CPU model none, the clock would never move and the run would spin forever.
 *
 * <p><b>The rule.</b> When a thread's poll, select or epoll call returns, at the same simulated
 * date, the very answer it returned the previous {@value #REPEATS} times, and the process made
 * no other syscall in between (except clock reads), the loop is a spin: the call waits instead,
 * until one of its simulated files changes, its timeout, a signal, or the clock moves on; then
 * it answers as usual. The program sees what it would have seen at the end of a real spin; it
 * only loops fewer times. Deterministic: it depends on the sequence of calls alone.
 */
public final class SpinGuard {
    private SpinGuard() {}

    /** Identical answers in a row, at one date and with nothing done in between, that make a spin. */
    public static final int REPEATS = 64;

    /**
     * Wraps a handler so that its calls count as the process doing something (the rows of
     * {@link MediationTable} whose {@code progress} is true: not the readiness calls and clock reads).
     */
    static Handler countingProgress(Handler h) {
        return c -> {
            c.thread.process.calls++;
            return h.handle(c);
        };
    }

    /**
     * True when {@code answer} (the bytes the call writes back, with its return value) closes a
     * spin: then the caller blocks with {@link #wait} instead of returning it.
     */
    static boolean spinning(Call c, long value, byte[] answer) {
        SpinState s = c.thread.process.spins.computeIfAbsent(c.thread.tid, t -> new SpinState());
        double now = c.now();
        byte[] tagged = Arrays.copyOf(answer, answer.length + 8);
        for (int i = 0; i < 8; i++) {
            tagged[answer.length + i] = (byte) (value >>> (8 * i));
        }
        long calls = c.thread.process.calls;
        if (now == s.date && calls == s.calls && Arrays.equals(tagged, s.answer)) {
            s.repeats++;
        } else {
            s.date = now;
            s.calls = calls;
            s.answer = tagged;
            s.repeats = 0;
        }
        if (s.repeats >= REPEATS) {
            s.repeats = 0; // after the wait, answer at once again
            s.date = -1;
            return true;
        }
        return false;
    }

    /** The wait of a spinning call: its queues, plus a wake-up once the clock has moved. */
    static HandlerResult waitFor(Call c, List<Signal> queues, double remaining) {
        double date = c.now();
        var sim = c.sim();
        List<Signal> all = new ArrayList<>(queues);
        all.add(c.idleProbes().watch(() -> sim.now() > date));
        return PendingSignals.waitOrInterrupt(c, PendingSignals.maskAddress(c), all, remaining);
    }
}
