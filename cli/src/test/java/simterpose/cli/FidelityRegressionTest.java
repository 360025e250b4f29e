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
 * Three of {@code bin/bench-fidelity}'s figures kept in the suite: {@code run}'s predictions under
 * its default model ({@code network/model:TCP}) against a real kernel ({@code compare}, which runs
 * {@code emulate}), and against the same predictions under SimGrid's LV08 and CM02. A change to
 * the model that makes either figure's error grow past its bound fails here.
 * <ul>
 * <li>Request/response: 20 round trips of 1 kB each way over an established connection (10 MB/s,
 * 5 ms): the shortest round trip. A real kernel takes 2L plus the bytes; LV08 charges 13.01 L per
 * message.</li>
 * <li>A fresh connection sending 200 kB (another pair of hosts and link, the same sizes): from
 * the connect's end to the server's close. A real kernel's slow start takes three round trips
 * before its last round (10, 20, 40, then 68 segments); CM02 sends at the full share at once. The
 * size keeps the largest round (116 kB) under what the emulated link holds (its bandwidth-delay
 * product and its drop-tail queue of two more), so no packet is lost: losses, which the model
 * leaves out, would make the real figure swing.</li>
 * <li>Bulk request/response: 4 round trips of 1 MB each way (a third pair, the same sizes, after
 * the fresh transfer so that the relay and the CPUs carry one of them at a time): the
 * shortest round trip, about 2 × 1 MB at the link's rate plus 2L once the window is open. On a
 * SHARED link the receiver's ACKs share the medium with the data; before emulate gave each end
 * of a link its own queue they waited behind the data's, and the real figure was 15–20 % longer
 * (ACK compression), which the model does not describe.</li>
 * </ul>
 * A loaded machine (the suite shares it) makes the real figures longer, never shorter, so the
 * round trip is the shortest of the 20, and the transfer's bound is wider below (the model faster
 * than the real kernel) than above. Measured (bin/bench-fidelity's machine, loaded): round trip
 * -2.7% and -4.5%, transfer -7.5% and -14%.
 */
class FidelityRegressionTest {
    static final Path ROOT = RunEndToEndTest.ROOT;
    static final String APPS = ROOT.resolve("testapps/target/bin") + "/";
    /** Bounds on the TCP model's relative error (run - emulate) / emulate. */
    static final double RR_BOUND = 0.10;
    static final double FRESH_BELOW = -0.25;
    static final double FRESH_ABOVE = 0.05;
    static final double BULK_BOUND = 0.10;

    @TempDir
    Path dir;

    @Test
    void theTcpModelPredictsRequestResponseAFreshTransferAndBulkRoundTripsCloseToARealKernelAndBetterThanLv08AndCm02()
            throws Exception {
        Path platform = dir.resolve("fidelity.xml");
        Files.writeString(platform, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full">
                    <host id="rrc" speed="1Gf"/><host id="rrs" speed="1Gf"/>
                    <host id="bulkc" speed="1Gf"/><host id="bulks" speed="1Gf"/>
                    <host id="mbc" speed="1Gf"/><host id="mbs" speed="1Gf"/>
                    <link id="rr" bandwidth="10MBps" latency="5ms"/>
                    <link id="bulk" bandwidth="10MBps" latency="5ms"/>
                    <link id="mb" bandwidth="10MBps" latency="5ms"/>
                    <route src="rrc" dst="rrs"><link_ctn id="rr"/></route>
                    <route src="bulkc" dst="bulks"><link_ctn id="bulk"/></route>
                    <route src="mbc" dst="mbs"><link_ctn id="mb"/></route>
                  </zone>
                  <actor host="rrs" function="%1$stcp_pingpong"><argument value="server"/><argument value="5000"/>
                    <argument value="20"/><argument value="1000"/></actor>
                  <actor host="rrc" function="%1$stcp_pingpong" start_time="0.5"><argument value="client"/>
                    <argument value="rrs"/><argument value="5000"/><argument value="20"/><argument value="1000"/></actor>
                  <actor host="bulks" function="%1$stcp_server"><argument value="5000"/><argument value="1"/></actor>
                  <actor host="bulkc" function="%1$stcp_client" start_time="1"><argument value="bulks"/>
                    <argument value="5000"/><argument value="200000"/></actor>
                  <actor host="mbs" function="%1$stcp_pingpong"><argument value="server"/><argument value="5000"/>
                    <argument value="4"/><argument value="1000000"/></actor>
                  <actor host="mbc" function="%1$stcp_pingpong" start_time="1.5"><argument value="client"/>
                    <argument value="mbs"/><argument value="5000"/><argument value="4"/><argument value="1000000"/></actor>
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
        Map<String, Double> bulk = new java.util.TreeMap<>();
        for (String d : List.of("emulate", "run", "run-LV08", "run-CM02")) {
            rr.put(d, Double.parseDouble(results(out.resolve(d), "rrc-").getFirst().get("min_rtt")));
            Map<String, String> transfer = results(out.resolve(d), "bulkc-").getFirst();
            fresh.put(d, Double.parseDouble(transfer.get("closed")) - Double.parseDouble(transfer.get("connected")));
            bulk.put(d, Double.parseDouble(results(out.resolve(d), "mbc-").getFirst().get("min_rtt")));
        }
        // A loaded machine may delay emulate's relay until a packet is lost (one 200 ms RTO: the fresh
        // transfer took 0.267 s against 0.05 in a CI suite at load 7): emulate again, up to twice,
        // while a figure is out of its bound, and keep each figure's shortest real value.
        for (int retry = 1; retry <= 2 && !withinBounds(rr, fresh, bulk); retry++) {
            Path again = out.resolve("emulate-" + retry);
            command("emulate", "-o", again.toString(), platform.toString());
            rr.merge("emulate", Double.parseDouble(results(again, "rrc-").getFirst().get("min_rtt")), Math::min);
            Map<String, String> transfer = results(again, "bulkc-").getFirst();
            fresh.merge("emulate", Double.parseDouble(transfer.get("closed")) - Double.parseDouble(transfer.get("connected")), Math::min);
            bulk.merge("emulate", Double.parseDouble(results(again, "mbc-").getFirst().get("min_rtt")), Math::min);
        }
        String why = "shortest round trips " + rr + "; fresh 200 kB transfers " + fresh
                + "; shortest 1 MB round trips " + bulk;
        System.out.println("FidelityRegressionTest: " + why); // the figures, for the surefire report
        assertThat(Math.abs(error(rr, "run"))).as(why).isLessThan(RR_BOUND).isLessThan(Math.abs(error(rr, "run-LV08")));
        assertThat(error(fresh, "run")).as(why).isBetween(FRESH_BELOW, FRESH_ABOVE);
        assertThat(Math.abs(error(fresh, "run"))).as(why).isLessThan(Math.abs(error(fresh, "run-CM02")));
        assertThat(Math.abs(error(bulk, "run"))).as(why).isLessThan(BULK_BOUND).isLessThan(Math.abs(error(bulk, "run-LV08")));
    }

    private static boolean withinBounds(Map<String, Double> rr, Map<String, Double> fresh, Map<String, Double> bulk) {
        double f = error(fresh, "run");
        return Math.abs(error(rr, "run")) < RR_BOUND && f >= FRESH_BELOW && f <= FRESH_ABOVE
                && Math.abs(error(bulk, "run")) < BULK_BOUND;
    }

    private static double error(Map<String, Double> figures, String model) {
        return (figures.get(model) - figures.get("emulate")) / figures.get("emulate");
    }

    /** The key=value fields of each RESULT line the actors whose output files start with {@code prefix} printed. */
    private static List<Map<String, String>> results(Path outputDir, String prefix) throws IOException {
        List<Path> stdouts;
        try (Stream<Path> files = Files.list(outputDir)) {
            stdouts = files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".stdout"))
                    .sorted().toList();
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Path stdout : stdouts) {
            for (String line : Files.readAllLines(stdout)) {
                if (line.startsWith("RESULT ")) {
                    rows.add(Arrays.stream(line.substring("RESULT ".length()).split(" ")).map(f -> f.split("=", 2))
                            .collect(Collectors.toMap(f -> f[0], f -> f[1])));
                }
            }
        }
        assertThat(rows).as("RESULT lines of %s* in %s", prefix, outputDir).isNotEmpty();
        return rows;
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
