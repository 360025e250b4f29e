package simterpose.simulator.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs SimGrid 3.32 itself (simulator/src/test/python/simgrid_oracle.py under Debian's
 * /usr/bin/python3) on a platform file and a list of activities; returns the finish times.
 */
public final class SimGridOracle {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /** One activity to run: a flow (src, dst, amount = bytes) or an exec (src = host, amount = flops). */
    public record Job(boolean flow, String src, String dst, double amount, double start) {
        String toJson() {
            return flow
                    ? String.format(Locale.ROOT, "{\"kind\":\"flow\",\"src\":\"%s\",\"dst\":\"%s\",\"bytes\":%.0f,"
                            + "\"start\":%s}", src, dst, amount, Double.toString(start))
                    : String.format(Locale.ROOT, "{\"kind\":\"exec\",\"host\":\"%s\",\"flops\":%s,\"start\":%s}",
                            src, Double.toString(amount), Double.toString(start));
        }
    }

    public static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import simgrid").redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static Path script() {
        Path here = Path.of("src/test/python/simgrid_oracle.py");
        if (Files.exists(here)) {
            return here.toAbsolutePath();
        }
        return Path.of("simulator/src/test/python/simgrid_oracle.py").toAbsolutePath();
    }

    /** Finish times, in job order. */
    public static double[] run(Path platform, List<String> cfg, List<Job> jobs) throws IOException,
            InterruptedException {
        StringBuilder json = new StringBuilder("{\"platform\":\"").append(platform.toAbsolutePath())
                .append("\",\"cfg\":[");
        for (int i = 0; i < cfg.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(cfg.get(i)).append('"');
        }
        json.append("],\"activities\":[");
        for (int i = 0; i < jobs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(jobs.get(i).toJson());
        }
        json.append("]}");
        Path errors = Files.createTempFile("simgrid-oracle", ".err");
        Process p = new ProcessBuilder(PYTHON.toString(), script().toString())
                .redirectError(errors.toFile()).start();
        p.getOutputStream().write(json.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String err = Files.readString(errors);
            throw new IOException("SimGrid oracle failed (exit " + p.exitValue() + ") on " + platform + ": " + out
                    + err.substring(Math.max(0, err.length() - 2000)));
        }
        Files.deleteIfExists(errors);
        List<Double> times = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            times.add(Double.parseDouble(line.strip()));
        }
        if (times.size() != jobs.size()) {
            throw new IOException("oracle printed " + times.size() + " times for " + jobs.size() + " jobs");
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private SimGridOracle() {}
}
