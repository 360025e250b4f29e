package simterpose.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import simterpose.cli.views.BlockingTable;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.RunReport.ActorReport;
import simterpose.simulator.mediation.RunReport.BlockedActor;
import simterpose.simulator.mediation.RunReport.Outcome;

/**
 * How {@code simterpose run} shows a {@link RunReport}: a table for people and JSON for
 * programs, both derived from the report alone, and the exit status the report implies.
 * Stateless.
 */
final class RunReportFormat {
    private RunReportFormat() {}

    /** Every actor exited 0, or was killed at the kill_time its deployment planned. */
    static final int EXIT_OK = 0;
    /** Some actor exited non-zero, was killed by a signal, or never started. */
    static final int EXIT_ACTOR_FAILED = 1;
    /** Every live actor was blocked and nothing was pending. */
    static final int EXIT_DEADLOCK = 3;
    /** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
    static final int EXIT_INTERRUPTED = 130;

    static int exitStatus(RunReport report) {
        if (report.actors().stream().anyMatch(a -> a.outcome() == Outcome.INTERRUPTED)) {
            return EXIT_INTERRUPTED;
        }
        if (report.deadlock().isPresent()) {
            return EXIT_DEADLOCK;
        }
        return report.actors().stream().allMatch(RunReportFormat::succeeded) ? EXIT_OK : EXIT_ACTOR_FAILED;
    }

    /** A kill at the planned kill_time is the deployment's intent (servers are often ended so), not a failure. */
    static boolean succeeded(ActorReport actor) {
        return actor.outcome() == Outcome.EXITED && actor.exitCode() == 0
                || actor.outcome() == Outcome.KILLED_AT_KILL_TIME;
    }

    static String outcome(ActorReport a) {
        return switch (a.outcome()) {
            case EXITED -> "exit " + a.exitCode();
            case KILLED_BY_SIGNAL -> "killed by " + (a.signal() == null ? "a signal" : a.signal());
            case KILLED_AT_KILL_TIME -> "killed at " + PlatformCommand.number(a.end()) + " s";
            case KILLED_BY_DEADLOCK -> "killed (deadlock)";
            case NEVER_STARTED -> "never started";
            case INTERRUPTED -> "interrupted";
        };
    }

    /** The end report for a terminal: makespan, one row per actor, the deadlock if any, wall time. */
    static String text(RunReport report) {
        return text(report, false);
    }

