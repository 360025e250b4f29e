package simterpose.simulator.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;
import simterpose.simulator.support.SimGridOracle;
import simterpose.simulator.support.SimGridOracle.Job;

/**
 * Generated SimGrid XML (clusters with backbones, SPLITDUPLEX/FATPIPE links, multi-zone
 * platforms with zone routes, a host talking to itself) read by both our parser and SimGrid:
 * every finish time must agree to 1e-6 relative. Seeded.
 */
class SimGridPlatformDifferentialTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needSimGrid() {
        assumeTrue(SimGridOracle.available(), "SimGrid's python bindings (/usr/bin/python3, python3-simgrid)");
    }

    private static final String[] POLICIES = {"SHARED", "SPLITDUPLEX", "FATPIPE"};

    static String bw(Random rnd) {
        return (1 + rnd.nextInt(1000)) + (rnd.nextBoolean() ? "MBps" : "Mbps");
    }

    static String lat(Random rnd) {
        return rnd.nextInt(6) == 0 ? "0" : (1 + rnd.nextInt(500)) + (rnd.nextBoolean() ? "us" : "ms");
    }

    static String cluster(Random rnd, String id, int hosts) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "  <cluster id=\"%s\" prefix=\"%s-\" suffix=\".net\" radical=\"0-%d\" speed=\"%dGf\" core=\"%d\""
                        + " bw=\"%s\" lat=\"%s\" sharing_policy=\"%s\" router_id=\"%s-router\"",
                id, id, hosts - 1, 1 + rnd.nextInt(10), 1 + rnd.nextInt(4), bw(rnd), lat(rnd),
                POLICIES[rnd.nextInt(3)], id));
        if (rnd.nextInt(4) != 0) {
            sb.append(String.format(Locale.ROOT, " bb_bw=\"%s\" bb_lat=\"%s\" bb_sharing_policy=\"%s\"", bw(rnd),
                    lat(rnd), rnd.nextBoolean() ? "SHARED" : "FATPIPE"));
        }
        return sb.append("/>\n").toString();
    }

    /** A Full zone: hosts each on a private link (random policy) to a router gateway. */
    static String fullZone(Random rnd, String id, int hosts) {
        StringBuilder sb = new StringBuilder("  <zone id=\"" + id + "\" routing=\"Full\">\n");
        sb.append("    <router id=\"").append(id).append("-gw\"/>\n");
        for (int i = 0; i < hosts; i++) {
            sb.append(String.format(Locale.ROOT, "    <host id=\"%s-h%d\" speed=\"%dMf\"/>\n", id, i,
                    100 + rnd.nextInt(1000)));
        }
        List<String> policies = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            String policy = POLICIES[rnd.nextInt(3)];
            policies.add(policy);
            sb.append(String.format(Locale.ROOT, "    <link id=\"%s-l%d\" bandwidth=\"%s\" latency=\"%s\""
                    + " sharing_policy=\"%s\"/>\n", id, i, bw(rnd), lat(rnd), policy));
        }
        for (int i = 0; i < hosts; i++) {
            String ctn = link(id + "-l" + i, policies.get(i), "UP");
            sb.append(String.format("    <route src=\"%s-h%d\" dst=\"%s-gw\">%s</route>\n", id, i, id, ctn));
            for (int j = i + 1; j < hosts; j++) {
                sb.append(String.format("    <route src=\"%s-h%d\" dst=\"%s-h%d\">%s%s</route>\n", id, i, id, j, ctn,
                        link(id + "-l" + j, policies.get(j), "DOWN")));
            }
        }
        return sb.append("  </zone>\n").toString();
    }

    static String link(String id, String policy, String direction) {
        return policy.equals("SPLITDUPLEX") ? "<link_ctn id=\"" + id + "\" direction=\"" + direction + "\"/>"
                : "<link_ctn id=\"" + id + "\"/>";
    }

    static String platform(Random rnd, boolean multiZone) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?>\n"
                + "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n");
        if (!multiZone) {
            sb.append("<zone id=\"root\" routing=\"Full\">\n").append(cluster(rnd, "c0", 2 + rnd.nextInt(12)));
            return sb.append("</zone>\n</platform>\n").toString();
        }
        sb.append("<zone id=\"root\" routing=\"Full\">\n");
        sb.append(cluster(rnd, "c0", 2 + rnd.nextInt(6)));
        sb.append(cluster(rnd, "c1", 2 + rnd.nextInt(6)));
        sb.append(fullZone(rnd, "z2", 2 + rnd.nextInt(3)));
        String[][] gw = {{"c0", "c0-router"}, {"c1", "c1-router"}, {"z2", "z2-gw"}};
        int n = 0;
        StringBuilder routes = new StringBuilder(); // SimGrid's DTD wants every link before the routes
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                String policy = rnd.nextBoolean() ? "SHARED" : POLICIES[rnd.nextInt(3)];
                sb.append(String.format(Locale.ROOT, "  <link id=\"inter%d\" bandwidth=\"%s\" latency=\"%s\""
                        + " sharing_policy=\"%s\"/>\n", n, bw(rnd), lat(rnd), policy));
                routes.append(String.format("  <zoneRoute src=\"%s\" dst=\"%s\" gw_src=\"%s\" gw_dst=\"%s\">%s"
                        + "</zoneRoute>\n", gw[i][0], gw[j][0], gw[i][1], gw[j][1], link("inter" + n, policy, "UP")));
                n++;
            }
        }
        return sb.append(routes).append("</zone>\n</platform>\n").toString();
    }

    static List<Job> jobs(Random rnd, List<String> hosts, int count) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double start = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1000) * 1e-3;
            String a = hosts.get(rnd.nextInt(hosts.size()));
            if (rnd.nextInt(5) == 0) {
                jobs.add(new Job(false, a, null, (1 + rnd.nextInt(5_000)) * 1e6, start));
            } else {
                // one flow in ten stays on its host (loopback)
                String b = rnd.nextInt(10) == 0 ? a : hosts.get(rnd.nextInt(hosts.size()));
                jobs.add(new Job(true, a, b, 1 + rnd.nextInt(20_000_000), start));
            }
        }
        return jobs;
    }

    void runCases(String kind, boolean multiZone, int cases, long seed) throws Exception {
        Random rnd = new Random(seed);
        int activities = 0;
        for (int c = 0; c < cases; c++) {
            Path xml = dir.resolve(kind + c + ".xml");
            Files.writeString(xml, platform(rnd, multiZone));
            Platform platform = PlatformLoader.load(xml);
            Map<String, String> cfg = new LinkedHashMap<>(SimGridDifferentialTest.randomConfig(rnd));
            List<String> names = platform.hosts().stream().map(Host::name).toList();
            List<Job> jobs = jobs(rnd, names, 5 + rnd.nextInt(30));
            double[] simgrid = SimGridOracle.run(xml, SimGridDifferentialTest.cfgArgs(cfg), jobs);
            double[] ours = SimGridDifferentialTest.simulate(platform, ModelConfig.from(cfg), jobs);
            SimGridDifferentialTest.assertAgree(kind + " case " + c + " " + cfg + " " + xml + "\n"
                    + Files.readString(xml), ours, simgrid);
            activities += jobs.size();
        }
        System.out.printf("differential %s: %d cases, %d activities, max relative error so far %.3g%n", kind,
                cases, activities, SimGridDifferentialTest.worst);
    }

    @Test
    void examplePlatformsAgreeWithSimGrid() throws Exception {
        // the parser's hand-written examples: limiter links, cluster loopbacks, Dijkstra/Floyd zones
        Random rnd = new Random(7);
        int activities = 0;
        List<Path> files = new java.util.ArrayList<>();
        // SimGrid's own small_platform.xml is read from shared/ beside the repository, not copied here.
        Path small = Path.of(System.getProperty("simterpose.root", ".."))
                .resolve("../shared/simgrid-platforms/small_platform.xml").normalize();
        if (java.nio.file.Files.isRegularFile(small)) {
            files.add(small);
        }
        for (String name : List.of("cluster-backbone", "cluster-limiter-loopback", "zones-mixed")) {
            files.add(Path.of("src/test/resources/platforms/" + name + ".xml").toAbsolutePath());
        }
        for (Path xml : files) {
            String name = xml.getFileName().toString();
            Platform platform = PlatformLoader.load(xml);
            List<String> names = platform.hosts().stream().map(Host::name).toList();
            for (int c = 0; c < 3; c++) {
                Map<String, String> cfg = SimGridDifferentialTest.randomConfig(rnd);
                List<Job> jobs = jobs(rnd, names, 5 + rnd.nextInt(30));
                double[] simgrid = SimGridOracle.run(xml, SimGridDifferentialTest.cfgArgs(cfg), jobs);
                double[] ours = SimGridDifferentialTest.simulate(platform,
                        ModelConfig.resolve(platform.config(), cfg), jobs);
                SimGridDifferentialTest.assertAgree(name + " " + cfg, ours, simgrid);
                activities += jobs.size();
            }
        }
        System.out.printf("differential examples: %d platforms, %d activities, max relative error so far %.3g%n",
                files.size(), activities, SimGridDifferentialTest.worst);
    }

    @Test
    void clustersWithBackbonesAgreeWithSimGrid() throws Exception {
        runCases("cluster", false, 12, 42);
    }

    @Test
    void aBusyClusterAgreesWithSimGrid() throws Exception {
        // many constraints, few changes per solver round: exercises the solver's incremental heap
        Random rnd = new Random(99);
        Path xml = dir.resolve("busy.xml");
        Files.writeString(xml, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n<zone id=\"root\" routing=\"Full\">\n"
                + "  <cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-199\" speed=\"1Gf\" bw=\"125MBps\""
                + " lat=\"50us\" sharing_policy=\"SPLITDUPLEX\" bb_bw=\"2.25GBps\" bb_lat=\"500us\"/>\n"
                + "</zone>\n</platform>\n");
        Platform platform = PlatformLoader.load(xml);
        List<String> names = platform.hosts().stream().map(Host::name).toList();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String a = names.get(rnd.nextInt(names.size()));
            String b = names.get(rnd.nextInt(names.size()));
            jobs.add(new Job(true, a, b, 100_000 + rnd.nextInt(10_000_000), i * 0.002));
        }
        for (String model : List.of("LV08", "CM02")) {
            Map<String, String> cfg = Map.of("network/model", model);
            double[] simgrid = SimGridOracle.run(xml, SimGridDifferentialTest.cfgArgs(cfg), jobs);
            double[] ours = SimGridDifferentialTest.simulate(platform, ModelConfig.from(cfg), jobs);
            SimGridDifferentialTest.assertAgree("busy cluster " + model, ours, simgrid);
        }
        System.out.printf("differential busy cluster: 2 cases, 800 activities, max relative error so far %.3g%n",
                SimGridDifferentialTest.worst);
    }

    @Test
    void multiZonePlatformsAgreeWithSimGrid() throws Exception {
        runCases("multizone", true, 12, 4242);
    }
}
