package simterpose.simulator.mediation.tracee;

/**
 * What a traced thread's CPU use shows: how often its quantum ran out and where, its last mediated
 * syscall, how long it has spun at one date. The owner writes them at the thread's stops; the
 * watchdog and the spin diagnosis read them from their own thread, hence volatile.
 */
public final class SpinSigns {
    /**
     * How many quanta of CPU time without a syscall, at one date, make a spinner rather than a
     * thread that computes: 5 (20 ms at the default 4 ms quantum), well above what real
     * programs compute between two mediated syscalls (Python's start-up opens and reads files).
     */
    public static final int SPIN_QUANTA = 5;

    /** Times its quantum ran out (an Interrupted stop). */
    public volatile long preemptions;
    /** Where its instruction pointer was the last time its quantum ran out. */
    public volatile long lastPreemptedIp;
    /** The number of the last mediated syscall it entered (-1: none yet). */
    public volatile int lastSyscallNr = -1;
    /**
     * Quanta it was preempted after since its last syscall stop (reset by any other stop, and
     * when the clock moves while it waits for its turn): at {@link #SPIN_QUANTA} it is taken for
     * a thread spinning until something else happens, and the clock may move before its turn.
     */
    public volatile int quanta;
    /** Times it began to run natively without being the running one (the watchdog's slices of it). */
    public volatile long freeSpells;
}