    /**
     * @param emulated the report of {@code emulate}: times are real seconds since the start, and
     *                 bytes and syscalls are not counted (-1, shown as "-")
     */
    static String text(RunReport report, boolean emulated) {
        StringBuilder sb = new StringBuilder();
        sb.append(emulated ? "emulated makespan (real time): " : "simulated makespan: ")
                .append(PlatformCommand.number(report.makespan())).append(" s\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"actor", "host", "outcome", "start (s)", "end (s)", "sent (B)", "received (B)", "syscalls"});
        for (ActorReport a : report.actors()) {
            boolean started = a.outcome() != Outcome.NEVER_STARTED;
            rows.add(new String[] {a.name(), a.host(), outcome(a),
                    started ? PlatformCommand.number(a.start()) : "-", started ? PlatformCommand.number(a.end()) : "-",
                    count(a.bytesSent()), count(a.bytesReceived()), count(a.syscallsMediated())});
        }
        table(sb, rows, 3); // the columns from "start" on are numbers: right-aligned
        report.deadlock().ifPresent(d -> {
            boolean livelock = d.blocked().stream().anyMatch(BlockedActor::spinning);
            sb.append("\ndeadlock at ").append(PlatformCommand.number(d.at())).append(livelock
                    ? " s: the simulated clock stood still past --spin-limit while threads spun (a livelock)\n"
                    : " s: every live actor is blocked and nothing is pending\n");
            for (BlockedActor b : d.blocked()) {
                sb.append("  ").append(b.actor()).append(" (tid ").append(b.tid()).append(b.spinning() ? ") " : ") blocked in ")
                        .append(b.syscall()).append(" since ").append(PlatformCommand.number(b.since())).append(" s\n");
            }
        });
        double wall = report.wall().toNanos() / 1e9;
        if (emulated) {
            sb.append(String.format(Locale.ROOT, "%nwall time: %.3f s (namespaces included)%n", wall));
        } else {
            sb.append(String.format(Locale.ROOT, "%nwall time: %.3f s, %d mediated syscalls%n", wall, report.mediatedSyscalls()));
        }
        return sb.toString();
    }

    /** A count, or "-" where it was not counted (negative). */
    private static String count(long n) {
        return n < 0 ? "-" : Long.toString(n);
    }

    private static void table(StringBuilder sb, List<String[]> rows, int firstNumeric) {
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(i >= firstNumeric ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /**
     * The same report as JSON. Fields that differ between two identical runs (wall time, the
     * output directory's absolute path) come last, one per line, so that runs compare easily;
     * actor output files are named relative to the output directory.
     */
    static String json(RunReport report, Path outputDirectory) {
        return json(report, outputDirectory, -1);
    }

    /** @param peakHeapBytes the most Java heap the run used, shown as peakHeapBytes; -1: not measured (omitted) */
    static String json(RunReport report, Path outputDirectory, long peakHeapBytes) {
        return json(report, outputDirectory, peakHeapBytes, null);
    }

    /** @param blocking the {@code --blocking} table, shown as "blocking" (null: not asked, omitted) */
    static String json(RunReport report, Path outputDirectory, long peakHeapBytes, BlockingTable blocking) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("makespan").value(report.makespan());
        w.name("exitStatus").value(exitStatus(report));
        w.name("actors").beginArray();
        for (ActorReport a : report.actors()) {
            w.beginObject();
            w.name("name").value(a.name());
            w.name("host").value(a.host());
            w.name("function").value(a.function());
            w.name("outcome").value(a.outcome().name().toLowerCase(Locale.ROOT));
            if (a.outcome() == Outcome.EXITED) {
                w.name("exitCode").value(a.exitCode());
            } else {
                w.name("exitCode").nullValue();
            }
            w.name("signal").value(a.signal());
            boolean started = a.outcome() != Outcome.NEVER_STARTED;
            if (started) {
                w.name("start").value(a.start());
                w.name("end").value(a.end());
            } else {
                w.name("start").nullValue();
                w.name("end").nullValue();
            }
            countOrNull(w.name("bytesSent"), a.bytesSent());
            countOrNull(w.name("bytesReceived"), a.bytesReceived());
            countOrNull(w.name("syscallsMediated"), a.syscallsMediated());
            w.name("stdout").value(relative(outputDirectory, a.stdout()));
            w.name("stderr").value(relative(outputDirectory, a.stderr()));
            w.endObject();
        }
        w.endArray();
        w.name("deadlock");
        if (report.deadlock().isPresent()) {
            RunReport.Deadlock d = report.deadlock().get();
            w.beginObject().name("at").value(d.at()).name("blocked").beginArray();
            for (BlockedActor b : d.blocked()) {
                w.beginObject().name("actor").value(b.actor()).name("tid").value(b.tid()).name("syscall").value(b.syscall())
                        .name("since").value(b.since()).endObject();
            }
            w.endArray().endObject();
        } else {
            w.nullValue();
        }
        if (blocking != null) {
            blocking(w.name("blocking"), blocking);
        }
        w.name("mediatedSyscalls").value(report.mediatedSyscalls());
        w.name("payloadBytesCopied").value(report.payloadBytesCopied());
        if (report.notifiedSyscalls() > 0) {
            w.name("notifiedSyscalls").value(report.notifiedSyscalls());
        }
        w.name("outputDirectory").value(outputDirectory.toAbsolutePath().toString());
        w.name("wallSeconds").value(report.wall().toNanos() / 1e9);
        if (peakHeapBytes >= 0) {
            w.name("peakHeapBytes").value(peakHeapBytes);
        }
        return w.endObject().toJson();
    }

    /** {@code {"threshold": s, "actors": {actor: [{tid, syscall, start, duration, endedBy}]}}}, times in simulated seconds. */
    private static void blocking(JsonWriter w, BlockingTable table) {
        w.beginObject().name("threshold").value(table.minNanos() / 1e9).name("actors").beginObject();
        table.rows().forEach((actor, calls) -> {
            w.name(actor).beginArray();
            for (BlockingTable.Blocked b : calls) {
                w.beginObject().name("tid").value(b.tid()).name("syscall").value(b.syscall())
                        .name("start").value(b.startNanos() / 1e9).name("duration").value(b.durationNanos() / 1e9)
                        .name("endedBy").value(b.wake().text()).endObject();
            }
            w.endArray();
        });
        w.endObject().endObject();
    }

    private static void countOrNull(JsonWriter w, long n) {
        if (n < 0) {
            w.nullValue();
        } else {
            w.value(n);
        }
    }

    private static String relative(Path directory, Path file) {
        if (file == null) {
            return null;
        }
        Path dir = directory.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(dir) ? dir.relativize(f).toString() : f.toString();
    }

    /** --json=FILE can be written as a file: not a directory, in one that exists (null: no --json). */
    static void checkJsonFile(Path jsonFile) {
        if (jsonFile == null) {
            return;
        }
        Path parent = jsonFile.toAbsolutePath().getParent();
        if (Files.isDirectory(jsonFile)) {
            throw new UserError("--json=" + jsonFile + ": is a directory, expected a file");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserError("--json=" + jsonFile + ": no such directory " + parent);
        }
    }
}
