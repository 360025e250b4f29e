package simterpose.simulator.platform;

import java.util.List;
import java.util.Map;

/**
 * A simulated machine.
 *
 * @param name         unique host id
 * @param pstateSpeeds speed of each power state in flop/s; the first is the one in use
 * @param cores        number of cores (CPU capacity = cores × speed, one execution ≤ one core)
 * @param properties   {@code <prop>} children, e.g. {@code ip}
 */
public record Host(String name, List<Double> pstateSpeeds, int cores, Map<String, String> properties) {
    public Host {
        pstateSpeeds = List.copyOf(pstateSpeeds);
        properties = Map.copyOf(properties);
    }

    /**
     * Record equality, with the common case first: a platform has one object per host, and
     * hosts key the maps the simulation consults on every segment it sends.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Host h && name.equals(h.name) && cores == h.cores
                && pstateSpeeds.equals(h.pstateSpeeds) && properties.equals(h.properties);
    }

    /** The name's hash: equal hosts have equal names, and it does not walk the property map. */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Speed of one core in the current (first) power state, flop/s. */
    public double speed() {
        return pstateSpeeds.getFirst();
    }
}
