package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing "Floyd": shortest paths (cost = number of links of each declared route) computed once
 * at seal time with SimGrid's exact loop order and tie rule, so equal-cost paths are the same.
 */
final class FloydZone extends Zone {
    private static final long INF = Long.MAX_VALUE;
    private final Map<Long, LocalRoute> linkTable = new HashMap<>();
    private long[][] cost;
    private int[][] predecessor;

    FloydZone(String name, Zone parent, Location location) {
        super(name, parent, location);
    }

    @Override
    String routing() {
        return "Floyd";
    }

    @Override
    void addRoute(NetPoint src, NetPoint dst, NetPoint gwSrc, NetPoint gwDst, List<LinkUse> links, boolean symmetrical)
            throws RoutingError {
        checkRoute(src, dst, gwSrc, gwDst, links);
        if (linkTable.containsKey(key(src.id, dst.id))) {
            throw new RoutingError("the route between '" + src.name + "' and '" + dst.name
                    + "' already exists (routes are symmetrical by default)");
        }
        linkTable.put(key(src.id, dst.id), new LocalRoute(resolve(links, false), gwSrc, gwDst));
        if (symmetrical) {
            // Like SimGrid, even a route to itself is added backward, so it must say symmetrical="NO".
            if (linkTable.containsKey(key(dst.id, src.id))) {
                throw new RoutingError("the route between '" + dst.name + "' and '" + src.name
                        + "' already exists: do not declare the reverse of a symmetrical route (or say symmetrical=\"NO\")");
            }
            linkTable.put(key(dst.id, src.id), new LocalRoute(resolve(links, true), gwDst, gwSrc));
        }
    }

    @Override
    void seal(Link loopback) {
        int n = vertices.size();
        if (!recursive) {
            for (int i = 0; i < n; i++) {
                linkTable.putIfAbsent(key(i, i), new LocalRoute(List.of(loopback), null, null));
            }
        }
        cost = new long[n][n];
        predecessor = new int[n][n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(cost[i], INF);
            Arrays.fill(predecessor[i], -1);
        }
        linkTable.forEach((k, route) -> {
            int s = (int) (k >>> 32);
            int d = (int) (long) k;
            cost[s][d] = route.links().size();
            predecessor[s][d] = s;
        });
        for (int c = 0; c < n; c++) {
            for (int a = 0; a < n; a++) {
                if (cost[a][c] == INF) {
                    continue;
                }
                for (int b = 0; b < n; b++) {
                    if (cost[c][b] < INF && (cost[a][b] == INF || cost[a][c] + cost[c][b] < cost[a][b])) {
                        cost[a][b] = cost[a][c] + cost[c][b];
                        predecessor[a][b] = predecessor[c][b];
                    }
                }
            }
        }
    }

    @Override
    LocalRoute localRoute(NetPoint src, NetPoint dst) throws RoutingError {
        List<LocalRoute> stack = new ArrayList<>();
        int cur = dst.id;
        int guard = vertices.size() + 1;
        do {
            int pred = predecessor[src.id][cur];
            if (pred == -1 || guard-- == 0) {
                return null;
            }
            stack.add(linkTable.get(key(pred, cur)));
            cur = pred;
        } while (cur != src.id);
        List<Link> links = new ArrayList<>();
        NetPoint prevDstGw = null;
        for (int i = stack.size() - 1; i >= 0; i--) {
            LocalRoute hop = stack.get(i);
            if (recursive && prevDstGw != null && !prevDstGw.name.equals(hop.gwSrc().name)) {
                globalRoute(prevDstGw, hop.gwSrc(), links);
            }
            links.addAll(hop.links());
            prevDstGw = hop.gwDst();
        }
        if (recursive) {
            return new LocalRoute(links, stack.getLast().gwSrc(), stack.getFirst().gwDst());
        }
        return new LocalRoute(links, null, null);
    }
}
