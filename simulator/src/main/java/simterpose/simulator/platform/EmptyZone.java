package simterpose.simulator.platform;

import java.util.List;

/** Routing "None": no route at all (SimGrid's EmptyZone). */
final class EmptyZone extends Zone {
    EmptyZone(String name, Zone parent, Location location) {
        super(name, parent, location);
    }

    @Override
    String routing() {
        return "None";
    }

    @Override
    void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links, boolean symmetrical)
            throws RoutingError {
        throw new RoutingError("zone '" + name + "' has routing=\"None\": it cannot hold routes");
    }

    @Override
    void seal(Link loopback) {}

    @Override
    LocalRoute localRoute(NetPoint src, NetPoint dst) {
        return null;
    }
}
