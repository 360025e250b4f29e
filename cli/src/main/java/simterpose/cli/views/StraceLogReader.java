package simterpose.cli.views;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a log in strace's {@code -ttt -T} layout, with or without {@code -f}'s {@code [pid N]}
 * prefixes and {@code <unfinished ...>}/{@code <... resumed>} pairs: the one {@code run --strace}
 * writes ({@link StraceLogWriter}) or the one real strace writes under {@code emulate --strace}.
 * Each call comes back whole (start, name, duration), so a blocking table can be built from
 * either ({@link #blocking}); signal and exit lines are skipped.
 */
public final class StraceLogReader {
    /** One call: its thread, start (ns since 1970), name, line as written (first half if cut) and duration in ns. */
    public record Call(int tid, long startNanos, String name, String line, long durationNanos) {}

    private static final Pattern LINE = Pattern.compile("^(?:\\[pid\\s+(\\d+)\\] )?(\\d+)\\.(\\d{6}) (.*)$");
    private static final Pattern DURATION = Pattern.compile(" <(\\d+)\\.(\\d{6})>$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([\\w]+) resumed>");
    private static final Pattern NAME = Pattern.compile("^([\\w]+)\\(");

    private StraceLogReader() {}

    public static List<Call> read(Path file, int pid) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), pid);
    }

    /** @param pid the thread a line without {@code [pid N]} belongs to */
    public static List<Call> parse(List<String> lines, int pid) {
        List<Call> calls = new ArrayList<>();
        Map<Integer, Call> unfinished = new HashMap<>();
        for (String text : lines) {
            Matcher m = LINE.matcher(text);
            if (!m.matches()) {
                continue;
            }
            int tid = m.group(1) == null ? pid : Integer.parseInt(m.group(1));
            long date = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3)) * 1000L;
            String rest = m.group(4);
            Matcher resumed = RESUMED.matcher(rest);
            if (resumed.find()) {
                Call first = unfinished.remove(tid);
                long duration = duration(rest);
                if (first != null && duration >= 0) {
                    calls.add(new Call(tid, first.startNanos(), first.name(), first.line(), duration));
                }
                continue;
            }
            Matcher name = NAME.matcher(rest);
            if (!name.find()) {
                continue; // --- signal ---, +++ exited +++
            }
            if (rest.endsWith("<unfinished ...>")) {
                unfinished.put(tid, new Call(tid, date, name.group(1), rest, -1));
                continue;
            }
            long duration = duration(rest);
            if (duration >= 0) {
                calls.add(new Call(tid, date, name.group(1), rest, duration));
            }
        }
        return calls;
    }

    private static long duration(String rest) {
        Matcher d = DURATION.matcher(rest);
        return d.find() ? Long.parseLong(d.group(1)) * 1_000_000_000L + Long.parseLong(d.group(2)) * 1000L : -1;
    }

    /**
     * Adds {@code actor}'s calls that lasted at least the table's threshold; a log does not say
     * what ended a wait ({@link BlockingTable.Wake#UNKNOWN}). Dates become simulated (or run)
     * time by taking {@code zeroNanos} off.
     */
    public static void blocking(BlockingTable table, String actor, List<Call> calls, long zeroNanos) {
        table.actor(actor);
        for (Call c : calls) {
            table.add(actor, new BlockingTable.Blocked(c.name(), c.tid(), c.startNanos() - zeroNanos, c.durationNanos(),
                    BlockingTable.Wake.UNKNOWN));
        }
    }
}
