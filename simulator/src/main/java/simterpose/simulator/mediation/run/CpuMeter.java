package simterpose.simulator.mediation.run;

/**
 * Measures this machine's speed in flop/s for one core: a short dependent floating-point loop
 * (two flops per iteration), timed on the thread's CPU clock. Rough by nature: it only scales
 * measured CPU time into the platform's flops.
 */
final class CpuMeter {
    private CpuMeter() {}

    static double measure() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 0;
        double sink = 0;
        for (int round = 0; round < 5; round++) {
            long n = 5_000_000;
            long t0 = mx.getCurrentThreadCpuTime();
            double x = 1.0 + round;
            for (long i = 0; i < n; i++) {
                x = x * 0.999999 + 1e-9;
            }
            long t1 = mx.getCurrentThreadCpuTime();
            sink += x;
            if (t1 > t0) {
                best = Math.max(best, 2.0 * n / ((t1 - t0) / 1e9));
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the loop alive
        }
        return best > 0 ? best : 1e9;
    }
}
