package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import simterpose.cli.views.StraceLogReader;
import simterpose.cli.views.StraceLogReader.Call;

/**
 * {@code compare}'s per-blocking-call table: the calls that lasted at least MIN in each run's
 * strace logs ({@code DIR/<host>.<actor>.<pid>.strace}, {@code -ttt -T}, read by
 * {@link StraceLogReader}), matched by actor and order.
 *
 * <p>Order: an actor's blocking calls of all its processes, by start. The two sequences are
 * aligned on their syscall names (a longest common subsequence, as {@code diff} aligns lines), so
 * one call that blocks in one run only (a {@code wait4} the simulated run does not log, a read
 * the kernel answered at once) shows on its own row instead of shifting every pair after it.
 */
final class BlockingComparison {
    private BlockingComparison() {}

    private static final Pattern LOG = Pattern.compile("(.+)\\.(\\d+)\\.strace");

    /** One blocking call in both runs, or in one only (the other null). */
    record Row(String actor, Call run, Call emulated) {
        String syscall() {
            return run != null ? run.name() : emulated.name();
        }

        /** (run − emulate) / emulate of the durations; NaN unless both ran it. */
        double relativeDifference() {
            return run == null || emulated == null || emulated.durationNanos() == 0 ? Double.NaN
                    : (double) (run.durationNanos() - emulated.durationNanos()) / emulated.durationNanos();
        }
    }

    /**
     * Per actor ({@code <host>.<actor>}, by name), its calls of at least {@code minNanos} from every
     * process's log in {@code dir}, by start. An absent directory holds no calls.
     */
    static Map<String, List<Call>> read(Path dir, long minNanos) throws IOException {
        Map<String, List<Call>> byActor = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return byActor;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.sorted().toList();
        }
        for (Path log : logs) {
            Matcher m = LOG.matcher(log.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            List<Call> calls = byActor.computeIfAbsent(m.group(1), a -> new ArrayList<>());
            for (Call c : StraceLogReader.read(log, Integer.parseInt(m.group(2)))) {
                if (c.durationNanos() >= minNanos) {
                    calls.add(c);
                }
            }
        }
        byActor.values().forEach(calls -> calls.sort(Comparator.comparingLong(Call::startNanos)));
        return byActor;
    }

    /** Actor by actor (those of either run), the calls paired along the longest common subsequence of their names. */
    static List<Row> match(Map<String, List<Call>> run, Map<String, List<Call>> emulated) {
        Set<String> actors = new LinkedHashSet<>(run.keySet());
        actors.addAll(emulated.keySet());
        List<Row> rows = new ArrayList<>();
        for (String actor : actors) {
            align(actor, run.getOrDefault(actor, List.of()), emulated.getOrDefault(actor, List.of()), rows);
        }
        return rows;
    }

    private static void align(String actor, List<Call> a, List<Call> b, List<Row> rows) {
        int n = a.size();
        int m = b.size();
        int[][] common = new int[n + 1][m + 1]; // common[i][j]: LCS length of a[i..] and b[j..]
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = a.get(i).name().equals(b.get(j).name()) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).name().equals(b.get(j).name())) {
                rows.add(new Row(actor, a.get(i++), b.get(j++)));
            } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
                rows.add(new Row(actor, a.get(i++), null));
            } else {
                rows.add(new Row(actor, null, b.get(j++)));
            }
        }
    }

    /** The text table; {@code runSide} says why the run column is empty when it is. */
    static String text(List<Row> rows, long minNanos, String runSide) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "blocking calls (at least %s ms), matched by actor and order:%n", ms(minNanos)));
        if (runSide != null) {
            sb.append("  (").append(runSide).append(")\n");
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"actor", "syscall", "run (ms)", "emulate (ms)", "difference"});
        for (Row r : rows) {
            String name = r.run() != null && r.emulated() != null && !r.run().name().equals(r.emulated().name())
                    ? r.run().name() + "/" + r.emulated().name() : r.syscall();
            table.add(new String[] {r.actor(), name, r.run() == null ? "-" : ms(r.run().durationNanos()),
                    r.emulated() == null ? "-" : ms(r.emulated().durationNanos()),
                    r.run() == null ? "emulate only" : r.emulated() == null ? "run only" : percent(r.relativeDifference())});
        }
        int[] width = new int[5];
        for (String[] row : table) {
            for (int k = 0; k < row.length; k++) {
                width[k] = Math.max(width[k], row[k].length());
            }
        }
        for (String[] row : table) {
            sb.append(String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1] + "s  %" + width[2] + "s  %"
                    + width[3] + "s  %" + width[4] + "s", (Object[]) row).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The rows as a JSON array: actor, syscall, both durations in seconds (null when absent), the relative difference. */
    static void json(JsonWriter w, List<Row> rows) {
        w.beginArray();
        for (Row r : rows) {
            w.beginObject().name("actor").value(r.actor()).name("syscall").value(r.syscall());
            seconds(w.name("runDuration"), r.run() == null ? Double.NaN : r.run().durationNanos() / 1e9);
            seconds(w.name("emulateDuration"), r.emulated() == null ? Double.NaN : r.emulated().durationNanos() / 1e9);
            seconds(w.name("relativeDifference"), r.relativeDifference());
            w.endObject();
        }
        w.endArray();
    }

    private static void seconds(JsonWriter w, double x) {
        if (Double.isNaN(x)) {
            w.nullValue();
        } else {
            w.value(x);
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String percent(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * x);
    }
}
