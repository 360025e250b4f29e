package simterpose.cli.views;

import java.io.Writer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's timeline in the Chrome trace-event format (JSON object form; Perfetto and
 * chrome://tracing open it), the same content as {@link PajeWriter}: a process per host (and
 * one, {@code links}, for the platform's links), a thread per actor whose states are complete
 * ({@code "X"}) events, a flow ({@code "s"}/{@code "f"}) per transfer from sender to receiver,
 * and a counter ({@code "C"}) per link with the bytes per second it carries.
 *
 * <p>Timestamps are simulated microseconds with three decimals (nanosecond precision). A state
 * is written when the next one begins, so memory holds one open state per actor. Not
 * thread-safe.
 */
public final class ChromeTraceWriter implements AutoCloseable {
    private record Actor(int pid, int tid) {}
    private record OpenState(String name, long startNanos) {}

    private final TextSink out;
    private final Map<String, Integer> hostPids = new HashMap<>();
    private final Map<String, Actor> actors = new HashMap<>();
    private final Map<String, OpenState> openStates = new LinkedHashMap<>();
    private final int linksPid = 0;
    private boolean first = true;
    private long flows;

    public ChromeTraceWriter(Writer out) {
        this.out = new TextSink(out);
        write("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"args\":{\"name\":\"links\"}}");
    }

    public void host(String host) {
        int pid = hostPids.size() + 1;
        hostPids.put(host, pid);
        event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid + ",\"args\":{\"name\":"
                + str(host) + "}}");
    }

    /** An actor on {@code host} (declared before), identified by {@code id}. */
    public void actor(String host, String id, String actor) {
        Integer pid = hostPids.get(host);
        if (pid == null) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        Actor a = new Actor(pid, actors.size() + 1);
        actors.put(id, a);
        event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + a.pid + ",\"tid\":" + a.tid
                + ",\"args\":{\"name\":" + str(actor) + "}}");
    }

    /** The actor's state from now on; the one before it ends here. */
    public void state(long nanos, String id, String state) {
        closeState(nanos, id);
        openStates.put(id, new OpenState(state, nanos));
    }

    public void actorEnd(long nanos, String id) {
        closeState(nanos, id);
    }

    private void closeState(long nanos, String id) {
        OpenState previous = openStates.remove(id);
        if (previous != null) {
            Actor a = actor(id);
            event("{\"ph\":\"X\",\"name\":" + str(previous.name) + ",\"pid\":" + a.pid + ",\"tid\":"
                    + a.tid + ",\"ts\":" + micros(previous.startNanos) + ",\"dur\":"
                    + micros(nanos - previous.startNanos) + "}");
        }
    }

    /** A transfer as a flow arrow from the sender's slice to the receiver's. */
    public void transfer(long startNanos, long endNanos, String fromId, String toId, long bytes) {
        long id = flows++;
        Actor from = actor(fromId);
        Actor to = actor(toId);
        String name = str(bytes + " B");
        event("{\"ph\":\"s\",\"name\":" + name + ",\"cat\":\"transfer\",\"id\":" + id + ",\"pid\":"
                + from.pid + ",\"tid\":" + from.tid + ",\"ts\":" + micros(startNanos) + "}");
        event("{\"ph\":\"f\",\"bp\":\"e\",\"name\":" + name + ",\"cat\":\"transfer\",\"id\":" + id
                + ",\"pid\":" + to.pid + ",\"tid\":" + to.tid + ",\"ts\":" + micros(endNanos) + "}");
    }

    /** The bytes per second {@code link} carries from now on. */
    public void linkUsage(long nanos, String link, double bytesPerSecond) {
        event("{\"ph\":\"C\",\"name\":" + str(link) + ",\"pid\":" + linksPid + ",\"ts\":" + micros(nanos)
                + ",\"args\":{\"bytes/s\":" + (long) Math.rint(bytesPerSecond) + "}}");
    }

    /** Ends every open state at the run's end and closes the document. */
    public void end(long nanos) {
        for (String id : openStates.keySet().toArray(String[]::new)) {
            closeState(nanos, id);
        }
        write("\n]}\n");
    }

    private Actor actor(String id) {
        Actor a = actors.get(id);
        if (a == null) {
            throw new IllegalArgumentException("unknown actor " + id);
        }
        return a;
    }

    static String micros(long nanos) {
        return Math.floorDiv(nanos, 1000L) + "." + Digits.zeroPadded(Math.floorMod(nanos, 1000L), 3);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private void event(String json) {
        write(first ? json : ",\n" + json);
        first = false;
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
