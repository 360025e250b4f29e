package simterpose.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.SharingPolicy;
import simterpose.simulator.support.SimGridOracle;
import simterpose.simulator.support.SimGridOracle.Job;
import simterpose.simulator.support.TestPlatform;

/**
 * Random platforms and activities, run by us and by SimGrid 3.32: every finish time must agree
 * to 1e-6 relative. Seeded: the same cases every run.
 */
class SimGridDifferentialTest {
    static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @BeforeAll
    static void needSimGrid() {
        assumeTrue(SimGridOracle.available(), "SimGrid's python bindings (/usr/bin/python3, python3-simgrid)");
    }

    /** Largest relative error seen, for the report. */
    static double worst;

    static Map<String, String> randomConfig(Random rnd) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("network/model", rnd.nextBoolean() ? "CM02" : "LV08");
        if (rnd.nextInt(4) == 0) {
            cfg.put("network/crosstraffic", "no");
        }
        if (rnd.nextInt(4) == 0) {
            cfg.put("network/TCP-gamma", Integer.toString(10_000 + rnd.nextInt(1_000_000)));
        }
        return cfg;
    }

    static TestPlatform randomFullZone(Random rnd) {
        TestPlatform p = new TestPlatform();
        int hosts = 2 + rnd.nextInt(6);
        for (int i = 0; i < hosts; i++) {
            p.host("h" + i, (1 + rnd.nextInt(100)) * 1e8, 1 + rnd.nextInt(4));
        }
        List<Link> links = new ArrayList<>();
        int nLinks = 2 + rnd.nextInt(8);
        for (int i = 0; i < nLinks; i++) {
            double bw = (1 + rnd.nextInt(1000)) * 1e5;
            double lat = rnd.nextInt(5) == 0 ? 0 : (1 + rnd.nextInt(500)) * 1e-4;
            SharingPolicy sp = rnd.nextInt(5) == 0 ? SharingPolicy.FATPIPE : SharingPolicy.SHARED;
            links.add(p.link("l" + i, bw, lat, sp));
        }
        // split-duplex pairs: _UP one way, _DOWN the other
        int pairs = rnd.nextInt(3);
        List<Link[]> duplex = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            double bw = (1 + rnd.nextInt(1000)) * 1e5;
            double lat = (1 + rnd.nextInt(500)) * 1e-4;
            duplex.add(new Link[] {p.link("d" + i + "_UP", bw, lat, SharingPolicy.SHARED),
                    p.link("d" + i + "_DOWN", bw, lat, SharingPolicy.SHARED)});
        }
        for (int i = 0; i < hosts; i++) {
            for (int j = i + 1; j < hosts; j++) {
                List<Link> fwd = new ArrayList<>();
                List<Link> back = new ArrayList<>();
                int len = 1 + rnd.nextInt(3);
                for (int k = 0; k < len; k++) {
                    if (!duplex.isEmpty() && rnd.nextInt(3) == 0) {
                        Link[] d = duplex.get(rnd.nextInt(duplex.size()));
                        if (!fwd.contains(d[0])) {
                            fwd.add(d[0]);
                            back.addFirst(d[1]);
                        }
                    } else {
                        Link l = links.get(rnd.nextInt(links.size()));
                        if (!fwd.contains(l)) {
                            fwd.add(l);
                            back.addFirst(l);
                        }
                    }
                }
                if (rnd.nextInt(4) == 0) { // an asymmetric route back
                    back = new ArrayList<>(List.of(links.get(rnd.nextInt(links.size()))));
                }
                p.oneWay("h" + i, "h" + j, fwd.toArray(Link[]::new));
                p.oneWay("h" + j, "h" + i, back.toArray(Link[]::new));
            }
        }
        return p;
    }

    static List<Job> randomJobs(Random rnd, List<String> hosts, int count) {
        List<Job> jobs = new ArrayList<>();
        double[] starts = {0, 0, 0.5, 1.0};
        for (int i = 0; i < count; i++) {
            double start = rnd.nextInt(3) == 0 ? starts[rnd.nextInt(starts.length)] : rnd.nextInt(2000) * 1e-3;
            String a = hosts.get(rnd.nextInt(hosts.size()));
            if (rnd.nextInt(4) == 0) {
                jobs.add(new Job(false, a, null, (1 + rnd.nextInt(10_000)) * 1e6, start));
            } else {
                String b;
                do {
                    b = hosts.get(rnd.nextInt(hosts.size()));
                } while (b.equals(a));
                jobs.add(new Job(true, a, b, 1 + rnd.nextInt(50_000_000), start));
            }
        }
        return jobs;
    }

    /** Our finish times for the jobs, started at their dates like the oracle's actors. */
    static double[] simulate(Platform platform, ModelConfig config, List<Job> jobs) {
        Simulation sim = new Simulation(platform, config);
        Activity[] acts = new Activity[jobs.size()];
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            int index = i;
            Runnable start = () -> {
                Host src = platform.host(j.src()).orElseThrow();
                acts[index] = j.flow() ? sim.startTransfer(src, platform.host(j.dst()).orElseThrow(), j.amount())
                        : sim.startExecution(src, j.amount());
            };
            if (j.start() > 0) {
                sim.at(j.start(), start);
            } else {
                start.run();
            }
        }
        sim.run();
        double[] out = new double[jobs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = acts[i].finishTime();
        }
        return out;
    }

    static void assertAgree(String label, double[] ours, double[] simgrid) {
        for (int i = 0; i < ours.length; i++) {
            double rel = Math.abs(ours[i] - simgrid[i]) / Math.max(Math.abs(simgrid[i]), 1e-12);
            worst = Math.max(worst, rel);
            assertThat(rel).as("%s activity %d: ours %s, SimGrid %s", label, i, ours[i], simgrid[i])
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }

    static List<String> cfgArgs(Map<String, String> cfg) {
        return cfg.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
    }

    @Test
    void randomFullZonesAgreeWithSimGrid() throws Exception {
        Random rnd = new Random(20260322);
        int cases = 24;
        int activities = 0;
        for (int c = 0; c < cases; c++) {
            TestPlatform p = randomFullZone(rnd);
            Map<String, String> cfg = randomConfig(rnd);
            List<String> names = p.hosts().stream().map(Host::name).toList();
            List<Job> jobs = randomJobs(rnd, names, 3 + rnd.nextInt(25));
            Path xml = dir.resolve("full" + c + ".xml");
            Files.writeString(xml, p.toXml());
            double[] simgrid = SimGridOracle.run(xml, cfgArgs(cfg), jobs);
            double[] ours = simulate(p, ModelConfig.from(cfg), jobs);
            assertAgree("case " + c + " " + cfg + " " + xml, ours, simgrid);
            activities += jobs.size();
        }
        System.out.printf("differential Full zones: %d cases, %d activities, max relative error %.3g%n", cases,
                activities, worst);
    }
}
