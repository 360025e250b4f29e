package simterpose.cli.views;

import simterpose.bindings.LibC;

/**
 * The views' own threads (the writer, the block writes) run at a lower priority than the run:
 * the run's owner thread and its tracees are the run's critical path (one of them runs at any
 * time, pinned to one CPU), and a views thread that the scheduler puts on that CPU should take
 * only what they leave. With a nice of {@value #NICE} such a thread gets about a tenth of a
 * shared CPU (weight 110 against 1024), and the load balancer sees its CPU as the lighter one.
 * The views never fall behind for it on an idle CPU; on a busy machine the views' queue lets
 * the run go on while they catch up.
 */
final class ViewThreads {
    static final int NICE = 10;

    private ViewThreads() {}

    /**
     * Lowers the calling thread's priority to a nice of {@value #NICE} unless it is already
     * lower (its own nice value; best effort: the views are the same if refused, only less polite).
     */
    static void yieldToTheRun() {
        try {
            if (niceOfThisThread() < NICE) {
                LibC.niceThisThread(NICE);
            }
        } catch (RuntimeException | java.io.IOException e) {
            // e.g. no /proc, or a seccomp profile without setpriority
        }
    }

    /** The calling thread's nice value, from /proc (for tests). */
    static int niceOfThisThread() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 of stat, the 17th after the name
    }
}
