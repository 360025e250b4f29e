package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A netzone: its vertices (hosts, routers, sub-zones), its local routing rule, and the bypass
 * routes declared in it. Built by one thread while the file is read, then sealed; after sealing
 * it is only read, except the lazily filled per-source tables of {@link DijkstraZone}, which
 * guard themselves.
 *
 * <p>The global route between two points follows SimGrid 3.32's NetZoneImpl: find the common
 * ancestor zone, take a bypass route if one is declared there, else the ancestor's local route
 * between the two sub-zones (which names a gateway in each) and recurse from the source to the
 * first gateway and from the second gateway to the destination.
 */
abstract sealed class Zone permits FullZone, FloydZone, DijkstraZone, StarZone, EmptyZone {
    final String name;
    final Zone parent;
    final int depth;
    final Location location;
    /** This zone as a vertex of its parent (for the root: a vertex of no zone). */
    NetPoint netpoint;
    final ArrayList<NetPoint> vertices = new ArrayList<>();
    final List<Zone> children = new ArrayList<>();
    /** A zone with sub-zones routes between them through gateways ("recursive" in SimGrid). */
    boolean recursive;
    private final Map<List<NetPoint>, Bypass> bypasses = new HashMap<>();

    private record Bypass(List<Link> links, NetPoint gwSrc, NetPoint gwDst) {}

    Zone(String name, Zone parent, Location location) {
        this.name = name;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.location = location;
    }

    /** The routing kind as SimGrid names it, for summaries. */
    abstract String routing();

    NetPoint addVertex(String pointName, NetPoint.Kind kind, Host host, Zone zone, Location where) {
        NetPoint point = new NetPoint(pointName, kind, this, vertices.size(), host, zone, where);
        vertices.add(point);
        if (kind == NetPoint.Kind.ZONE) {
            children.add(zone);
            recursive = true;
        }
        return point;
    }

