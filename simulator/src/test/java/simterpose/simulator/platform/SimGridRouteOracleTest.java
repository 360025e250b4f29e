package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test against SimGrid 3.32 itself (Debian's python3-simgrid, which loads only in
 * /usr/bin/python3): for every host pair, our route must list the same links in the same order.
 * Skipped where SimGrid is not installed.
 */
class SimGridRouteOracleTest {
    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void simgridIsInstalled() throws Exception {
        boolean ok = Files.isExecutable(Path.of(PYTHON));
        if (ok) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import simgrid").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        assumeTrue(ok, "SimGrid's Python bindings (python3-simgrid) are not installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_platform.xml", "zones-mixed.xml", "cluster-limiter-loopback.xml", "cluster-backbone.xml"})
    void everyHostPairHasSimGridsLinks(String name) throws Exception {
        Path file = Platforms.resource(name);
        List<String> expected = simgridRoutes(file);
        Platform platform = PlatformLoader.load(file);
        assertThat(ourRoutes(platform)).containsExactlyElementsOf(expected);
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 40);
    }

    /** Random Full/Floyd/Dijkstra zones, clusters and gateways (see {@link RandomPlatforms}). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void generatedPlatformsRouteLikeSimGrid(long seed, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("generated-" + seed + ".xml");
        Files.writeString(file, RandomPlatforms.generate(seed));
        List<String> expected = simgridRoutes(file);
        Platform platform = PlatformLoader.load(file);
        assertThat(ourRoutes(platform)).as(Files.readString(file)).containsExactlyElementsOf(expected);
    }

    /** One line per ordered host pair, hosts sorted by name as SimGrid lists them. */
    private static List<String> ourRoutes(Platform platform) {
        List<String> actual = new ArrayList<>();
        List<Host> hosts = platform.hosts().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        for (Host a : hosts) {
            for (Host b : hosts) {
                actual.add((a.name() + " " + b.name() + " " + String.join(" ", Platforms.names(platform.route(a, b)))).strip());
            }
        }
        return actual;
    }

    private static List<String> simgridRoutes(Path platform) throws IOException, InterruptedException {
        Path script = Path.of(Platforms.class.getResource("/oracle/simgrid_routes.py").getPath());
        Process p = new ProcessBuilder(PYTHON, script.toString(), platform.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }
}
