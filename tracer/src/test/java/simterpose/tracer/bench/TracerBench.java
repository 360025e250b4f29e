package simterpose.tracer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Resume;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.syscall.SyscallTable;

/**
 * Cost per stop of the engine next to native and strace, measured in one invocation:
 * {@code bin/bench-tracer [N]}. Each figure is (wall(N) - wall(0)) / N over the best of 3 runs,
 * so process start-up cancels out. Uses testapps' getppid_loop (argv: N getppid, M
 * clock_gettime, K getpid).
 */
public final class TracerBench {
    private static final int NR_GETPPID = SyscallTable.number("getppid");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String app = Path.of(System.getProperty("simterpose.testapps", "testapps/target/bin"), "getppid_loop").toString();
        System.out.printf("getppid_loop, N=%d calls, µs per call (best of 3, start-up subtracted)%n", n);

        double nativeGetppid = perCall(k -> runNative(List.of(app, k, "0", "0")), n);
        double strace = perCall(k -> runNative(List.of("strace", "-f", "-o", "/dev/null", "-e", "trace=getppid", app, k)), n);
        double stracePinned = perCall(k -> runNative(List.of("taskset", "-c", "0", "strace", "-f", "-o", "/dev/null",
                "-e", "trace=getppid", app, k)), n);
        row("native getppid", nativeGetppid, Double.NaN, Double.NaN);
        row("strace -f -e trace=getppid", strace, Double.NaN, nativeGetppid);
        row("strace, pinned (taskset -c 0)", stracePinned, Double.NaN, nativeGetppid);

        for (boolean pinned : new boolean[] {false, true}) {
            for (Resume resume : new Resume[] {Resume.NO_EXIT_STOP, Resume.CONTINUE}) {
                if (!System.getProperty("bench.only", "").isEmpty() && !"INLINE".contains(System.getProperty("bench.only"))) {
                    continue;
                }
                TracerOptions o = TracerOptions.filter(Set.of(NR_GETPPID)).pinnedTo(pinned ? 0 : -1);
                double ours = perCall(k -> runTraced(o, resume, List.of(app, k, "0", "0")), n);
                String label = "ours inline" + (pinned ? ", pinned" : "")
                        + (resume == Resume.CONTINUE ? ", entry+exit" : ", entry only");
                row(label, ours, pinned ? stracePinned : strace, nativeGetppid);
            }
        }

        if (System.getProperty("bench.only", "").isEmpty() || "CONTINUATION".contains(System.getProperty("bench.only"))) {
            for (boolean pinned : new boolean[] {false, true}) {
                TracerOptions o = TracerOptions.filter(Set.of(NR_GETPPID)).pinnedTo(pinned ? 0 : -1);
                double ours = ContinuationPerTid.available()
                        ? perCall(k -> runTraced(o, new ContinuationPerTid(), List.of(app, k, "0", "0")), n) : Double.NaN;
                row("ours inline + continuation per tid" + (pinned ? ", pinned" : ""), ours, pinned ? stracePinned : strace, nativeGetppid);
            }
        }

        System.out.printf("%nstart-up: launch to exit of /bin/true, ms (best of 5)%n");
        long trueNative = Long.MAX_VALUE, trueStrace = Long.MAX_VALUE, trueOurs = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            trueNative = Math.min(trueNative, runNative(List.of("/bin/true")));
            trueStrace = Math.min(trueStrace, runNative(List.of("strace", "-f", "-o", "/dev/null", "/bin/true")));
            trueOurs = Math.min(trueOurs, runTraced(TracerOptions.traceAll(), Resume.CONTINUE, List.of("/bin/true")));
        }
        System.out.printf("  native %.2f, strace -f %.2f (whole strace process), ours %.2f (in a warm JVM, tracer open+launch+exit+close)%n",
                trueNative / 1e6, trueStrace / 1e6, trueOurs / 1e6);

        // Unselected calls are cheap: run many more so process start-up noise stays small.
        int m = n * 20, c = n * 200;
        System.out.printf("%nunselected syscalls with the filter {getppid} on: %d getpid, %d clock_gettime%n", m, c);
        TracerOptions filterOnly = TracerOptions.filter(Set.of(NR_GETPPID));
        double nativeGetpid = perCall(k -> runNative(List.of(app, "0", "0", k)), m);
        double oursGetpid = perCall(k -> runTraced(filterOnly, Resume.CONTINUE, List.of(app, "0", "0", k)), m);
        double nativeClock = perCall(k -> runNative(List.of(app, "0", k, "0")), c);
        double oursClock = perCall(k -> runTraced(filterOnly, Resume.CONTINUE, List.of(app, "0", k, "0")), c);
        System.out.printf("  getpid        native %.4f µs, ours %.4f µs: %.3f× native%n", nativeGetpid, oursGetpid, oursGetpid / nativeGetpid);
        System.out.printf("  clock_gettime native %.4f µs, ours %.4f µs: %.3f× native%n", nativeClock, oursClock, oursClock / nativeClock);
    }

    private static void row(String label, double us, double strace, double nat) {
        StringBuilder s = new StringBuilder(String.format("  %-40s %8.2f µs", label, us));
        if (!Double.isNaN(strace)) {
            s.append(String.format("  %.2f× strace", us / strace));
        }
        if (!Double.isNaN(nat)) {
            s.append(String.format("  %.1f× native", us / nat));
        }
        System.out.println(s);
    }

    /** (best wall(n) - best wall(0)) / n in µs. */
    private static double perCall(Function<String, Long> run, int n) {
        long base = Long.MAX_VALUE, full = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            base = Math.min(base, run.apply("0"));
            full = Math.min(full, run.apply(Integer.toString(n)));
        }
        return Math.max(0, full - base) / 1000.0 / n;
    }

    private static long runNative(List<String> cmd) {
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(cmd + " failed");
            }
            return System.nanoTime() - t0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long runTraced(TracerOptions options, Resume resume, List<String> cmd) {
        return runTraced(options, stop -> resume, cmd);
    }

    private static long runTraced(TracerOptions options, StopHandler handler, List<String> cmd) {
        long t0 = System.nanoTime();
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(new LaunchSpec(cmd, null, null, null, Path.of("/dev/null"), null), handler);
            t.waitFor();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t0;
    }
}
