package simterpose.tracer.syscall;

/**
 * A syscall seen at entry and not yet returned: what {@link SyscallFormatter#onEntry} decoded
 * (in-parameters must be read before the kernel or another thread changes them) and what the
 * exit needs. Owned by the thread that handles this tracee's stops.
 *
 * @param tid        the thread that made the call
 * @param syscall    its table row (a synthetic row for unassigned numbers)
 * @param args       the six argument registers at entry
 * @param entryText  per argument: the decoded in-parameter, null for an omitted or out-parameter
 * @param saved      per argument: a value an out-parameter needs from the entry (e.g. a socklen)
 * @param startNanos {@link System#nanoTime()} at entry, for {@code -c}
 */
public record PendingCall(int tid, Syscall syscall, long[] args, String[] entryText, long[] saved, long startNanos) {

    public int number() {
        return syscall.number();
    }

    public String name() {
        return syscall.name();
    }
}
