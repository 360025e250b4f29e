package simterpose.cli;

import static simterpose.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCommandTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("simterpose.root", ".."), "examples");



    @Test
    void checkOfAnEndlessFileStopsAtTheSizeBoundInBoundedTime() {
        long start = System.nanoTime();
        CliRun.Result r = run("platform", "check", "/dev/zero");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("simterpose: /dev/zero: larger than 64 MiB: not a platform or deployment file");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void checkOfAPlatformWithoutRoutesLoadsItAndNamesTheFirstMissingRoute(@TempDir Path dir) throws Exception {
        Path cpuOnly = Files.writeString(dir.resolve("cpu.xml"), """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <zone id="z" routing="Full">
                    <host id="a" speed="1Gf"/><host id="b" speed="1Gf"/>
                  </zone>
                </platform>
                """);
        CliRun.Result r = run("platform", "check", cpuOnly.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(cpuOnly + ": ok: 2 hosts, 1 links, 1 zones, 0 routers, some host pairs have no route "
                + "(a connection between them fails with ENETUNREACH), first at " + cpuOnly + ":3:31: missing route: no route from 'a' to 'b' in zone 'z', 0 actors");
    }

    @Test
    void checkSummarisesEachExamplePlatform() {
        CliRun.Result r = run("platform", "check", EXAMPLES.resolve("two-hosts.xml").toString(),
                EXAMPLES.resolve("office-and-cluster.xml").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).contains("two-hosts.xml: ok: 2 hosts, 2 links, 1 zones, 0 routers, all 4 host pairs routed");
        assertThat(r.out()).contains("office-and-cluster.xml: ok: 6 hosts, 15 links, 3 zones, 2 routers, all 36 host pairs routed");
    }

    @Test
    void checkOfABadFileIsOneLocatedLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <zone id="z" routing="Full">
                    <host id="a" speed="1Gf"/>
                    <link id="l" bandwidth="10 MBps"/>
                  </zone>
                </platform>
                """);
        CliRun.Result r = run("platform", "check", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                "simterpose: " + bad + ":5:39: bandwidth of link l: unknown unit ' MBps' in '10 MBps': expected a bandwidth (e.g. 125MBps, 1Gbps, 10KiBps)");
    }

    @Test
    void routePrintsLinksLatencyAndBottleneck() {
        CliRun.Result r = run("platform", "route", EXAMPLES.resolve("office-and-cluster.xml").toString(), "bob", "node-1");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "route bob -> node-1: 5 links",
                "  lb_UP             50000000 B/s  0.002 s  SHARED",
                "  lg              1000000000 B/s  0.0001 s  SHARED",
                "  wan               10000000 B/s  0.02 s  SHARED",
                "  dc_backbone     1000000000 B/s  0.00001 s  SHARED",
                "  dc_link_1_DOWN   125000000 B/s  0.00005 s  SHARED",
                "latency 0.02216 s",
                "bottleneck 10000000 B/s");
    }

    @Test
    void routeBetweenUnknownHostsIsAUserError() {
        CliRun.Result r = run("platform", "route", EXAMPLES.resolve("two-hosts.xml").toString(), "client", "mars");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("simterpose: " + EXAMPLES.resolve("two-hosts.xml") + ": unknown host 'mars'\n");
    }

    @Test
    void missingFileIsAUserError() {
        CliRun.Result r = run("platform", "check", "/nonexistent/p.xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("simterpose: /nonexistent/p.xml: no such file\n");
    }
}
