package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.bindings.linux.siginfo_t;

/**
 * Signals sent to tracees on the tracer's user's behalf (a simulated timer expiring, a SIGPIPE
 * the simulated socket owes): kill, tgkill, rt_sigqueueinfo and rt_tgsigqueueinfo. The signal
 * is delivered when the thread next runs; a stopped tracee sees it at its next signal-delivery
 * stop like any other. Only the tracer talks to the kernel about tracees: the simulator goes
 * through here, never through the C library.
 *
 * <p>Each call answers whether the signal was sent: false when the target is gone (ESRCH) or
 * the kernel refused it (e.g. EAGAIN, its queue of pending signals is full), which the callers
 * treat alike: nothing more to do. Threading: any thread (signals need not come from the
 * ptrace owner).
 */
public final class TraceeSignals {
    private TraceeSignals() {}

    /** kill(2): {@code signal} to the process {@code tgid}. */
    public static boolean kill(int tgid, int signal) {
        try {
            LibC.kill(tgid, signal);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** tgkill(2): {@code signal} to the thread {@code tid} of process {@code tgid}. */
    public static boolean tgkill(int tgid, int tid, int signal) {
        try {
            LibC.tgkill(tgid, tid, signal);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** rt_sigqueueinfo(2): {@code info}'s signal with its siginfo to the process {@code tgid}. */
    public static boolean rtSigqueueinfo(int tgid, Siginfo info) {
        try (Arena arena = Arena.ofConfined()) {
            LibC.rtSigqueueinfo(tgid, info.signo(), write(arena, info));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** rt_tgsigqueueinfo(2): {@code info}'s signal with its siginfo to the thread {@code tid} of {@code tgid}. */
    public static boolean rtTgsigqueueinfo(int tgid, int tid, Siginfo info) {
        try (Arena arena = Arena.ofConfined()) {
            LibC.rtTgsigqueueinfo(tgid, tid, info.signo(), write(arena, info));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** The native siginfo_t of {@code info}, laid out by the bindings (zeroed elsewhere). */
    private static MemorySegment write(Arena arena, Siginfo info) {
        MemorySegment s = arena.allocate(siginfo_t.layout()); // Arena.allocate zeroes
        siginfo_t.si_signo(s, info.signo());
        siginfo_t.si_code(s, info.code());
        MemorySegment timer = siginfo_t._sifields._timer(siginfo_t._sifields(s));
        siginfo_t._sifields._timer.si_tid(timer, info.timerId());
        siginfo_t._sifields._timer.si_overrun(timer, info.overrun());
        timer.set(ValueLayout.JAVA_LONG, siginfo_t._sifields._timer.si_sigval$offset(), info.value());
        return s;
    }
}
