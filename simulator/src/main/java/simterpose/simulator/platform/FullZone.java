package simterpose.simulator.platform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Routing "Full": every route is declared; a base zone's hosts get the model's loopback unless declared. */
final class FullZone extends Zone {
    private final Map<Long, LocalRoute> table = new HashMap<>();

    FullZone(String name, Zone parent, Location location) {
        super(name, parent, location);
    }

    @Override
    String routing() {
        return "Full";
    }

    @Override
    void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links, boolean symmetrical)
            throws RoutingError {
        checkRoute(src, dst, gwSrc, gwDst, links);
        if (table.containsKey(key(src.id, dst.id))) {
            throw new RoutingError("the route between '" + src.name + "' and '" + dst.name
                    + "' already exists (routes are symmetrical by default)");
        }
        table.put(key(src.id, dst.id), new LocalRoute(resolve(links, false), gwSrc, gwDst));
        if (symmetrical && src != dst) {
            if (table.containsKey(key(dst.id, src.id))) {
                throw new RoutingError("the route between '" + dst.name + "' and '" + src.name
                        + "' already exists: do not declare the reverse of a symmetrical route (or say symmetrical=\"NO\")");
            }
            table.put(key(dst.id, src.id), new LocalRoute(resolve(links, true), gwDst, gwSrc));
        }
    }

    @Override
    void seal(Link loopback) {
        if (!recursive) {
            for (NetPoint p : vertices) {
                table.putIfAbsent(key(p.id, p.id), new LocalRoute(List.of(loopback), null, null));
            }
        }
    }

    @Override
    LocalRoute localRoute(NetPoint src, NetPoint dst) {
        return table.get(key(src.id, dst.id));
    }
}
