package simterpose.cli.views;

import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One traced process's log in strace's {@code -ttt -T} layout, with simulated dates:
 * {@code 946684800.100000 connect(3, …, 16) = -1 EINPROGRESS (…) <0.000000>}. The date is the
 * call's start, the bracket its duration, both cut to the microsecond as strace prints them.
 *
 * <p>A call is written when it ends, as one line, unless a line of another thread of the same
 * process must come first: then the open call is written as {@code name(args <unfinished ...>}
 * and its end later as {@code <... name resumed>) = result <d>}, as {@code strace -f} does.
 * Threads other than the process's main one are prefixed {@code [pid TID] }. Memory holds only
 * the calls still open. Not thread-safe: the run calls it from one thread.
 */
public final class StraceLogWriter implements AutoCloseable {
    private record Open(long startNanos, String name, Supplier<String> text, boolean written) {}

    private final TextSink out;
    private final int pid;
    private final long epochNanos;
    private final Map<Integer, Open> open = new LinkedHashMap<>();

    /**
     * @param epochNanos the wall-clock date of simulated time 0, in ns since 1970 (the run's
     *                   {@code --epoch})
     */
    public StraceLogWriter(Writer out, int pid, long epochNanos) {
        this.out = new TextSink(out);
        this.pid = pid;
        this.epochNanos = epochNanos;
    }

    /**
     * A call entered at {@code startNanos} (simulated); {@code unfinished} is what strace writes
     * before {@code <unfinished ...>}: the call up to its first out-argument, {@code read(3, }.
     */
    public void enter(int tid, long startNanos, String name, String unfinished) {
        enter(tid, startNanos, name, () -> unfinished);
    }

    /** As above, the text made only if the line is cut. */
    public void enter(int tid, long startNanos, String name, Supplier<String> unfinished) {
        open.put(tid, new Open(startNanos, name, unfinished, false));
    }

    /**
     * The call of {@code tid} ended: {@code line} is its whole line ({@code read(3, "ab", 2) = 2}),
     * {@code resumed} what follows {@code <... read resumed>} if it had to be cut ({@code "ab", 2) = 2}).
     */
    public void exit(int tid, long endNanos, String line, String resumed) {
        exit(tid, endNanos, () -> line, () -> resumed);
    }

    /** As above, each text made only if written. */
    public void exit(int tid, long endNanos, Supplier<String> line, Supplier<String> resumed) {
        Open call = open.remove(tid);
        if (call == null) {
            throw new IllegalStateException("no open call for thread " + tid);
        }
        String duration = " <" + seconds(endNanos - call.startNanos) + ">\n";
        if (!call.written) {
            writeUnfinishedExcept(tid);
            line(tid, call.startNanos, line.get() + duration);
        } else {
            writeUnfinishedExcept(tid);
            line(tid, endNanos, "<... " + call.name + " resumed>" + resumed.get() + duration);
        }
    }

    /** A line of its own: a signal ({@code --- SIGCHLD {…} ---}) or an exit ({@code +++ exited with 0 +++}). */
    public void event(int tid, long dateNanos, String text) {
        writeUnfinishedExcept(-1);
        line(tid, dateNanos, text + "\n");
    }

    private void writeUnfinishedExcept(int tid) {
        for (Map.Entry<Integer, Open> e : open.entrySet()) {
            Open call = e.getValue();
            if (e.getKey() != tid && !call.written) {
                line(e.getKey(), call.startNanos, call.text.get() + "<unfinished ...>\n");
                e.setValue(new Open(call.startNanos, call.name, call.text, true));
            }
        }
    }

    private void line(int tid, long simulatedNanos, String text) {
        if (tid != pid) {
            out.write("[pid " + tid + "] ");
        }
        out.write(seconds(epochNanos + simulatedNanos) + " " + text);
    }

    /** Seconds with six decimals, truncated as strace truncates. */
    static String seconds(long nanos) {
        long micros = Math.floorDiv(nanos, 1000L);
        long whole = Math.floorDiv(micros, 1_000_000L);
        long fraction = Math.floorMod(micros, 1_000_000L);
        return whole + "." + Digits.zeroPadded(fraction, 6);
    }

    /** Writes calls still open as unfinished, then flushes: whatever ended the run. */
    public void flush() {
        writeUnfinishedExcept(-1);
        out.flush();
    }

    @Override
    public void close() {
        writeUnfinishedExcept(-1);
        out.close();
    }
}
