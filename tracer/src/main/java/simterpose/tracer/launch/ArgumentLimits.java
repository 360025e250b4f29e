package simterpose.tracer.launch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import simterpose.tracer.LaunchException;

/**
 * The kernel's limits on what execve accepts (fs/exec.c): one argument or environment string
 * of at most MAX_ARG_STRLEN bytes, and all of them (with their pointers) within a quarter of
 * the stack limit. Checked before launch so E2BIG is one clear error, not a failed spawn.
 */
public final class ArgumentLimits {
    private ArgumentLimits() {}

    /** MAX_ARG_STRLEN: 32 pages of 4 KiB, the terminating NUL included. */
    public static final int MAX_ARG_STRLEN = 32 * 4096;
    /** A quarter of the default 8 MiB stack limit, less room for the launching shell's own words. */
    public static final long MAX_TOTAL = 8L * 1024 * 1024 / 4 - 4096;

    /** @throws LaunchException naming the argument (1-based) or variable that is too long, or the total */
    public static void check(List<String> argv, Map<String, String> env) {
        long total = 0;
        for (int i = 0; i < argv.size(); i++) {
            int bytes = argv.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > MAX_ARG_STRLEN) {
                throw new LaunchException("cannot run '" + abbreviate(argv.getFirst()) + "': "
                        + (i == 0 ? "its name" : "argument " + i) + " is " + (bytes - 1) + " bytes long, more than Linux's "
                        + (MAX_ARG_STRLEN - 1) + " (execve would fail with E2BIG)");
            }
            total += bytes + 8;
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            int bytes = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > MAX_ARG_STRLEN) {
                throw new LaunchException("cannot run '" + abbreviate(argv.getFirst()) + "': environment variable "
                        + abbreviate(e.getKey()) + " is " + (bytes - 1) + " bytes long, more than Linux's " + (MAX_ARG_STRLEN - 1)
                        + " (execve would fail with E2BIG)");
            }
            total += bytes + 8;
        }
        if (total > MAX_TOTAL) {
            throw new LaunchException("cannot run '" + abbreviate(argv.getFirst()) + "': its arguments and environment take "
                    + total + " bytes, more than the " + MAX_TOTAL + " execve accepts (E2BIG)");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
