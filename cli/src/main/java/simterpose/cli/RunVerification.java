package simterpose.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunReport;
import simterpose.tracer.syscall.SyscallTable;

/**
 * {@code run --verify}: the deployment runs twice and the second run is compared with the first,
 * call by call, as each thread makes it; then the reports and the actors' output bytes.
 *
 * <p>A thread is named by its actor and its number within the actor in creation order (the same
 * every run); each of its stopped syscalls by its index in that thread. The first run keeps, per
 * call, its number, a hash of its six argument registers, the simulation's answer and a hash of
 * the call as strace prints it with its out-arguments decoded after the answer (the bytes a
 * receive wrote, a struct a call filled): 28 bytes per call, nothing of its text. The second run
 * keeps nothing per call: it compares as it goes and remembers the first call that differs (in
 * its own order of calls), with its text. A second run that makes fewer calls in some thread, or
 * whose report or output files differ, is found after it ends.
 */
final class RunVerification {
    /** Exit status of {@code run --verify} when the two runs differ. */
    static final int DIFFER = 4;
    /** The result recorded for a call that ran natively (not answered by the simulation). */
    private static final long NATIVE = Long.MIN_VALUE;

    private RunVerification() {}

    /** Where two runs part: a sentence for the user. */
    record Divergence(String where, String what) {
        String message() {
            return "runs differ at " + where + ": " + what;
        }
    }

    /** One thread's calls in the first run. */
    private static final class Stream {
        int size;
        int[] nr = new int[16];
        long[] argsHash = new long[16];
        long[] result = new long[16];
        long[] textHash = new long[16];

        void add(int n, long args, long res, long text) {
            if (size == nr.length) {
                int cap = size * 2;
                nr = java.util.Arrays.copyOf(nr, cap);
                argsHash = java.util.Arrays.copyOf(argsHash, cap);
                result = java.util.Arrays.copyOf(result, cap);
                textHash = java.util.Arrays.copyOf(textHash, cap);
            }
            nr[size] = n;
            argsHash[size] = args;
            result[size] = res;
            textHash[size] = text;
            size++;
        }
    }

    /** Key of a thread: the actor's index and the thread's number. */
    private static long key(int actorIndex, int thread) {
        return ((long) actorIndex << 32) | (thread & 0xffffffffL);
    }

