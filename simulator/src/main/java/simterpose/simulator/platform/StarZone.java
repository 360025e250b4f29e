package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * A flat cluster (SimGrid's StarZone): each vertex has the links from it up to the centre and
 * from the centre down to it, and maybe a loopback. A route is up(src) then down(dst), each link
 * once (so a shared private link or the backbone is not counted twice). Nothing is
 * precomputed per pair, which keeps 100 000-host clusters cheap.
 */
final class StarZone extends Zone {
    private static final Link[] NONE = new Link[0];

    private final ArrayList<Link[]> up = new ArrayList<>();
    private final ArrayList<Link[]> down = new ArrayList<>();
    private final ArrayList<Link[]> loopback = new ArrayList<>();

    StarZone(String name, Zone parent, Location location) {
        super(name, parent, location);
    }

    @Override
    String routing() {
        return "Cluster";
    }

    @Override
    NetPoint addVertex(String pointName, NetPoint.Kind kind, Host host, Zone zone, Location where) {
        up.add(null);
        down.add(null);
        loopback.add(null);
        return super.addVertex(pointName, kind, host, zone, where);
    }

    /** The cluster's route of a vertex "to everyone", symmetrical: down is up reversed with directions swapped. */
    void setStar(NetPoint point, Link[] upLinks, Link[] downLinks) {
        up.set(point.id, upLinks);
        down.set(point.id, downLinks);
    }

    void setLoopback(NetPoint point, Link[] links) {
        loopback.set(point.id, links);
    }

    void reserve(int points) {
        up.ensureCapacity(points);
        down.ensureCapacity(points);
        loopback.ensureCapacity(points);
        vertices.ensureCapacity(points);
    }

    /** True when every vertex can reach every other one. */
    boolean complete() {
        for (int i = 0; i < vertices.size(); i++) {
            if (up.get(i) == null || down.get(i) == null) {
                return false;
            }
        }
        return true;
    }

    /** First vertex without a route up or down, or null. */
    NetPoint firstUnrouted() {
        for (int i = 0; i < vertices.size(); i++) {
            if (up.get(i) == null || down.get(i) == null) {
                return vertices.get(i);
            }
        }
        return null;
    }

    @Override
    void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links, boolean symmetrical)
            throws RoutingError {
        if (src != dst) {
            throw new RoutingError("in zone '" + name + "' (routing=\"Cluster\") a <route> can only be a loopback"
                    + " (src equal to dst), not from '" + src.name + "' to '" + dst.name + "'");
        }
        if (src.englobing != this) {
            throw new RoutingError("'" + src.name + "' is not directly in zone '" + name + "'");
        }
        setLoopback(src, resolve(links, false).toArray(NONE));
    }

    @Override
    void seal(Link modelLoopback) {}

    @Override
    LocalRoute localRoute(NetPoint src, NetPoint dst) {
        if (src == dst && loopback.get(src.id) != null) {
            return new LocalRoute(List.of(loopback.get(src.id)), null, null);
        }
        Link[] u = up.get(src.id);
        Link[] d = down.get(dst.id);
        if (u == null || d == null) {
            return null;
        }
        List<Link> links = new ArrayList<>(u.length + d.length);
        for (Link l : u) {
            addOnce(links, l);
        }
        for (Link l : d) {
            addOnce(links, l);
        }
        return new LocalRoute(links, null, null);
    }

    private static void addOnce(List<Link> links, Link link) {
        for (Link l : links) {
            if (l == link) {
                return;
            }
        }
        links.add(link);
    }
}
