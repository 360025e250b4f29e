package simterpose.tracer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The CPU time a thread (traced or not) has spent running, from the first field of
 * {@code /proc/PID/task/TID/schedstat} (nanoseconds on a CPU): an fd kept open and read with
 * pread at offset 0 (0.3-0.6 µs on this machine, DESIGN.md; no syscall of the thread's own and
 * no stop). The value moves at scheduler ticks and context switches, so a running thread's
 * reading lags by up to a tick. Any thread may read it; one instance is used by one thread at a
 * time (it keeps a buffer).
 */
public final class ThreadCpuClock implements AutoCloseable {
    private final FileChannel schedstat;
    private final ByteBuffer buffer = ByteBuffer.allocate(128);

    private ThreadCpuClock(FileChannel schedstat) {
        this.schedstat = schedstat;
    }

    /** The clock of thread {@code tid} of process {@code pid}; null if it is gone (or /proc hides it). */
    public static ThreadCpuClock of(int pid, int tid) {
        try {
            return new ThreadCpuClock(FileChannel.open(Path.of("/proc", Integer.toString(pid), "task",
                    Integer.toString(tid), "schedstat")));
        } catch (IOException e) {
            return null;
        }
    }

    /** Nanoseconds the thread has run on a CPU since it started; -1 once it is gone. */
    public long nanos() {
        try {
            buffer.clear();
            int n = schedstat.read(buffer, 0);
            long v = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
            }
            return n > 0 ? v : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            schedstat.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
