package simterpose.cli.views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code run --blocking[=MIN]}: per actor, the calls that blocked for at least MIN simulated
 * seconds, with what ended the wait; the table of the 2012 LTTng blocking analysis of netcat
 * ({@code server accept 300.873 ms (woken by the final ACK of the handshake)}).
 *
 * <p>Holds only the calls that pass the threshold. Not thread-safe: the run adds from one thread.
 */
public final class BlockingTable {
    /** What ended a wait. */
    public enum Wake {
        DATA_ARRIVED("data arrived"),
        HANDSHAKE_COMPLETED("handshake completed"),
        CONNECTION_ACCEPTED("connection accepted by the peer"),
        PEER_CLOSED("peer closed"),
        CONNECTION_REFUSED("connection refused"),
        CONNECTION_RESET("connection reset"),
        SPACE_AVAILABLE("send buffer space"),
        TIMER_EXPIRED("timer expired"),
        FUTEX_WAKE("futex wake"),
        TIMEOUT("timeout"),
        SIGNAL("signal"),
        CHILD_EXITED("child exited"),
        READY("became ready"),
        /** Read from a log, which does not say. */
        UNKNOWN("?"),
        END_OF_RUN("end of the run");

        private final String text;

        Wake(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One blocked call of one thread: simulated start and duration in ns. */
    public record Blocked(String syscall, int tid, long startNanos, long durationNanos, Wake wake) {}

    private final long minNanos;
    private final Map<String, List<Blocked>> byActor = new LinkedHashMap<>();

    public BlockingTable(long minNanos) {
        this.minNanos = minNanos;
    }

    /** Registers an actor so that it shows (with no rows) even if nothing of it blocks long. */
    public void actor(String actor) {
        byActor.computeIfAbsent(actor, a -> new ArrayList<>());
    }

    /** A wait that ended; kept if it lasted at least MIN. */
    public void add(String actor, Blocked call) {
        if (call.durationNanos() >= minNanos) {
            byActor.computeIfAbsent(actor, a -> new ArrayList<>()).add(call);
        }
    }

    public long minNanos() {
        return minNanos;
    }

    public Map<String, List<Blocked>> rows() {
        return byActor;
    }

    /** The text table: one section per actor, one row per blocked call, times in ms. */
    public String render() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "blocking calls (at least %s ms):%n", ms(minNanos)));
        sb.append(String.format(Locale.ROOT, "%-16s %8s %14s %14s  %-16s %s%n",
                "actor", "tid", "start (s)", "duration (ms)", "syscall", "ended by"));
        byActor.forEach((actor, calls) -> {
            for (Blocked b : calls) {
                sb.append(String.format(Locale.ROOT, "%-16s %8d %14s %14s  %-16s %s%n", actor, b.tid(),
                        PajeWriter.time(b.startNanos()), ms(b.durationNanos()), b.syscall(), b.wake().text()));
            }
        });
        return sb.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e6);
    }
}
