package simterpose.cli.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code run --strace=DIR}: one {@link StraceLogWriter} per traced process, in
 * {@code DIR/<host>.<actor>.<pid>.strace}, opened when the process starts and closed when its
 * main thread ends (or at the run's end), so that open files are the live processes' only.
 */
final class StraceViews implements AutoCloseable {
    private final Path dir;
    private final long epochNanos;
    private final Map<Integer, StraceLogWriter> logs = new LinkedHashMap<>();

    StraceViews(Path dir, long epochNanos) {
        this.dir = dir;
        this.epochNanos = epochNanos;
    }

    /** The file a process's log goes to; names keep letters, digits, '.', '-' and '_'. */
    static Path file(Path dir, String host, String actor, int pid) {
        return dir.resolve(safe(host) + "." + safe(actor) + "." + pid + ".strace");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    void processStarted(String actor, String host, int pid) {
        try {
            logs.put(pid, new StraceLogWriter(Files.newBufferedWriter(file(dir, host, actor, pid), StandardCharsets.UTF_8),
                    pid, epochNanos));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void callStarted(long nanos, int pid, int tid, String name, Supplier<String> unfinished) {
        StraceLogWriter log = logs.get(pid);
        if (log != null) {
            log.enter(tid, nanos, name, unfinished);
        }
    }

    void callEnded(long nanos, int pid, int tid, Supplier<String> line, Supplier<String> resumed) {
        StraceLogWriter log = logs.get(pid);
        if (log != null) {
            log.exit(tid, nanos, line, resumed);
        }
    }

    /** A line of its own ({@code --- SIGCHLD {...} ---}). */
    void event(long nanos, int pid, int tid, String line) {
        StraceLogWriter log = logs.get(pid);
        if (log != null) {
            log.event(tid, nanos, line);
        }
    }

    void threadEnded(long nanos, int pid, int tid, String how) {
        StraceLogWriter log = logs.get(pid);
        if (log != null) {
            log.event(tid, nanos, how);
            if (tid == pid) {
                logs.remove(pid).close();
            }
        }
    }

    @Override
    public void close() {
        for (StraceLogWriter log : logs.values()) {
            log.close();
        }
        logs.clear();
    }
}
