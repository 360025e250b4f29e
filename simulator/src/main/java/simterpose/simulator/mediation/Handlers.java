package simterpose.simulator.mediation;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import simterpose.tracer.syscall.Mediation;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The dispatch table: syscall number → handler, gathered from the families. The syscalls that
 * stop a tracee (the seccomp filter) are exactly the {@link SyscallTable} rows not marked
 * NATIVE; a test checks that every such row has a handler here and every handler's row is marked.
 */
final class Handlers {
    private Handlers() {}

    /** exit_group is observed only to wake the caller's sibling threads blocked in the simulation. */
    static final int NR_EXIT_GROUP = 231;

    private static final Map<String, Handler> BY_NAME = new HashMap<>();
    private static final Handler[] BY_NUMBER = new Handler[SyscallTable.maxNumber() + 1];

    static {
        for (Map<String, Handler> family : java.util.List.of(SocketHandlers.handlers(), IoHandlers.handlers(),
                FdHandlers.handlers(), TimeHandlers.handlers(), PollHandlers.handlers(), EpollHandlers.handlers(),
                PendingSignals.handlers(), AlarmHandlers.handlers(), PosixTimerHandlers.handlers(), TimerFdHandlers.handlers(), RandomHandlers.handlers(), FileHandlers.handlers(), NameHandlers.handlers(),
                FutexHandlers.handlers(),
                UnmediatedHandlers.handlers(), SandboxHandlers.handlers(),
                Map.<String, Handler>of("exit_group", Handlers::exitGroup))) {
            for (var e : family.entrySet()) {
                Syscall row = SyscallTable.byName(e.getKey())
                        .orElseThrow(() -> new IllegalStateException("no syscall named " + e.getKey()));
                if (BY_NAME.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalStateException("two handlers for " + e.getKey());
                }
                BY_NUMBER[row.number()] = SpinGuard.NOT_PROGRESS.contains(e.getKey()) ? e.getValue()
                        : SpinGuard.countingProgress(e.getValue());
            }
        }
    }

    /** The handler of syscall {@code nr}, or null. */
    static Handler of(long nr) {
        return nr >= 0 && nr < BY_NUMBER.length ? BY_NUMBER[(int) nr] : null;
    }

    static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }

    /** The seccomp filter: every syscall whose table row is not NATIVE. */
    static Set<Integer> filter() {
        Set<Integer> nrs = new TreeSet<>();
        for (Syscall s : SyscallTable.all()) {
            if (s.mediation() != Mediation.NATIVE) {
                nrs.add(s.number());
            }
        }
        return nrs;
    }

    private static HandlerResult exitGroup(Call c) {
        c.thread.process.dying(c.thread);
        return HandlerResult.NATIVE;
    }
}
