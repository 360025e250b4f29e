package simterpose.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/** Test support: a platform + deployment written to a directory, emulated, and the actors' RESULT lines read back. */
record Emulation(Path dir, Emulator.Result result) {

    static Path app(String name) {
        String d = System.getProperty("simterpose.testapps");
        Path p = d != null ? Path.of(d, name) : Path.of("..", "testapps", "target", "bin", name).toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test app missing: " + p + " (build the testapps module)");
        }
        return p;
    }

    /** Two hosts, client (10.0.0.1) and server (10.0.0.2), joined by one link. */
    static String twoHosts(String bandwidth, String latency, String sharing) {
        return """
                <zone id="world" routing="Full">
                  <host id="client" speed="1Gf"/>
                  <host id="server" speed="1Gf"/>
                  <link id="wire" bandwidth="%s" latency="%s" sharing_policy="%s"/>
                  <route src="client" dst="server"><link_ctn id="wire"/></route>
                </zone>
                """.formatted(bandwidth, latency, sharing);
    }

    /**
     * How long a server may wait for its clients: on a busy machine a client started shortly after
     * its server may find no listener yet and fail, and the server, killed then, does not hold
     * the test forever (its outcome fails the test's assertions, and {@link Attempts} runs it again).
     */
    static final double SERVER_KILL_TIME = 30;

    static String actor(String host, double start, String program, String... args) {
        return actor(host, start, -1, program, args);
    }

    /** A server started at 0 and killed at {@link #SERVER_KILL_TIME} if it has not ended by then. */
    static String server(String host, String program, String... args) {
        return actor(host, 0, SERVER_KILL_TIME, program, args);
    }

    private static String actor(String host, double start, double kill, String program, String... args) {
        StringBuilder sb = new StringBuilder("<actor host=\"" + host + "\" function=\"" + program + "\" start_time=\"" + start
                + "\"" + (kill < 0 ? "" : " kill_time=\"" + kill + "\"") + ">");
        for (String a : args) {
            sb.append("<argument value=\"").append(a.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;"))
                    .append("\"/>");
        }
        return sb.append("</actor>\n").toString();
    }

    static Emulation run(Path dir, String zone, String actors, Path strace) throws IOException {
        return run(dir, zone, actors, strace, LinkQueueDiscipline.DROP_TAIL);
    }

    static Emulation run(Path dir, String zone, String actors, Path strace, LinkQueueDiscipline linkQueue)
            throws IOException {
        String xml = "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                + "<platform version=\"4.1\">\n" + zone + actors + "</platform>\n";
        Path file = dir.resolve("platform.xml");
        Files.writeString(file, xml);
        Platform platform = PlatformLoader.load(file);
        Emulator.Result result = Emulator.run(platform, platform.deployment().validate(platform),
                new EmulateOptions(dir.resolve("out"), strace, linkQueue));
        return new Emulation(dir, result);
    }

    RunReport.ActorReport actor(int index) {
        return result.report().actors().get(index);
    }

    /** The key=value pairs of every "RESULT" line actor {@code index} printed. */
    List<Map<String, String>> results(int index) throws IOException {
        List<Map<String, String>> all = new ArrayList<>();
        for (String line : Files.readAllLines(actor(index).stdout(), StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> m = new LinkedHashMap<>();
                for (String kv : line.substring(7).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                all.add(m);
            }
        }
        return all;
    }

    static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }
}
