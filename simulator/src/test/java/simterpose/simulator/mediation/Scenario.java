package simterpose.simulator.mediation;

import simterpose.simulator.mediation.run.Runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/**
 * Two hosts (alice 10.0.0.1, bob 10.0.0.2) joined by one link, plus the actors a test deploys;
 * runs them under the simulation and reads what the programs printed.
 */
final class Scenario {
    final String model;
    final String bandwidth;
    final String latency;
    private final List<String> actors = new ArrayList<>();
    final Path dir;

    Scenario(Path dir, String model, String bandwidth, String latency) {
        this.dir = dir;
        this.model = model;
        this.bandwidth = bandwidth;
        this.latency = latency;
    }

    static String app(String name) {
        String d = System.getProperty("simterpose.testapps");
        Path p = d != null ? Path.of(d, name) : Path.of("..", "testapps", "target", "bin", name).toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test app missing: " + p + " (build the testapps module)");
        }
        return p.toString();
    }

    Scenario actor(String host, String program, double start, String... args) {
        return actor(host, program, start, -1, args);
    }

    Scenario actor(String host, String program, double start, double kill, String... args) {
        return actor(host, program, start, kill, Map.of(), args);
    }

    /** An actor with {@code <prop>}s (env, cwd, stdin), in the map's order. */
    Scenario actor(String host, String program, Map<String, String> props, String... args) {
        return actor(host, program, 0, -1, props, args);
    }

    private Scenario actor(String host, String program, double start, double kill, Map<String, String> props, String... args) {
        StringBuilder sb = new StringBuilder("    <actor host=\"" + host + "\" function=\"" + program + "\"");
        if (start > 0) {
            sb.append(" start_time=\"").append(start).append('"');
        }
        if (kill >= 0) {
            sb.append(" kill_time=\"").append(kill).append('"');
        }
        sb.append(">\n");
        for (String a : args) {
            sb.append("      <argument value=\"").append(a).append("\"/>\n");
        }
        props.forEach((id, value) -> sb.append("      <prop id=\"").append(id).append("\" value=\"").append(value).append("\"/>\n"));
        actors.add(sb.append("    </actor>\n").toString());
        return this;
    }

    String xml() {
        return "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n"
                + "  <config><prop id=\"network/model\" value=\"" + model + "\"/></config>\n"
                + "  <zone id=\"world\" routing=\"Full\">\n"
                + "    <host id=\"alice\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.1\"/></host>\n"
                + "    <host id=\"bob\" speed=\"1Gf\"><prop id=\"ip\" value=\"10.0.0.2\"/></host>\n"
                + "    <link id=\"wire\" bandwidth=\"" + bandwidth + "\" latency=\"" + latency + "\"/>\n"
                + "    <route src=\"alice\" dst=\"bob\"><link_ctn id=\"wire\"/></route>\n"
                + "  </zone>\n"
                + String.join("", actors)
                + "</platform>\n";
    }

    Platform platform() {
        try {
            Path file = dir.resolve("platform.xml");
            Files.writeString(file, xml());
            return PlatformLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The mediation the scenarios run under: full, or address with
     * {@code -Dsimterpose.test.mediation=address} (to run a test class in both modes).
     */
    static final RunOptions.Mediation MEDIATION =
            RunOptions.Mediation.valueOf(System.getProperty("simterpose.test.mediation", "full").toUpperCase(java.util.Locale.ROOT));

    static RunOptions options(Path out) {
        return new RunOptions(out, RunOptions.CpuMode.NONE, Double.NaN, 1, RunOptions.DEFAULT_EPOCH, Map.of(), false,
                RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO).withMediation(MEDIATION);
    }

    /** Runs with CPU model none; also asserts that no process of the run is left. */
    RunReport run(RunListener listener) {
        return run(options(dir.resolve("out")), listener);
    }

    /** Runs with {@code options}; also asserts that no process of the run is left. */
    RunReport run(RunOptions options, RunListener listener) {
        Platform p = platform();
        RunReport r = Runner.run(p, p.deployment(), options, listener);
        assertNoneLeft(r);
        return r;
    }

    RunReport run() {
        return run(new RunListener() {});
    }

    static void assertNoneLeft(RunReport r) {
        for (RunReport.ActorReport a : r.actors()) {
            if (a.pid() > 0) {
                assertThat(alive(a.pid())).as("process %d of %s left behind", a.pid(), a.name()).isFalse();
            }
        }
    }

    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when a process named {@code comm} that its PID namespace calls {@code visiblePid} (the
     * last number of its NSpid line: what it printed as its pid under a run) is alive on this machine.
     */
    static boolean aliveNamed(String comm, int visiblePid) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    List<String> status = Files.readAllLines(p.resolve("status"));
                    String nspid = status.stream().filter(l -> l.startsWith("NSpid:")).findFirst().orElse("NSpid: 0");
                    String[] ids = nspid.substring(6).strip().split("\\s+");
                    return status.getFirst().equals("Name:\t" + comm) && ids.length > 1
                            && Integer.parseInt(ids[ids.length - 1]) == visiblePid
                            && alive(Integer.parseInt(p.getFileName().toString()));
                } catch (IOException e) {
                    return false; // gone meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key=value pairs of every RESULT line an actor printed, in order. */
    static List<Map<String, String>> results(RunReport.ActorReport a) {
        return results(a.stdout());
    }

    /** The key=value pairs of every RESULT line in {@code output}, in order. */
    static List<Map<String, String>> results(Path output) {
        List<Map<String, String>> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (line.startsWith("RESULT ")) {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (String kv : line.substring(7).trim().split("\\s+")) {
                        int eq = kv.indexOf('=');
                        m.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    out.add(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
