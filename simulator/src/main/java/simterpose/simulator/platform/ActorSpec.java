package simterpose.simulator.platform;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code <actor>} (alias {@code <process>}) of a deployment.
 *
 * @param host       name of the host it runs on
 * @param function   the function (for simterpose: the program) it runs
 * @param args       {@code <argument value=>} children, in order
 * @param startTime  seconds; negative = at time 0 (SimGrid's default -1)
 * @param killTime   seconds; negative = never killed (SimGrid's default -1)
 * @param properties {@code <prop>} children
 * @param location   where it is declared, for errors
 */
public record ActorSpec(String host, String function, List<String> args, double startTime, double killTime,
                        Map<String, String> properties, Location location) {
    public ActorSpec {
        args = List.copyOf(args);
        properties = Map.copyOf(properties);
    }

    /**
     * The environment its program gets: {@code base} (the tool's own) plus the NAME=VALUE pairs,
     * separated by spaces, of its {@code env} prop; a pair without a name is a located error.
     */
    public Map<String, String> environment(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        String extra = properties.get("env");
        if (extra != null && !extra.isBlank()) {
            for (String pair : extra.strip().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw location.error("actor '" + function + "': prop env expects NAME=VALUE pairs separated by spaces, got '"
                            + pair + "'");
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    /** The directory its program runs in: its {@code cwd} prop (against the tool's directory), or the tool's directory. */
    public Path directory() {
        return Path.of(properties.getOrDefault("cwd", "")).toAbsolutePath();
    }
}
