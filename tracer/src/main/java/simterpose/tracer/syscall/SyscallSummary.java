package simterpose.tracer.syscall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * strace {@code -c}: per syscall, calls, errors and time, rendered as strace's table (sorted by
 * time, highest first, then a total line). Time is the wall time between the entry and exit
 * stops, as strace -w measures it. Owned by one thread (the one that handles stops).
 */
public final class SyscallSummary {
    private static final class Row {
        long calls;
        long errors;
        long nanos;
    }

    private final Map<Integer, Row> rows = new TreeMap<>();

    /** Records one completed call. */
    public void add(int nr, long nanos, boolean error) {
        Row r = rows.computeIfAbsent(nr, k -> new Row());
        r.calls++;
        r.nanos += Math.max(0, nanos);
        if (error) {
            r.errors++;
        }
    }

    /** Records one completed call that took {@code seconds}. */
    public void add(int nr, double seconds, boolean error) {
        add(nr, Math.round(seconds * 1e9), error);
    }

    public long calls(int nr) {
        Row r = rows.get(nr);
        return r == null ? 0 : r.calls;
    }

    public long errors(int nr) {
        Row r = rows.get(nr);
        return r == null ? 0 : r.errors;
    }

    /** The table, lines ending with {@code \n}. */
    public String render() {
        long totalNanos = 0, totalCalls = 0, totalErrors = 0;
        for (Row r : rows.values()) {
            totalNanos += r.nanos;
            totalCalls += r.calls;
            totalErrors += r.errors;
        }
        List<Map.Entry<Integer, Row>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Comparator.<Map.Entry<Integer, Row>>comparingLong(e -> -e.getValue().nanos)
                .thenComparing(e -> -e.getValue().calls).thenComparing(e -> SyscallTable.name(e.getKey())));
        String dashes = "------ ----------- ----------- --------- --------- ----------------\n";
        StringBuilder sb = new StringBuilder("% time     seconds  usecs/call     calls    errors syscall\n").append(dashes);
        for (Map.Entry<Integer, Row> e : sorted) {
            Row r = e.getValue();
            line(sb, totalNanos == 0 ? 0 : 100.0 * r.nanos / totalNanos, r.nanos, r.calls, r.errors,
                    SyscallTable.name(e.getKey()));
        }
        sb.append(dashes);
        line(sb, totalNanos == 0 ? 0 : 100.0, totalNanos, totalCalls, totalErrors, "total");
        return sb.toString();
    }

    private static void line(StringBuilder sb, double percent, long nanos, long calls, long errors, String name) {
        long usecsPerCall = calls == 0 ? 0 : nanos / 1000 / calls;
        sb.append(String.format(Locale.ROOT, "%6.2f %11.6f %11d %9d %9s %s%n", percent, nanos / 1e9, usecsPerCall,
                calls, errors == 0 ? "" : Long.toString(errors), name));
    }
}
