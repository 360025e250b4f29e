package simterpose.tracer;

import java.util.Set;
import java.util.TreeSet;

/**
 * Engine options.
 *
 * @param syscalls the syscall numbers that stop the tracee, or null for every syscall. A
 *        launched tracee gets a seccomp-bpf filter for this set (other syscalls run at native
 *        speed); an attached one is traced with PTRACE_SYSCALL and filtered in Java.
 * @param cpu a CPU to pin the owner thread and launched tracees to, or -1 (no pinning)
 * @param hideVdso at every exec, turn the new image's {@code AT_SYSINFO_EHDR} auxv entry into
 *        {@code AT_IGNORE} before its first instruction, so libc finds no vDSO and makes real
 *        clock_gettime/gettimeofday/time/getcpu syscalls (which the filter can then stop)
 * @param noAslr launch tracees with address space layout randomization off (personality
 *        ADDR_NO_RANDOMIZE, which their children and later execs inherit), so stack, heap and
 *        library addresses repeat from run to run
 * @param refuseForeignAbis the seccomp filter fails every syscall made through another ABI
 *        (i386's int 0x80 or sysenter, x32 numbers) with ENOSYS instead of letting it run
 *        unseen: a sandbox must see every way into the kernel (see {@link
 *        simterpose.tracer.seccomp.BpfProgram})
 * @param ownPids launch tracees in a PID namespace of their own (with its procfs on {@code /proc}),
 *        so their pids are small numbers given in the order the run creates processes and
 *        threads, the same from run to run (see {@link PidNamespace}); needs root
 * @param notified the syscalls of {@code syscalls} that a launched tracee's filter hands to the
 *        tracer by seccomp user notification instead of a ptrace stop (see {@link Notifications}):
 *        their handler gets the same {@link simterpose.tracer.events.StopEvent.SyscallEntry}, but its
 *        {@link Stop} has no registers; it may only emulate the call or let it run (no exit stop)
 * @param spinNanos how long the owner polls for the next stop (waitpid WNOHANG) before it blocks
 *        in waitpid; 0: it blocks at once. Polling saves the wake-up of an idle CPU (on this
 *        machine's virtual CPUs ≈ 30 µs per wake) at each stop of a tracee running on another
 *        CPU, at the price of up to that long of the tool's CPU time per stop
 */
public record TracerOptions(Set<Integer> syscalls, int cpu, boolean hideVdso, boolean noAslr, boolean refuseForeignAbis,
                            boolean ownPids, Set<Integer> notified, long spinNanos) {
    public TracerOptions {
        syscalls = syscalls == null ? null : Set.copyOf(new TreeSet<>(syscalls));
        notified = notified == null ? Set.of() : Set.copyOf(notified);
        if (!notified.isEmpty() && (syscalls == null || !syscalls.containsAll(notified))) {
            throw new IllegalArgumentException("notified syscalls must be selected: " + notified);
        }
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos < 0: " + spinNanos);
        }
    }

    public TracerOptions(Set<Integer> syscalls, int cpu, boolean hideVdso, boolean noAslr, boolean refuseForeignAbis,
                         boolean ownPids) {
        this(syscalls, cpu, hideVdso, noAslr, refuseForeignAbis, ownPids, Set.of(), 0);
    }

    public static TracerOptions traceAll() {
        return new TracerOptions(null, -1, false, false, false, false);
    }

    public static TracerOptions filter(Set<Integer> syscalls) {
        return new TracerOptions(syscalls, -1, false, false, false, false);
    }

    public TracerOptions pinnedTo(int cpuIndex) { return new TracerOptions(syscalls, cpuIndex, hideVdso, noAslr, refuseForeignAbis, ownPids, notified, spinNanos); }
    /** See {@code hideVdso}: time reads become syscalls. */
    public TracerOptions withVdsoHidden() { return new TracerOptions(syscalls, cpu, true, noAslr, refuseForeignAbis, ownPids, notified, spinNanos); }
    /** See {@code noAslr}: addresses repeat from run to run. */
    public TracerOptions withoutAslr() { return new TracerOptions(syscalls, cpu, hideVdso, true, refuseForeignAbis, ownPids, notified, spinNanos); }
    /** See {@code refuseForeignAbis}: i386 and x32 syscalls fail with ENOSYS. */
    public TracerOptions withForeignAbisRefused() { return new TracerOptions(syscalls, cpu, hideVdso, noAslr, true, ownPids, notified, spinNanos); }
    /** See {@code ownPids}: the run's processes get the same small pids every time. */
    public TracerOptions withOwnPids() { return new TracerOptions(syscalls, cpu, hideVdso, noAslr, refuseForeignAbis, true, notified, spinNanos); }

    /** See {@code notified}: these selected syscalls are answered by seccomp user notification. */
    public TracerOptions withNotified(Set<Integer> calls) { return new TracerOptions(syscalls, cpu, hideVdso, noAslr, refuseForeignAbis, ownPids, calls, spinNanos); }

    /** See {@code spinNanos}: the owner polls this long for the next stop before blocking. */
    public TracerOptions spinningFor(long nanos) { return new TracerOptions(syscalls, cpu, hideVdso, noAslr, refuseForeignAbis, ownPids, notified, nanos); }

    boolean selects(long nr) {
        return syscalls == null || syscalls.contains((int) nr);
    }
}
