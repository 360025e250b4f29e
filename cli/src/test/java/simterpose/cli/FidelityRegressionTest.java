package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two of {@code bin/bench-fidelity}'s figures kept in the suite: {@code run}'s predictions under
 * its default model ({@code network/model:TCP}) against a real kernel ({@code compare}, which runs
 * {@code emulate}), and against the same predictions under SimGrid's LV08 and CM02. A change to
 * the model that makes either figure's error grow past its bound fails here.
 * <ul>
 * <li>Request/response: 20 round trips of 1 kB each way over an established connection (10 MB/s,
 * 5 ms): the median round trip. A real kernel takes 2L plus the bytes; LV08 charges 13.01 L per
 * message.</li>
 * <li>A fresh connection sending 1 MB (another pair of hosts, same link): connect to the
 * server's close. A real kernel's slow start takes a few round trips to fill the pipe; CM02 sends
 * at the full share at once.</li>
 * </ul>
 * The bounds leave room for a loaded machine, which makes the real figures longer, never
 * shorter: the medians and the end dates of a transfer are the figures least sensitive to it.
 */
class FidelityRegressionTest {
    static final Path ROOT = RunEndToEndTest.ROOT;
    static final String APPS = ROOT.resolve("testapps/target/bin") + "/";
    /** Bounds on the TCP model's relative error, each a few points above what bin/bench-fidelity measured. */
    static final double RR_BOUND = 0.10;
    static final double FRESH_BOUND = 0.10;

    @TempDir
    Path dir;

    @Test
    void theTcpModelPredictsRequestResponseAndAFreshTransferWithinTenPercentOfARealKernelAndBetterThanLv08AndCm02()
            throws Exception {
        Path platform = dir.resolve("fidelity.xml");
        Files.writeString(platform, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full">
                    <host id="rrc" speed="1Gf"/><host id="rrs" speed="1Gf"/>
                    <host id="bulkc" speed="1Gf"/><host id="bulks" speed="1Gf"/>
                    <link id="rr" bandwidth="10MBps" latency="5ms"/>
                    <link id="bulk" bandwidth="10MBps" latency="5ms"/>
                    <route src="rrc" dst="rrs"><link_ctn id="rr"/></route>
                    <route src="bulkc" dst="bulks"><link_ctn id="bulk"/></route>
                  </zone>
                  <actor host="rrs" function="%1$stcp_pingpong"><argument value="server"/><argument value="5000"/>
                    <argument value="20"/><argument value="1000"/></actor>
                  <actor host="rrc" function="%1$stcp_pingpong" start_time="0.5"><argument value="client"/>
                    <argument value="rrs"/><argument value="5000"/><argument value="20"/><argument value="1000"/></actor>
                  <actor host="bulks" function="%1$stcp_server"><argument value="5000"/><argument value="1"/></actor>
                  <actor host="bulkc" function="%1$stcp_client" start_time="0.5"><argument value="bulks"/>
                    <argument value="5000"/><argument value="1000000"/></actor>
                </platform>
                """.formatted(APPS));
        Path out = dir.resolve("o");
        command("compare", "-o", out.toString(), "--cpu-model=none", platform.toString());
        for (String model : List.of("LV08", "CM02")) {
            command("run", "-o", out.resolve("run-" + model).toString(), "--cpu-model=none",
                    "--cfg=network/model:" + model, platform.toString());
        }
        Map<String, Double> rr = new java.util.TreeMap<>();
        Map<String, Double> fresh = new java.util.TreeMap<>();
        for (String d : List.of("emulate", "run", "run-LV08", "run-CM02")) {
            rr.put(d, Double.parseDouble(result(out.resolve(d), "rrc-").get("median_rtt")));
            Map<String, String> r = result(out.resolve(d), "bulkc-");
            fresh.put(d, Double.parseDouble(r.get("closed")) - Double.parseDouble(r.get("start")));
        }
        String why = "median round trips " + rr + "; fresh 1 MB transfers " + fresh;
        System.out.println("FidelityRegressionTest: " + why); // the figures, for the surefire report
        assertThat(Math.abs(error(rr, "run"))).as(why).isLessThan(RR_BOUND).isLessThan(Math.abs(error(rr, "run-LV08")));
        assertThat(Math.abs(error(fresh, "run"))).as(why).isLessThan(FRESH_BOUND)
                .isLessThan(Math.abs(error(fresh, "run-CM02")));
    }

    private static double error(Map<String, Double> figures, String model) {
        return (figures.get(model) - figures.get("emulate")) / figures.get("emulate");
    }

    /** The key=value fields of the RESULT line an actor on a host whose output files start with {@code prefix} printed. */
    private static Map<String, String> result(Path outputDir, String prefix) throws IOException {
        Path stdout;
        try (Stream<Path> files = Files.list(outputDir)) {
            stdout = files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".stdout"))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "*.stdout in " + outputDir));
        }
        String line = Files.readAllLines(stdout).stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line in " + stdout));
        return Arrays.stream(line.substring("RESULT ".length()).split(" ")).map(f -> f.split("=", 2))
                .collect(Collectors.toMap(f -> f[0], f -> f[1]));
    }

    private void command(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(javaMain());
        argv.addAll(List.of(args));
        Path log = dir.resolve(args[0] + "-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("timed out: " + argv + "\n" + Files.readString(log));
        }
        assertThat(p.exitValue()).as("%s\n%s", argv, Files.readString(log)).isZero();
    }
}
