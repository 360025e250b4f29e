package simterpose.simulator.mediation.tracee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.tracer.memory.ProcessVmMemory;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.SyscallTable;

/**
 * How a deadlock report names the call a thread is blocked in: its entry as strace prints it,
 * from the mediated call it is stopped in, or, for a thread parked natively, from the kernel's
 * {@code /proc/.../syscall}.
 */
final class BlockedCallText {
    private BlockedCallText() {}

    static String of(TracedThread t) {
        Call c = t.blockedIn;
        if (c == null) {
            return nativeCall(t);
        }
        try {
            return entry(t, c.nr, c.args, c.mem());
        } catch (RuntimeException e) {
            return SyscallTable.name(c.nr) + "(...)";
        }
    }

    private static String nativeCall(TracedThread t) {
        if (t.stoppedBySignal(t.state())) {
            return "stopped by a signal (SIGSTOP or SIGTSTP), waiting for SIGCONT";
        }
        try {
            String[] f = Files.readString(Path.of("/proc", Integer.toString(t.process.tgid), "task",
                    Integer.toString(t.tid), "syscall")).trim().split("\\s+");
            long[] args = new long[6];
            for (int i = 0; i < 6 && i + 1 < f.length; i++) {
                args[i] = Long.parseUnsignedLong(f[i + 1].substring(2), 16);
            }
            return entry(t, Integer.parseInt(f[0]), args, new ProcessVmMemory(t.tid)) + " (native)";
        } catch (IOException | RuntimeException e) {
            return "? (blocked natively)";
        }
    }

    /** The call's line without its " = ?" (it has not returned). */
    private static String entry(TracedThread t, int nr, long[] args, TraceeMemory mem) {
        String s = t.run.formatter().noReturn(t.run.formatter().onEntry(t.tid, nr, args, mem), 0);
        int eq = s.lastIndexOf(" = ?");
        return (eq > 0 ? s.substring(0, eq) : s).strip();
    }
}
