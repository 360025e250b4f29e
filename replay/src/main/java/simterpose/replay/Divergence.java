package simterpose.replay;

/**
 * Where a replay stopped following its recording: the recorded thread id, how many syscalls
 * that thread had made before (the index of the syscall that diverged), what the recording says
 * and what the program did.
 */
public record Divergence(int tid, long syscallIndex, String recorded, String actual) {
    /** The report printed on stderr. */
    public String report() {
        return "replay diverged in thread " + tid + " at syscall #" + syscallIndex + ":\n"
                + "  recorded: " + recorded + "\n"
                + "  actual:   " + actual;
    }
}
