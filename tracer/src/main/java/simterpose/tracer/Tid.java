package simterpose.tracer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Owner-thread state of one traced thread (see {@link PtraceOwner}): only the owner thread reads
 * or writes it. A {@link Stop} carries it so a deferred verdict finds its thread again.
 */
final class Tid {
    /** Changes once: a non-leader thread that execs takes its leader's tid. */
    int tid;
    final Tracee tracee;
    boolean inSyscall;
    long entryNr;
    long[] entryArgs;
    /**
     * The current call's entry stop read nothing ({@link StopHandler#entriesAtExit}): its exit
     * stop reads the number and arguments and shows the entry first, dated {@code entryNanos}.
     */
    boolean entryAtExit;
    long entryNanos;
    /** The current syscall is not selected (Java-side filter) or its exit was not wanted. */
    boolean quietExit;
    /** A launched thread still in the launch shell: its stops are not shown until the exec. */
    boolean hiddenUntilExec;
    /**
     * A launch shell spawned but not yet seized: its own SIGSTOP, which {@link ShellSpawner}
     * reports, is the owner's cue to seize it.
     */
    boolean seizePending;
    /** Completed with the tracee once it is seized (a launch asked from another thread), or null. */
    java.util.concurrent.CompletableFuture<Tracee> whenSeized;
    /** Seized but not yet past its first PTRACE_EVENT_STOP. */
    boolean newborn;
    boolean detachPending;
    /** Its handler answered DEFERRED: the thread stays stopped until the verdict comes. */
    boolean awaitingDecision;
    /** SIGKILL was sent: its death report will come through waitpid whatever its verdict. */
    boolean killed;
    /** After an injection the filter traces the re-entered call once more: skip that stop. */
    boolean swallowSeccomp;
    /**
     * A PTRACE_INTERRUPT asked by {@link Tracer#interrupt} is on its way: its stop is still to
     * come (one at most in flight).
     */
    boolean interruptInFlight;
    /**
     * The interrupt's stop is to be shown as {@link simterpose.tracer.events.StopEvent.Interrupted};
     * false once another stop came first (the handler saw the thread stopped anyway, so the
     * late interrupt stop is swallowed).
     */
    boolean interruptWanted;
    /**
     * Its last notified call was answered ERESTARTSYS (a blocked call cut short by a signal): the
     * coming signal-delivery stop must leave that restart code to the kernel's SA_RESTART rule.
     */
    boolean answeredRestartSys;
    Path launchPath;
    /** Signals that arrived during an owner-internal sequence, raised again after it. */
    final List<Integer> deferredSignals = new ArrayList<>();

    Tid(int tid, Tracee tracee) {
        this.tid = tid;
        this.tracee = tracee;
    }
}
