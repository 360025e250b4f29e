package simterpose.replay;

/** The futex operations whose presence in a run depends on how its threads interleave. */
final class Futexes {
    private Futexes() {}

    private static final int NR_FUTEX = simterpose.tracer.syscall.SyscallTable.number("futex");
    private static final int CMD_MASK = 0x7f; // without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256)
    private static final int WAIT = 0, WAKE = 1, WAIT_BITSET = 9, WAKE_BITSET = 10;

    static boolean timingDependent(long nr) {
        return nr == NR_FUTEX;
    }

    static boolean isWait(long op) {
        int cmd = (int) op & CMD_MASK;
        return cmd == WAIT || cmd == WAIT_BITSET;
    }

    static boolean isWaitOrWake(long op) {
        int cmd = (int) op & CMD_MASK;
        return isWait(op) || cmd == WAKE || cmd == WAKE_BITSET;
    }
}
