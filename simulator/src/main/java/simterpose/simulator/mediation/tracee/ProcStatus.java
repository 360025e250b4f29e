package simterpose.simulator.mediation.tracee;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import simterpose.simulator.kernel.SignalMasks;

/**
 * What {@code /proc/<tgid>/task/<tid>/status} says of a traced thread that ptrace does not: its
 * process, its number in the run's PID namespace, its signal masks. Each read is one small file
 * read; a thread that is gone reads as "unknown".
 */
final class ProcStatus {
    private ProcStatus() {}

    /** The thread's process (the {@code Tgid:} line); the tid itself when it is gone already. */
    static int tgid(int tid) {
        String text = read(Path.of("/proc", Integer.toString(tid), "status"));
        long tgid = text == null ? -1 : decimal(text, "\nTgid:");
        return tgid > 0 ? (int) tgid : tid;
    }

    /**
     * The number the run's programs know the thread by: the last of its {@code NSpid:} line (the
     * innermost namespace's); -1 if it is gone.
     */
    static int innermostPid(int tgid, int tid) {
        String text = read(task(tgid, tid));
        int at = text == null ? -1 : text.indexOf("\nNSpid:");
        if (at < 0) {
            return -1;
        }
        int end = text.indexOf('\n', at + 1);
        String[] ids = text.substring(at + 7, end < 0 ? text.length() : end).strip().split("\\s+");
        return Integer.parseInt(ids[ids.length - 1]);
    }

    /** Its pending (own and shared), blocked, ignored and caught signals; null if it is gone. */
    static SignalMasks signalMasks(int tgid, int tid) {
        String text = read(task(tgid, tid));
        if (text == null) {
            return null;
        }
        return new SignalMasks(hex(text, "\nSigPnd:") | hex(text, "\nShdPnd:"), hex(text, "\nSigBlk:"),
                hex(text, "\nSigIgn:"), hex(text, "\nSigCgt:"));
    }

    private static Path task(int tgid, int tid) {
        return Path.of("/proc", Integer.toString(tgid), "task", Integer.toString(tid), "status");
    }

    /** The file in one read (status is under 4 KiB); null when the thread is gone. */
    private static String read(Path status) {
        byte[] buf = new byte[4096];
        try (FileChannel ch = FileChannel.open(status)) {
            int n = ch.read(ByteBuffer.wrap(buf), 0);
            return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** The value after {@code key}, blanks skipped, up to the end of its line. */
    private static String value(String text, String key) {
        int at = text.indexOf(key);
        if (at < 0) {
            return null;
        }
        int to = text.indexOf('\n', at + key.length());
        return text.substring(at + key.length(), to < 0 ? text.length() : to).strip();
    }

    private static long hex(String text, String key) {
        String v = value(text, key);
        return v == null ? 0 : Long.parseUnsignedLong(v, 16);
    }

    private static long decimal(String text, String key) {
        String v = value(text, key);
        return v == null ? -1 : Long.parseLong(v);
    }

    /**
     * A thread's stack pointer and ip ({rsp, rip}) as it sits in a syscall, from
     * /proc/…/syscall: what a notified call (no registers) is known by around a restart; null if
     * unreadable.
     */
    static long[] syscallSpAndIp(int tgid, int tid) {
        Path file = Path.of("/proc", Integer.toString(tgid), "task", Integer.toString(tid), "syscall");
        for (int look = 0; look < 1000; look++) {
            try {
                String[] f = java.nio.file.Files.readString(file).strip().split(" ");
                if (f.length == 9) {
                    return new long[] {Long.decode(f[7]), Long.decode(f[8])};
                }
            } catch (IOException | NumberFormatException e) {
                return null;
            }
            // "running": the owner's RECV has just woken it to wait again, killable only; a moment
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        return null;
    }
}