    private static long argsHash(long[] args) {
        long h = 0xcbf29ce484222325L;
        for (long a : args) {
            h = (h ^ a) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        return h;
    }

    private static long textHash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    private static String where(RunListener.SyscallSeen c, long index) {
        return "actor " + c.actor() + " (#" + (c.actorIndex() + 1) + " of the deployment), thread " + c.thread()
                + ", syscall #" + (index + 1) + " of that thread";
    }

    private static String result(long r) {
        return r == NATIVE ? "(native)" : Long.toString(r);
    }

    /** The first run's listener: passes progress and diagnostics on, keeps every call's record. */
    static final class Recorder implements RunListener {
        private final RunListener user;
        final Map<Long, Stream> streams = new LinkedHashMap<>();
        final Map<Long, String> actors = new HashMap<>();

        Recorder(RunListener user) {
            this.user = user;
        }

        @Override public void progress(Progress p) { user.progress(p); }
        @Override public void diagnostic(String message) { user.diagnostic(message); }
        @Override public boolean followsSyscalls() { return true; }

        @Override
        public void syscall(SyscallSeen c) {
            long k = key(c.actorIndex(), c.thread());
            actors.putIfAbsent(k, c.actor());
            streams.computeIfAbsent(k, x -> new Stream()).add(c.nr(), argsHash(c.args()),
                    c.answered() ? c.result() : NATIVE, textHash(c.text()));
        }
    }

    /** The second run's listener: compares each call with the first run's, keeps the first difference. */
    static final class Comparer implements RunListener {
        private final RunListener user;
        private final Recorder first;
        private final Map<Long, long[]> counts = new HashMap<>();
        Divergence divergence;

        Comparer(RunListener user, Recorder first) {
            this.user = user;
            this.first = first;
        }

        @Override public void progress(Progress p) { user.progress(p); }
        @Override public void diagnostic(String message) { user.diagnostic(message); }
        @Override public boolean followsSyscalls() { return divergence == null; }

        @Override
        public void syscall(SyscallSeen c) {
            if (divergence != null) {
                return;
            }
            long k = key(c.actorIndex(), c.thread());
            long index = counts.computeIfAbsent(k, x -> new long[1])[0]++;
            Stream s = first.streams.get(k);
            String second = "second run: " + c.text() + (c.answered() ? "" : " (native)");
            if (s == null || index >= s.size) {
                divergence = new Divergence(where(c, index), "the first run's thread made " + (s == null ? "no stopped call"
                        : s.size + " stopped calls") + "; " + second);
                return;
            }
            int i = (int) index;
            long result = c.answered() ? c.result() : NATIVE;
            String firstName = SyscallTable.name(s.nr[i]);
            if (s.nr[i] != c.nr()) {
                divergence = new Divergence(where(c, index), "syscall: first run " + firstName + ", " + second);
            } else if (s.argsHash[i] != argsHash(c.args())) {
                divergence = new Divergence(where(c, index), "arguments; " + second);
            } else if (s.result[i] != result) {
                divergence = new Divergence(where(c, index), "result: first run " + firstName + " = " + result(s.result[i])
                        + ", " + second);
            } else if (s.textHash[i] != textHash(c.text())) {
                divergence = new Divergence(where(c, index), "bytes the call read or wrote (its decoded arguments); " + second);
            }
        }

        /** After the second run: a thread of the first run that made more calls than in the second. */
        Optional<Divergence> shorterStreams() {
            for (var e : first.streams.entrySet()) {
                long[] n = counts.get(e.getKey());
                long made = n == null ? 0 : n[0];
                Stream s = e.getValue();
                if (made < s.size) {
                    return Optional.of(new Divergence("actor " + first.actors.get(e.getKey()) + " (#" + ((e.getKey() >>> 32) + 1)
                            + " of the deployment), thread " + (int) (long) e.getKey() + ", syscall #" + (made + 1) + " of that thread",
                            "the second run's thread made " + made + " stopped calls, the first " + s.size
                                    + " (its next: " + SyscallTable.name(s.nr[(int) made]) + ")"));
                }
            }
            return Optional.empty();
        }
    }

    /** The two reports' differences, ignoring what differs by nature: pids, wall time, output paths. */
    static Optional<Divergence> compareReports(RunReport a, RunReport b) {
        if (a.makespan() != b.makespan()) {
            return Optional.of(new Divergence("the report", "simulated makespan " + a.makespan() + " s, then " + b.makespan() + " s"));
        }
        if (a.deadlock().isPresent() != b.deadlock().isPresent()) {
            return Optional.of(new Divergence("the report", "deadlock in " + (a.deadlock().isPresent() ? "the first" : "the second") + " run only"));
        }
        for (int i = 0; i < a.actors().size(); i++) {
            RunReport.ActorReport x = a.actors().get(i);
            RunReport.ActorReport y = b.actors().get(i);
            String one = row(x);
            String two = row(y);
            if (!one.equals(two)) {
                return Optional.of(new Divergence("the report, actor " + x.name() + " (#" + (i + 1) + ")",
                        "first run: " + one + "; second run: " + two));
            }
        }
        return Optional.empty();
    }

    private static String row(RunReport.ActorReport r) {
        return "outcome " + r.outcome() + " " + r.exitCode() + (r.signal() == null ? "" : " " + r.signal()) + ", start " + r.start()
                + " s, end " + r.end() + " s, sent " + r.bytesSent() + " B, received " + r.bytesReceived() + " B, "
                + r.syscallsMediated() + " syscalls";
    }

    /** Each actor's stdout and stderr, byte for byte: the first that differs, where. */
    static Optional<Divergence> compareOutputs(RunReport a, RunReport b) {
        for (int i = 0; i < a.actors().size(); i++) {
            RunReport.ActorReport x = a.actors().get(i);
            RunReport.ActorReport y = b.actors().get(i);
            for (Path[] files : List.of(new Path[] {x.stdout(), y.stdout()}, new Path[] {x.stderr(), y.stderr()})) {
                long at = firstDifference(files[0], files[1]);
                if (at >= 0) {
                    return Optional.of(new Divergence("actor " + x.name() + " (#" + (i + 1) + ")'s "
                            + (files[0] == x.stdout() ? "stdout" : "stderr"),
                            "the bytes differ from offset " + at + " (" + files[0] + " vs the second run's copy)"));
                }
            }
        }
        return Optional.empty();
    }

    /** The offset of the first byte that differs (or where one file ends first), -1 when identical. */
    static long firstDifference(Path one, Path two) {
        if (one == null || two == null) {
            return one == two ? -1 : 0;
        }
        try (InputStream x = Files.exists(one) ? Files.newInputStream(one) : InputStream.nullInputStream();
             InputStream y = Files.exists(two) ? Files.newInputStream(two) : InputStream.nullInputStream()) {
            byte[] bx = new byte[65536];
            byte[] by = new byte[65536];
            long offset = 0;
            while (true) {
                int nx = x.readNBytes(bx, 0, bx.length);
                int ny = y.readNBytes(by, 0, by.length);
                int n = Math.min(nx, ny);
                int at = java.util.Arrays.mismatch(bx, 0, n, by, 0, n);
                if (at >= 0) {
                    return offset + at;
                }
                if (nx != ny) {
                    return offset + n;
                }
                if (nx == 0) {
                    return -1;
                }
                offset += n;
            }
        } catch (IOException e) {
            throw new UserError("--verify: cannot compare " + one + " and " + two + ": " + e.getMessage());
        }
    }

    /** Lines for the user: the verdict, and under the measured CPU model why runs differ. */
    static String verdict(Optional<Divergence> d, boolean measuredLive, long calls, double firstWall, double secondWall) {
        StringBuilder sb = new StringBuilder();
        String walls = String.format(java.util.Locale.ROOT, "wall %.3f s and %.3f s", firstWall, secondWall);
        if (d.isEmpty()) {
            sb.append("verify: identical (two runs: ").append(calls).append(" stopped syscalls each, the same answers, report and output bytes; ")
                    .append(walls).append(")\n");
            return sb.toString();
        }
        sb.append("verify: ").append(d.get().message()).append(" (").append(walls).append(")\n");
        if (measuredLive) {
            sb.append("verify: under --cpu-model=measured the CPU time each thread burns is read from this machine at its stops:"
                    + " those CPU-time reads are inputs of the run, different every time. --cpu-model=none gives runs that repeat;"
                    + " --verify --record=DIR replays the first run's inputs in the second.\n");
        }
        return sb.toString();
    }

    static long calls(Recorder r) {
        long n = 0;
        for (Stream s : r.streams.values()) {
            n += s.size;
        }
        return n;
    }
}
