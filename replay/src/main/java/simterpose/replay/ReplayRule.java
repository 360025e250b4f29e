package simterpose.replay;

import java.util.Map;

import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.SyscallTable;

/**
 * What the replayer does with each syscall, one row per syscall that does not follow the
 * default ({@link #EMULATE}): the answer to "what happens to syscall N at replay?".
 */
enum ReplayRule {
    /** Annulled: the recorded result and memory writes are injected (files, sockets, clocks, randomness, ids...). */
    EMULATE,
    /** Executed for real (the process's own state: memory map, signal handling, thread area); its result is checked against the recording. */
    EXECUTE,
    /** Executed for real; it returns a thread id, which the replay's kernel numbers differently: the recorded one is returned. */
    EXECUTE_RECORDED_ID,
    /** mmap: executed for real at the recorded address; a file mapping reopens the recorded file, which must still be there unchanged. */
    MAP,
    /** exit and exit_group: executed for real. */
    EXIT,
    /** Not replayable yet: the replay stops with a divergence report naming it. */
    UNSUPPORTED;

    private static final Map<String, ReplayRule> ROWS = Map.ofEntries(
            Map.entry("mmap", MAP),
            Map.entry("munmap", EXECUTE), Map.entry("mprotect", EXECUTE), Map.entry("brk", EXECUTE),
            Map.entry("mremap", EXECUTE), Map.entry("madvise", EXECUTE), Map.entry("pkey_mprotect", EXECUTE),
            Map.entry("mlock", EXECUTE), Map.entry("munlock", EXECUTE), Map.entry("mlock2", EXECUTE),
            Map.entry("mlockall", EXECUTE), Map.entry("munlockall", EXECUTE),
            Map.entry("arch_prctl", EXECUTE), Map.entry("set_robust_list", EXECUTE), Map.entry("rseq", EXECUTE),
            Map.entry("rt_sigaction", EXECUTE), Map.entry("rt_sigprocmask", EXECUTE), Map.entry("sigaltstack", EXECUTE),
            Map.entry("rt_sigreturn", EXECUTE),
            Map.entry("set_tid_address", EXECUTE_RECORDED_ID),
            Map.entry("clone", EXECUTE_RECORDED_ID), Map.entry("clone3", EXECUTE_RECORDED_ID),
            Map.entry("exit", EXIT), Map.entry("exit_group", EXIT),
            // one process only: a child process would need a replayer of its own, an exec another image
            Map.entry("fork", UNSUPPORTED), Map.entry("vfork", UNSUPPORTED),
            Map.entry("execve", UNSUPPORTED), Map.entry("execveat", UNSUPPORTED),
            Map.entry("shmat", UNSUPPORTED), Map.entry("io_uring_setup", UNSUPPORTED));

    private static final int CLONE_THREAD = 0x10000;
    private static final int NR_CLONE = SyscallTable.number("clone"), NR_CLONE3 = SyscallTable.number("clone3");

    static ReplayRule of(Event.Entry entry, TraceeMemory mem) {
        ReplayRule rule = ROWS.getOrDefault(SyscallTable.name(entry.nr()), EMULATE);
        if (rule == EXECUTE_RECORDED_ID && entry.nr() == NR_CLONE && (entry.args()[0] & CLONE_THREAD) == 0) {
            return UNSUPPORTED; // clone of a process (fork)
        }
        if (rule == EXECUTE_RECORDED_ID && entry.nr() == NR_CLONE3) {
            long flags = mem.readLong(entry.args()[0], 0);
            if ((flags & CLONE_THREAD) == 0) {
                return UNSUPPORTED;
            }
        }
        return rule;
    }
}
