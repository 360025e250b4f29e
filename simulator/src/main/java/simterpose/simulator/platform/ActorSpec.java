package simterpose.simulator.platform;

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
}
