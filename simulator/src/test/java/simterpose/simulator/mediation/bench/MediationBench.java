package simterpose.simulator.mediation.bench;

import simterpose.simulator.mediation.run.Runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/**
 * Wall cost of mediation, measured against references run in the same invocation:
 * (1) N clock_gettime calls (each one mediated stop) under a run vs the same program natively;
 * (2) the 2012 paper's 10 000 sends of 40 B / 10 kB / 100 kB between two actors, natively
 * over loopback vs under simulation.
 * Usage: MediationBench TESTAPPS_DIR [CLOCK_READS [SENDS]]
 */
public final class MediationBench {
    private MediationBench() {}

    public static void main(String[] args) throws Exception {
        Path apps = Path.of(args[0]).toAbsolutePath();
        long reads = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        long sends = args.length > 2 ? Long.parseLong(args[2]) : 10_000;
        Path dir = Files.createTempDirectory("mediation-bench");
        String loop = apps.resolve("getppid_loop").toString();

        long t0 = System.nanoTime();
        native1(loop, "0", Long.toString(reads));
        double nativeClock = (System.nanoTime() - t0) / 1e9;
        RunReport r = run(dir, "<actor host=\"alice\" function=\"" + loop + "\"><argument value=\"0\"/><argument value=\""
                + reads + "\"/></actor>");
        System.out.printf("clock_gettime x %d: native %.3f s, simulated %.3f s wall, %d mediated, %.2f us per mediated syscall%n",
                reads, nativeClock, secs(r.wall()), r.mediatedSyscalls(), secs(r.wall()) * 1e6 / r.mediatedSyscalls());

        String sendsApp = apps.resolve("tcp_sends").toString();
        for (long size : new long[] {40, 10_000, 100_000}) {
            long n0 = System.nanoTime();
            Process server = new ProcessBuilder(sendsApp, "server", "19555", Long.toString(sends), Long.toString(size))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(100);
            Process client = new ProcessBuilder(sendsApp, "client", "127.0.0.1", "19555", Long.toString(sends),
                    Long.toString(size)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            client.waitFor();
            server.waitFor();
            double nat = (System.nanoTime() - n0) / 1e9 - 0.1;
            RunReport s = run(dir, "<actor host=\"bob\" function=\"" + sendsApp + "\">" + arg("server") + arg("8000")
                    + arg(Long.toString(sends)) + arg(Long.toString(size)) + "</actor>"
                    + "<actor host=\"alice\" function=\"" + sendsApp + "\">" + arg("client") + arg("10.0.0.2") + arg("8000")
                    + arg(Long.toString(sends)) + arg(Long.toString(size)) + "</actor>");
            System.out.printf("%d sends of %d B: native loopback %.3f s, simulated %.3f s wall (ratio %.2f; 2012 paper: %s), %d mediated, success=%s%n",
                    sends, size, nat, secs(s.wall()), secs(s.wall()) / nat,
                    size == 40 ? "1.86 s" : size == 10_000 ? "26.42 s" : "247.24 s", s.mediatedSyscalls(), s.success());
        }
    }

    static String arg(String v) {
        return "<argument value=\"" + v + "\"/>";
    }

    static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }

    static void native1(String... argv) throws Exception {
        new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static RunReport run(Path dir, String actors) throws Exception {
        String xml = "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\"><zone id=\"w\" routing=\"Full\">"
                + "<host id=\"alice\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>"
                + "<host id=\"bob\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.2\"/></host>"
                + "<link id=\"l\" bandwidth=\"1GBps\" latency=\"50us\"/>"
                + "<route src=\"alice\" dst=\"bob\"><link_ctn id=\"l\"/></route></zone>" + actors + "</platform>";
        Path f = dir.resolve("p.xml");
        Files.writeString(f, xml);
        Platform p = PlatformLoader.load(f);
        return Runner.run(p, p.deployment(), new RunOptions(dir.resolve("out"), RunOptions.CpuMode.NONE, Double.NaN, 1,
                RunOptions.DEFAULT_EPOCH, Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO),
                new RunListener() {});
    }
}
