package simterpose.simulator.mediation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a run: the simulated makespan and one entry per deployed actor, in deployment
 * order; plus the deadlock, if the run ended in one. {@code payloadBytesCopied}: the bytes of
 * simulated TCP streams the tool copied between tracees and the simulated kernel (process_vm_*);
 * 0 under {@code --mediation=address}, where real streams carry them. {@code notifiedSyscalls}:
 * the syscalls answered by seccomp user notification, without a ptrace stop
 * ({@code -Dsimterpose.notify=true}; else 0).
 */
public record RunReport(double makespan, List<ActorReport> actors, Optional<Deadlock> deadlock,
                        Duration wall, long mediatedSyscalls, long payloadBytesCopied, long notifiedSyscalls) {
    public RunReport {
        actors = List.copyOf(actors);
    }

    public RunReport(double makespan, List<ActorReport> actors, Optional<Deadlock> deadlock, Duration wall,
                     long mediatedSyscalls, long payloadBytesCopied) {
        this(makespan, actors, deadlock, wall, mediatedSyscalls, payloadBytesCopied, 0);
    }

    /** A report that counted no payload bytes copied by the tool. */
    public RunReport(double makespan, List<ActorReport> actors, Optional<Deadlock> deadlock, Duration wall,
                     long mediatedSyscalls) {
        this(makespan, actors, deadlock, wall, mediatedSyscalls, 0);
    }

    /** True when every actor exited 0 and there was no deadlock. */
    public boolean success() {
        return deadlock.isEmpty() && actors.stream().allMatch(a -> a.outcome() == Outcome.EXITED && a.exitCode() == 0);
    }

    public enum Outcome {
        EXITED, KILLED_BY_SIGNAL, KILLED_AT_KILL_TIME, KILLED_BY_DEADLOCK, NEVER_STARTED,
        /** Still running when the run was stopped from outside (Ctrl-C): killed then. */
        INTERRUPTED
    }

    /**
     * @param pid    the real pid of the actor's process (-1 if never started)
     * @param signal the signal's name when killed (e.g. SIGSEGV), else null
     * @param start  simulated date the process started
     * @param end    simulated date it ended
     */
    public record ActorReport(String name, String host, String function, int pid, Outcome outcome,
                              int exitCode, String signal, double start, double end,
                              long bytesSent, long bytesReceived, long syscallsMediated,
                              Path stdout, Path stderr) {}

    /** Every live actor was blocked and nothing was pending. */
    public record Deadlock(double at, List<BlockedActor> blocked) {
        public Deadlock {
            blocked = List.copyOf(blocked);
        }
    }

    /** One blocked thread of an actor: its tid, the syscall it blocks in (decoded), since when. */
    public record BlockedActor(String actor, int tid, String syscall, double since) {
        /** How {@code syscall} begins for a thread that spins (run --spin-limit ended a livelock). */
        public static final String SPINNING = "spinning in user space";

        /** Not blocked but spinning in user space while the clock stood still. */
        public boolean spinning() {
            return syscall.startsWith(SPINNING);
        }
    }
}
