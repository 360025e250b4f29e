package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.Route;
import simterpose.simulator.platform.SharingPolicy;

class PredictCommandTest {
    @TempDir
    Path dir;

    /** Two hosts, one 1 MB/s 10 ms SHARED link; <config> asks for CM02. */
    static final class TwoHosts implements Platform {
        final Host a = new Host("a", List.of(1e9), 2, Map.of());
        final Host b = new Host("b", List.of(1e9), 1, Map.of());
        final Link l = new Link("l", 1e6, 0.01, SharingPolicy.SHARED);

        @Override public Collection<Host> hosts() { return List.of(a, b); }

        @Override public Optional<Host> host(String name) {
            return hosts().stream().filter(h -> h.name().equals(name)).findFirst();
        }

        @Override public Collection<Link> links() { return List.of(l); }

        @Override public Route route(Host src, Host dst) {
            if (src.equals(dst)) {
                return new Route(src, dst, List.of());
            }
            return new Route(src, dst, List.of(l));
        }

        @Override public Map<String, String> config() { return Map.of("network/model", "CM02"); }
    }

    record Result(int exit, String out, String err) {}

    static Result predict(String... args) {
        PredictCommand cmd = new PredictCommand(file -> {
            if (file.toString().equals("missing.xml")) {
                throw new PlatformException("missing.xml", 0, 0, "no such file");
            }
            return new TwoHosts();
        });
        CommandLine cli = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError) {
                c.getErr().println("simterpose: " + ex.getMessage());
                return Main.EXIT_USAGE;
            }
            throw ex;
        });
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void printsOneJsonObjectPerActivityInInputOrder() {
        Result r = predict("p.xml", "--exec", "a:1Gf@0.5", "--flow", "a:b:1MB", "--exec", "a:1e9@500ms",
                "--exec", "a:1e9@0.5");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "{\"kind\":\"exec\",\"host\":\"a\",\"flops\":1000000000,\"start\":0.5,\"finish\":2}",
                // CM02 from the platform's <config>: 10 ms, then 1e6 B at 1e6/1.05 (cross-traffic)
                "{\"kind\":\"flow\",\"src\":\"a\",\"dst\":\"b\",\"bytes\":1000000,\"start\":0,\"finish\":1.06}",
                "{\"kind\":\"exec\",\"host\":\"a\",\"flops\":1000000000,\"start\":0.5,\"finish\":2}",
                "{\"kind\":\"exec\",\"host\":\"a\",\"flops\":1000000000,\"start\":0.5,\"finish\":2}");
    }

    @Test
    void commandLineConfigOverridesThePlatformConfig() {
        Result r = predict("p.xml", "--cfg=network/crosstraffic:no", "--flow", "a:b:1000000");
        assertThat(r.out()).contains("\"finish\":1.01}");
        Result lv08 = predict("p.xml", "--cfg=network/model:LV08", "--flow", "a:b:1000000");
        String finish = lv08.out().strip().replaceAll(".*\"finish\":([^}]*)}", "$1");
        assertThat(Double.parseDouble(finish)).isCloseTo(13.01 * 0.01 + 1e6 / (0.97 * 1e6 / 1.05),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void flowsFileLinesJoinTheCommandLineActivities() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.writeString(file, "# two flows\nflow a:b:1MiB@1\n\nexec b:2Gf\n");
        Result r = predict("p.xml", "--flow", "b:a:1kB", "--flows-file", file.toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"src\":\"b\"", "\"bytes\":1000,");
        assertThat(lines.get(1)).contains("\"bytes\":1048576,", "\"start\":1,");
        assertThat(lines.get(2)).contains("\"kind\":\"exec\"", "\"finish\":2}");
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        assertThat(predict("p.xml", "--flow", "a:nowhere:10")).isEqualTo(new Result(2, "",
                "simterpose: --flow a:nowhere:10: unknown host 'nowhere'" + System.lineSeparator()));
        assertThat(predict("p.xml", "--flow", "a:b:10parsecs").err())
                .isEqualTo("simterpose: --flow a:b:10parsecs: '10parsecs' is not a size in bytes (e.g. 1000, 1MB, 4KiB)"
                        + System.lineSeparator());
        assertThat(predict("p.xml", "--exec", "a").err()).startsWith("simterpose: --exec a: expected HOST:FLOPS");
        assertThat(predict("p.xml", "--cfg=network/model:Vegas").err())
                .startsWith("simterpose: --cfg: network/model: 'Vegas' is not supported");
        assertThat(predict("p.xml", "--cfg=network/model:TCP", "--flow", "a:b:10")).isEqualTo(new Result(2, "",
                "simterpose: network/model: 'TCP' is run's model of TCP connections; predict computes SimGrid's flows"
                        + " (LV08, its default, or CM02)" + System.lineSeparator()));
        assertThat(predict("p.xml", "--cfg=bogus").err()).startsWith("simterpose: --cfg=bogus: expected KEY:VALUE");
        assertThat(predict("missing.xml").err()).isEqualTo("simterpose: missing.xml: no such file"
                + System.lineSeparator());
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "flow a:b:1\nsend a b\n");
        Result r = predict("p.xml", "--flows-file", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("simterpose: " + file + ":2: expected 'flow");
    }
}
