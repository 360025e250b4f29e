package simterpose.cli.views;

import java.io.Writer;
import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Locale;
import java.util.Set;

/**
 * A run's timeline in the Paje trace format (read by pajeng's {@code pj_dump} and by ViTE):
 * a root container {@code platform} holding one container per host, one per actor inside its
 * host, and one per link; a state per actor ({@code running}, {@code blocked in accept}, …);
 * a link (arrow) per transfer from the sending actor to the receiving one; the bytes per second
 * a link carries as the variable {@code bandwidth used}.
 *
 * <p>Times are simulated seconds with nanosecond precision. Paje readers want events in time
 * order, so a date earlier than the last one written is refused. Names are quoted; a state
 * value is defined the first time it is used. Not thread-safe.
 */
public final class PajeWriter implements AutoCloseable {
    private static final String HEADER = """
            %EventDef PajeDefineContainerType 0
            %       Alias string
            %       Type string
            %       Name string
            %EndEventDef
            %EventDef PajeDefineVariableType 1
            %       Alias string
            %       Type string
            %       Name string
            %       Color color
            %EndEventDef
            %EventDef PajeDefineStateType 2
            %       Alias string
            %       Type string
            %       Name string
            %EndEventDef
            %EventDef PajeDefineLinkType 3
            %       Alias string
            %       Type string
            %       StartContainerType string
            %       EndContainerType string
            %       Name string
            %EndEventDef
            %EventDef PajeDefineEntityValue 4
            %       Alias string
            %       Type string
            %       Name string
            %       Color color
            %EndEventDef
            %EventDef PajeCreateContainer 5
            %       Time date
            %       Alias string
            %       Type string
            %       Container string
            %       Name string
            %EndEventDef
            %EventDef PajeDestroyContainer 6
            %       Time date
            %       Type string
            %       Name string
            %EndEventDef
            %EventDef PajeSetVariable 7
            %       Time date
            %       Type string
            %       Container string
            %       Value double
            %EndEventDef
            %EventDef PajeSetState 8
            %       Time date
            %       Type string
            %       Container string
            %       Value string
            %EndEventDef
            %EventDef PajeStartLink 9
            %       Time date
            %       Type string
            %       Container string
            %       Value string
            %       StartContainer string
            %       Key string
            %EndEventDef
            %EventDef PajeEndLink 10
            %       Time date
            %       Type string
            %       Container string
            %       Value string
            %       EndContainer string
            %       Key string
            %EndEventDef
            0 P 0 platform
            0 H P host
            0 A H actor
            0 L P link
            2 S A "actor state"
            1 U L "bandwidth used" "0.8 0.2 0.2"
            3 T P A A transfer
            5 0.000000000 platform P 0 platform
            """;

    private record Arrival(long nanos, long order, String line) {}

    private final TextSink out;
    private final PriorityQueue<Arrival> arrivals = new PriorityQueue<>(
            Comparator.comparingLong(Arrival::nanos).thenComparingLong(Arrival::order));
    private final Set<String> stateValues = new HashSet<>();
    private long lastNanos;
    private long transfers;

    public PajeWriter(Writer out) {
        this.out = new TextSink(out);
        write(HEADER);
    }

    public void host(long nanos, String host) {
        write(at(nanos) + "5 " + time(nanos) + " " + q("h:" + host) + " H platform " + q(host) + "\n");
    }

    /** An actor container, named {@code actor} inside its host, identified by {@code id}. */
    public void actor(long nanos, String host, String id, String actor) {
        write(at(nanos) + "5 " + time(nanos) + " " + q("a:" + id) + " A " + q("h:" + host) + " "
                + q(actor) + "\n");
    }

    public void link(long nanos, String link) {
        write(at(nanos) + "5 " + time(nanos) + " " + q("l:" + link) + " L platform " + q(link) + "\n");
    }

    public void actorEnd(long nanos, String id) {
        write(at(nanos) + "6 " + time(nanos) + " A " + q("a:" + id) + "\n");
    }

    /** The actor's state from now on: {@code running}, {@code blocked in poll}, … */
    public void state(long nanos, String id, String state) {
        String value = q(state);
        String define = "";
        if (stateValues.add(state)) {
            define = "4 " + q("v:" + state) + " S " + value + " " + color(state) + "\n";
        }
        write(at(nanos) + define + "8 " + time(nanos) + " S " + q("a:" + id) + " " + q("v:" + state) + "\n");
    }

    /**
     * One transfer drawn as an arrow from the sender, leaving at {@code startNanos}, to the
     * receiver, arriving at {@code endNanos}. The arrival is held (with the other transfers in
     * flight) until an event at or after its date is written, so the file stays in time order.
     */
    public void transfer(long startNanos, long endNanos, String fromId, String toId, long bytes) {
        String key = "t" + transfers++;
        String value = q(bytes + " B");
        write(at(startNanos) + "9 " + time(startNanos) + " T platform " + value + " "
                + q("a:" + fromId) + " " + key + "\n");
        arrivals.add(new Arrival(Math.max(endNanos, startNanos), transfers,
                "10 " + time(endNanos) + " T platform " + value + " " + q("a:" + toId) + " " + key + "\n"));
    }

    /** The bytes per second {@code link} carries from now on. */
    public void linkUsage(long nanos, String link, double bytesPerSecond) {
        write(at(nanos) + "7 " + time(nanos) + " U " + q("l:" + link) + " "
                + String.format(Locale.ROOT, "%.6f", bytesPerSecond) + "\n");
    }

    /** Closes every container at the run's end. */
    public void end(long nanos) {
        nanos = Math.max(nanos, arrivals.stream().mapToLong(Arrival::nanos).max().orElse(nanos));
        write(at(nanos) + "6 " + time(nanos) + " P platform\n");
    }

    private String at(long nanos) {
        if (nanos < lastNanos) {
            throw new IllegalArgumentException("Paje events go in time order: " + nanos + " < " + lastNanos);
        }
        lastNanos = nanos;
        StringBuilder due = new StringBuilder();
        while (!arrivals.isEmpty() && arrivals.peek().nanos <= nanos) {
            due.append(arrivals.poll().line);
        }
        return due.toString();
    }

    static String time(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L) + "."
                + Digits.zeroPadded(Math.floorMod(nanos, 1_000_000_000L), 9);
    }

    private static String q(String s) {
        return '"' + s.replace("\"", "'") + '"';
    }

    /** Running green, blocked states red to orange by a stable hash of the call's name. */
    private static String color(String state) {
        if (state.equals("running")) {
            return "\"0.2 0.7 0.2\"";
        }
        int h = Math.floorMod(state.hashCode(), 5);
        return "\"0.9 " + String.format(Locale.ROOT, "%.1f", 0.1 + 0.15 * h) + " 0.1\"";
    }

    private void write(String s) {
        out.write(s);
    }

    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }
}
