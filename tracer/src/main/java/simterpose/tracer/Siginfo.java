package simterpose.tracer;

/**
 * The siginfo a queued signal carries ({@link TraceeSignals#rtSigqueueinfo}), in the form the
 * kernel's own POSIX timers give it: {@code si_code} SI_TIMER, the timer id, its overrun count
 * and the timer's {@code sigev_value}.
 *
 * @param signo   the signal
 * @param code    si_code ({@link #SI_TIMER})
 * @param timerId si_timerid (si_tid in the kernel's union)
 * @param overrun si_overrun
 * @param value   si_value (the sigval union, as its pointer-sized member)
 */
public record Siginfo(int signo, int code, int timerId, int overrun, long value) {
    /** si_code of a POSIX timer's expiry (asm-generic/siginfo.h: __SI_CODE(__SI_TIMER, -2) for user space). */
    public static final int SI_TIMER = -2;

    /** What a POSIX timer's expiry sends: SI_TIMER, the timer id, no overrun, the sigev_value. */
    public static Siginfo timer(int signo, int timerId, long value) {
        return new Siginfo(signo, SI_TIMER, timerId, 0, value);
    }
}
