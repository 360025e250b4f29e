package simterpose.tracer;

import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;

import static simterpose.tracer.Ptrace.*;

/**
 * Runs syscalls inside a stopped tracee and writes where process_vm_writev cannot: the
 * owner-internal sequences that resume a thread and wait for it with {@code waitpid(tid)}
 * outside the main loop. Owner thread only.
 */
final class SyscallInjector {
    /** The tracee vanished during an owner-internal sequence (its death is already handled). */
    static final class Gone extends RuntimeException {
        Gone() {
            super(null, null, false, false);
        }
    }

    private final TracedThreads threads;
    private final PtraceCalls calls;
    private final StopDispatch dispatch;

    SyscallInjector(TracedThreads threads, PtraceCalls calls, StopDispatch dispatch) {
        this.threads = threads;
        this.calls = calls;
        this.dispatch = dispatch;
    }

    /**
     * At a syscall entry stop: runs {@code nr(args)} in place of the stopped call, returns its
     * result, and puts the thread back at the same entry stop with its original registers.
     */
    long inject(Stop stop, long nr, long[] args) {
        Tid t = threads.get(stop.tid());
        if (t == null) {
            throw new IllegalStateException("thread " + stop.tid() + " is gone");
        }
        Regs saved = stop.regs();
        Regs call = saved.withNr(nr);
        for (int i = 0; i < args.length; i++) {
            call = call.withArg(i, args[i]);
        }
        calls.setRegs(t.tid, call);
        stepToSyscallStop(t); // the injected call's exit
        long result = calls.getRegs(t.tid).rax();
        // Back to the syscall instruction: re-entering gives a PTRACE_SYSCALL entry stop
        // (reported before seccomp runs) with the original registers.
        calls.setRegs(t.tid, saved.withRip(saved.rip() - 2).withRax(saved.nr()));
        stepToSyscallStop(t);
        if (t.tracee.kernelFiltered) {
            t.swallowSeccomp = true; // the filter will trace the re-entered call once more
        }
        reraiseDeferred(t);
        return result;
    }

    /** From a syscall-exit stop: runs one syscall at {@code at} (a syscall instruction), returns rax. */
    long runSyscall(Tid t, Regs base, long at, long nr, long a0, long a1, long a2) {
        Regs r = base.withRip(at).withRax(nr).withNr(-1).withArg(0, a0).withArg(1, a1).withArg(2, a2);
        calls.setRegs(t.tid, r);
        stepToSyscallStop(t); // entry
        stepToSyscallStop(t); // exit
        return calls.getRegs(t.tid).rax();
    }

    /**
     * Resumes {@code t} with PTRACE_SYSCALL until its next syscall stop, inside an owner-internal
     * sequence. Signals arriving meanwhile are held and re-raised afterwards.
     *
     * @throws Gone if the thread died meanwhile (its death has been dispatched)
     */
    void stepToSyscallStop(Tid t) {
        while (true) {
            calls.ptrace(SYSCALL, t.tid, 0, 0);
            int pid = calls.waitpid(t.tid, WALL);
            int st = calls.status();
            if (!stopped(st)) {
                dispatch.gone(t, st, System.nanoTime());
                throw new Gone();
            }
            int sig = stopSignal(st);
            if (sig == SYSCALL_STOP) {
                return;
            }
            if (event(st) == 0 && pid == t.tid) {
                t.deferredSignals.add(sig);
            }
        }
    }

    /** Raises again the signals held during an owner-internal sequence. */
    void reraiseDeferred(Tid t) {
        for (int sig : t.deferredSignals) {
            try {
                LibC.kill(t.tid, sig);
            } catch (ErrnoException ignored) {
                // gone
            }
        }
        t.deferredSignals.clear();
    }

    /**
     * PTRACE_POKEDATA, which also writes read-only mappings: read-modify-write of whole aligned
     * words, so bytes around the patch are kept.
     */
    void poke(int tid, long address, byte[] bytes) {
        long first = address & ~7L;
        long end = address + bytes.length;
        for (long word = first; word < end; word += 8) {
            long value = calls.peekText(tid, word);
            for (int i = 0; i < 8; i++) {
                long at = word + i;
                if (at >= address && at < end) {
                    long b = bytes[(int) (at - address)] & 0xffL;
                    value = (value & ~(0xffL << (8 * i))) | (b << (8 * i));
                }
            }
            calls.pokeText(tid, word, value);
        }
    }
}
