package simterpose.tracer.bench;

import java.util.Arrays;
import java.util.Set;

import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Resume;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;

/**
 * What {@link TracerOptions#ownPids} costs (bin/bench-pids [ROUNDS] [LAUNCHES]): tracer open
 * (with it, the PID namespace and its init), launch-to-exit of {@code /bin/true}, and close, with
 * and without it, alternated in one invocation so that the machine's load weighs on both alike.
 */
public final class PidNamespaceBench {
    private PidNamespaceBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int launches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Tracer.link();
        long[][] open = new long[2][rounds], close = new long[2][rounds], launch = new long[2][rounds * launches];
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            for (int mode = 0; mode < 2; mode++) {
                TracerOptions o = TracerOptions.filter(Set.of(39));
                o = mode == 1 ? o.withOwnPids() : o;
                long t0 = System.nanoTime();
                Tracer t = Tracer.open(o);
                long opened = System.nanoTime() - t0;
                if (t.ownPidsRefused().isPresent()) {
                    throw new IllegalStateException(t.ownPidsRefused().get());
                }
                for (int i = 0; i < launches; i++) {
                    long s = System.nanoTime();
                    Tracee tracee = t.launch(LaunchSpec.of("/bin/true"), stop -> Resume.CONTINUE);
                    tracee.exitStatus().get();
                    if (r >= 0) {
                        launch[mode][r * launches + i] = System.nanoTime() - s;
                    }
                }
                long c0 = System.nanoTime();
                t.close();
                if (r >= 0) {
                    open[mode][r] = opened;
                    close[mode][r] = System.nanoTime() - c0;
                }
            }
        }
        String[] names = {"this machine's pids", "own PID namespace"};
        for (int mode = 0; mode < 2; mode++) {
            System.out.printf("tracer, %-20s open %.2f ms, launch to exit of /bin/true %.2f ms, close %.2f ms (medians of %d, %d, %d)%n",
                    names[mode], median(open[mode]), median(launch[mode]), median(close[mode]), rounds, rounds * launches, rounds);
        }
        double withNs = median(open[1]) + launches * median(launch[1]) + median(close[1]);
        double without = median(open[0]) + launches * median(launch[0]) + median(close[0]);
        System.out.printf("tracer, open + %d launches + close: own PID namespace %.2f ms, this machine's pids %.2f ms: ratio %.3f%n",
                launches, withNs, without, withNs / without);
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
