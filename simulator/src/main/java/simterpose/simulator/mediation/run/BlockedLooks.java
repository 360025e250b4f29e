package simterpose.simulator.mediation.run;

/**
 * The watchdog's count of its looks (one a millisecond) that found the running thread blocked in
 * the kernel without a stop since: when to ask the owner to park it (asleep, or stopped by a
 * signal) or retire it (vanished, a non-leader exec's leftover). The owner looks again itself and
 * declines when it finds the thread awake; the count then starts afresh, so that a thread that
 * blocks again is asked for again.
 */
final class BlockedLooks {
    /** Looks in a row that find the thread asleep before the owner is asked to park it. */
    static final int ASLEEP = 2;
    /** Looks in a row that find it gone (X) before the owner retires it: 2 s. */
    static final int VANISHED = 2000;

    private int count;

    /** One look at the thread's /proc state: true when the owner must be asked now. */
    boolean askOwner(char state, boolean stoppedBySignal) {
        boolean blocked = state == 'S' || stoppedBySignal || state == 'X';
        count = blocked ? count + 1 : 0;
        if (count == (state == 'X' ? VANISHED : ASLEEP)) {
            count = 0;
            return true;
        }
        return false;
    }

    /** The thread took a stop, or another thread runs. */
    void reset() {
        count = 0;
    }
}