    /** A {@code <route>} or {@code <zoneRoute>} declared in this zone. */
    abstract void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links,
                           boolean symmetrical) throws RoutingError;

    /** Called once every element of the zone is read; {@code loopback} is the network model's loopback link. */
    abstract void seal(Link loopback) throws RoutingError;

    /** The route between two vertices of this zone, or null if there is none. */
    abstract LocalRoute localRoute(NetPoint src, NetPoint dst) throws RoutingError;

    /** SimGrid's checks common to Full, Floyd and Dijkstra zones (RoutedZone::add_route_check_params). */
    final void checkRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links)
            throws RoutingError {
        if (src.englobing != this) {
            throw new RoutingError("'" + src.name + "' is not directly in zone '" + name + "' (it is in '"
                    + (src.englobing == null ? "nothing" : src.englobing.name) + "'): a route joins two members of the zone it is declared in");
        }
        if (dst.englobing != this) {
            throw new RoutingError("'" + dst.name + "' is not directly in zone '" + name + "' (it is in '"
                    + (dst.englobing == null ? "nothing" : dst.englobing.name) + "'): a route joins two members of the zone it is declared in");
        }
        if (gwSrc == null) {
            if (links.isEmpty()) {
                throw new RoutingError("empty route between '" + src.name + "' and '" + dst.name + "': expected at least one <link_ctn>");
            }
            if (src.isZone() || dst.isZone()) {
                throw new RoutingError("<route> between '" + src.name + "' and '" + dst.name
                        + "' names a zone: use <zoneRoute> with gw_src/gw_dst");
            }
        } else {
            if (!src.isZone() || !dst.isZone()) {
                throw new RoutingError("<zoneRoute> src and dst must be zones, but '" + (!src.isZone() ? src.name : dst.name)
                        + "' is not (use <route> between hosts and routers)");
            }
            if (gwSrc.isZone() || gwDst.isZone()) {
                throw new RoutingError("a gateway must be a host or a router, but '" + (gwSrc.isZone() ? gwSrc.name : gwDst.name)
                        + "' is a zone");
            }
            if (gwSrc == gwDst) {
                throw new RoutingError("cannot define a zone route from gateway '" + gwSrc.name + "' to itself");
            }
            if (links.isEmpty()) {
                throw new RoutingError("empty zone route between '" + src.name + "' and '" + dst.name + "': expected at least one <link_ctn>");
            }
            if (!src.zone.containsRecursively(gwSrc)) {
                throw new RoutingError("gw_src '" + gwSrc.name + "' belongs to zone '" + gwSrc.englobing.name
                        + "', not to '" + src.name + "'");
            }
            if (!dst.zone.containsRecursively(gwDst)) {
                throw new RoutingError("gw_dst '" + gwDst.name + "' belongs to zone '" + gwDst.englobing.name
                        + "', not to '" + dst.name + "'");
            }
        }
    }

    final boolean containsRecursively(NetPoint point) {
        for (Zone z = point.englobing; z != null; z = z.parent) {
            if (z == this) {
                return true;
            }
        }
        return false;
    }

    /** The links of a declared route, forward or (for the reverse of a symmetrical route) backward. */
    static List<Link> resolve(List<LinkUse> uses, boolean backRoute) throws RoutingError {
        List<Link> links = new ArrayList<>(uses.size());
        for (LinkUse use : uses) {
            links.add(use.resolve(backRoute));
        }
        if (backRoute) {
            java.util.Collections.reverse(links);
        }
        return List.copyOf(links);
    }

    void addBypass(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> uses) throws RoutingError {
        String what = gwSrc == null ? "'" + src.name + "' and '" + dst.name + "'"
                : "'" + src.name + "'@'" + gwSrc.name + "' and '" + dst.name + "'@'" + gwDst.name + "'";
        if (uses.isEmpty()) {
            throw new RoutingError("bypass route between " + what + " cannot be empty");
        }
        List<NetPoint> key = List.of(src, dst);
        if (bypasses.containsKey(key)) {
            throw new RoutingError("the bypass route between " + what + " already exists");
        }
        bypasses.put(key, new Bypass(resolve(uses, false), gwSrc, gwDst));
    }

    /** The innermost zone holding both points: where a route between them is declared or missing. */
    static Zone common(NetPoint a, NetPoint b) {
        Zone x = a.englobing;
        Zone y = b.englobing;
        while (x.depth > y.depth) {
            x = x.parent;
        }
        while (y.depth > x.depth) {
            y = y.parent;
        }
        while (x != y) {
            x = x.parent;
            y = y.parent;
        }
        return x;
    }

    /** Appends the global route from {@code src} to {@code dst} (hosts or routers) to {@code out}. */
    static void globalRoute(NetPoint src, NetPoint dst, List<Link> out) throws RoutingError {
        Zone srcZone = src.englobing;
        Zone dstZone = dst.englobing;
        if (srcZone == dstZone) {
            if (srcZone.bypass(src, dst, out)) {
                return;
            }
            LocalRoute local = srcZone.localRoute(src, dst);
            if (local == null || local.links().isEmpty()) {
                throw new RoutingError("no route from '" + src.name + "' to '" + dst.name + "' in zone '" + srcZone.name + "'");
            }
            if (srcZone instanceof DijkstraZone) {
                // SimGrid 3.32's Dijkstra zone inserts its local route at the front of the links
                // gathered so far; the set of links is the same, we keep its order for comparisons.
                out.addAll(0, local.links());
            } else {
                out.addAll(local.links());
            }
            return;
        }
        // Climb to the common ancestor; srcAnc/dstAnc are its children on each side.
        Zone a = srcZone;
        Zone b = dstZone;
        while (a.depth > b.depth) {
            a = a.parent;
        }
        while (b.depth > a.depth) {
            b = b.parent;
        }
        if (a == b) {
            throw new RoutingError("no route from '" + src.name + "' to '" + dst.name
                    + "': one lies in a zone that contains the other");
        }
        Zone srcAnc = srcZone;
        Zone dstAnc = dstZone;
        while (a.parent != b.parent) {
            a = a.parent;
            b = b.parent;
        }
        Zone common = a.parent;
        srcAnc = a;
        dstAnc = b;
        if (common == null) {
            throw new RoutingError("no route from '" + src.name + "' to '" + dst.name + "': their zones have no common ancestor");
        }
        if (common.bypass(src, dst, out)) {
            return;
        }
        LocalRoute local = common.localRoute(srcAnc.netpoint, dstAnc.netpoint);
        if (local == null || local.gwSrc() == null || local.gwDst() == null) {
            throw new RoutingError("no route from '" + src.name + "' to '" + dst.name + "': zone '" + common.name
                    + "' has no zoneRoute from '" + srcAnc.name + "' to '" + dstAnc.name + "'");
        }
        if (src != local.gwSrc()) {
            globalRoute(src, local.gwSrc(), out);
        }
        out.addAll(local.links());
        if (local.gwDst() != dst) {
            globalRoute(local.gwDst(), dst, out);
        }
    }

    /** SimGrid's NetZoneImpl::get_bypass_route: the closest declared bypass, if any. */
    private boolean bypass(NetPoint src, NetPoint dst, List<Link> out) throws RoutingError {
        if (bypasses.isEmpty()) {
            return false;
        }
        if (src.englobing == this && dst.englobing == this) {
            Bypass b = bypasses.get(List.of(src, dst));
            if (b == null) {
                return false;
            }
            out.addAll(b.links());
            return true;
        }
        List<Zone> pathSrc = pathToRoot(src.englobing);
        List<Zone> pathDst = pathToRoot(dst.englobing);
        while (pathSrc.size() > 1 && pathDst.size() > 1 && pathSrc.getLast() == pathDst.getLast()) {
            pathSrc.removeLast();
            pathDst.removeLast();
        }
        Bypass found = null;
        List<NetPoint> key = null;
        int maxIndex = Math.max(pathSrc.size(), pathDst.size());
        search:
        for (int max = 0; max < maxIndex; max++) {
            for (int i = 0; i < max; i++) {
                for (int[] ij : new int[][] {{i, max}, {max, i}}) {
                    if (ij[0] < pathSrc.size() && ij[1] < pathDst.size()) {
                        key = List.of(pathSrc.get(ij[0]).netpoint, pathDst.get(ij[1]).netpoint);
                        found = bypasses.get(key);
                        if (found != null) {
                            break search;
                        }
                    }
                }
            }
            if (max < pathSrc.size() && max < pathDst.size()) {
                key = List.of(pathSrc.get(max).netpoint, pathDst.get(max).netpoint);
                found = bypasses.get(key);
                if (found != null) {
                    break;
                }
            }
        }
        if (found == null) {
            return false;
        }
        if (found.gwSrc() == null || found.gwDst() == null) {
            throw new RoutingError("bypass route between zones '" + key.get(0).name + "' and '" + key.get(1).name + "' has no gateways");
        }
        if (src != key.get(0)) {
            globalRoute(src, found.gwSrc(), out);
        }
        out.addAll(found.links());
        if (dst != key.get(1)) {
            globalRoute(found.gwDst(), dst, out);
        }
        return true;
    }

    private static List<Zone> pathToRoot(Zone zone) {
        List<Zone> path = new ArrayList<>();
        for (Zone z = zone; z != null; z = z.parent) {
            path.add(z);
        }
        return path;
    }

    static long key(int src, int dst) {
        return ((long) src << 32) | (dst & 0xffffffffL);
    }
}
