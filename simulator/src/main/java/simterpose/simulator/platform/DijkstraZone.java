package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Routing "Dijkstra"/"DijkstraCache": shortest paths (cost = number of links per declared
 * route) computed per source on first use. Graph nodes are numbered in the order routes first
 * name them and edges are tried in declaration order, with a (cost, node) priority queue and
 * strict relaxation, so ties resolve as in SimGrid. The per-source predecessor tables are the
 * only state written after sealing: {@link #predecessors} is synchronized on this zone.
 */
final class DijkstraZone extends Zone {
    private record Edge(int target, LocalRoute route) {}

    private final boolean cached;
    private final Map<Integer, Integer> graphIdOfVertex = new HashMap<>();
    private final List<List<Edge>> outEdges = new ArrayList<>();
    private final Map<Long, LocalRoute> edges = new HashMap<>();
    private final Map<Integer, int[]> predecessorCache = new HashMap<>();

    DijkstraZone(String name, Zone parent, Location location, boolean cached) {
        super(name, parent, location);
        this.cached = cached;
    }

    @Override
    String routing() {
        return cached ? "DijkstraCache" : "Dijkstra";
    }

    @Override
    void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links, boolean symmetrical)
            throws RoutingError {
        checkRoute(src, dst, gwSrc, gwDst, links);
        newEdge(src, dst, new LocalRoute(resolve(links, false), gwSrc, gwDst));
        if (symmetrical) {
            newEdge(dst, src, new LocalRoute(resolve(links, true), gwDst, gwSrc));
        }
    }

    private int node(int vertexId) {
        return graphIdOfVertex.computeIfAbsent(vertexId, v -> {
            outEdges.add(new ArrayList<>());
            return outEdges.size() - 1;
        });
    }

    private void newEdge(NetPoint src, NetPoint dst, LocalRoute route) throws RoutingError {
        int s = node(src.id);
        int d = node(dst.id);
        if (edges.containsKey(key(s, d))) {
            throw new RoutingError("the route from '" + src.name + "' to '" + dst.name
                    + "' already exists (routes are symmetrical by default; a route to itself must say symmetrical=\"NO\")");
        }
        edges.put(key(s, d), route);
        outEdges.get(s).add(new Edge(d, route));
    }

    @Override
    void seal(Link loopback) {
        if (!recursive) {
            for (int s = 0; s < outEdges.size(); s++) {
                if (!edges.containsKey(key(s, s))) {
                    LocalRoute self = new LocalRoute(List.of(loopback), null, null);
                    edges.put(key(s, s), self);
                    outEdges.get(s).add(new Edge(s, self));
                }
            }
        }
    }

    @Override
    LocalRoute localRoute(NetPoint src, NetPoint dst) throws RoutingError {
        Integer s = graphIdOfVertex.get(src.id);
        Integer d = graphIdOfVertex.get(dst.id);
        if (s == null || d == null) {
            return null;
        }
        if (s.intValue() == d.intValue()) {
            LocalRoute self = edges.get(key(s, s));
            return self == null ? null : new LocalRoute(reversed(self.links()), null, null);
        }
        int[] pred = predecessors(s);
        List<LocalRoute> hops = new ArrayList<>();
        for (int v = d; v != s; v = pred[v]) {
            if (pred[v] < 0) {
                return null;
            }
            hops.add(edges.get(key(pred[v], v)));
        }
        List<Link> links = new ArrayList<>();
        NetPoint prevDstGw = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            LocalRoute hop = hops.get(i);
            if (recursive && prevDstGw != null && !prevDstGw.name.equals(hop.gwSrc().name)) {
                globalRoute(prevDstGw, hop.gwSrc(), links);
            }
            // SimGrid 3.32 inserts each hop's links reversed (insert_link_latency); same links, its order.
            links.addAll(reversed(hop.links()));
            prevDstGw = hop.gwDst();
        }
        if (recursive) {
            return new LocalRoute(links, hops.getLast().gwSrc(), hops.getFirst().gwDst());
        }
        return new LocalRoute(links, null, null);
    }

    private static List<Link> reversed(List<Link> links) {
        return links.size() < 2 ? links : links.reversed();
    }

    private synchronized int[] predecessors(int src) {
        int[] cachedPred = predecessorCache.get(src);
        if (cachedPred != null) {
            return cachedPred;
        }
        int n = outEdges.size();
        long[] cost = new long[n];
        int[] pred = new int[n];
        Arrays.fill(cost, Long.MAX_VALUE);
        Arrays.fill(pred, -1);
        cost[src] = 0;
        PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        queue.add(new long[] {0, src});
        while (!queue.isEmpty()) {
            long[] top = queue.poll();
            int v = (int) top[1];
            if (top[0] > cost[v]) {
                continue; // stale entry
            }
            for (Edge e : outEdges.get(v)) {
                long candidate = cost[v] + e.route().links().size();
                if (candidate < cost[e.target()]) {
                    cost[e.target()] = candidate;
                    pred[e.target()] = v;
                    queue.add(new long[] {candidate, e.target()});
                }
            }
        }
        predecessorCache.put(src, pred);
        return pred;
    }
}
