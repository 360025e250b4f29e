package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform built by {@link PlatformLoader}. Everything is immutable after construction
 * except the route cache: a bounded LRU map guarded by its own monitor, so any thread may ask
 * routes. Routes are computed on demand (a 100 000-host cluster never builds its 10^10 pairs).
 */
final class ParsedPlatform implements Platform {
    static final int ROUTE_CACHE_SIZE = 1 << 16;

    private final List<Host> hosts;
    private final Map<String, NetPoint> netpoints;
    private final List<Link> links;
    private final Map<String, Link> linksByName;
    private final Map<String, String> config;
    private final List<String> zones;
    private final List<String> routers;
    private final Deployment deployment;
    private boolean allPairsRouted;
    private String missingRoute;
    private final Map<Long, Route> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Route> eldest) {
            return size() > ROUTE_CACHE_SIZE;
        }
    };

    ParsedPlatform(List<Host> hosts, Map<String, NetPoint> netpoints, Map<String, Link> linksByName,
                   Map<String, String> config, List<String> zones, List<String> routers, Deployment deployment) {
        this.hosts = List.copyOf(hosts);
        this.netpoints = netpoints;
        this.links = List.copyOf(linksByName.values());
        this.linksByName = linksByName;
        this.config = Map.copyOf(config);
        this.zones = List.copyOf(zones);
        this.routers = List.copyOf(routers);
        this.deployment = deployment;
    }

    @Override
    public Collection<Host> hosts() {
        return hosts;
    }

    @Override
    public Optional<Host> host(String name) {
        NetPoint point = netpoints.get(name);
        return point == null || point.host == null ? Optional.empty() : Optional.of(point.host);
    }

    @Override
    public Collection<Link> links() {
        return links;
    }

    @Override
    public Optional<Link> link(String name) {
        return Optional.ofNullable(linksByName.get(name));
    }

    @Override
    public Route route(Host src, Host dst) {
        NetPoint s = pointOf(src);
        NetPoint d = pointOf(dst);
        long key = Zone.key(s.hostIndex, d.hostIndex);
        synchronized (cache) {
            Route cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Route route = compute(s, d);
        synchronized (cache) {
            cache.put(key, route);
        }
        return route;
    }

    /** The route without touching the cache (used to validate all pairs at load time). */
    static Route compute(NetPoint s, NetPoint d) {
        List<Link> path = new ArrayList<>();
        try {
            Zone.globalRoute(s, d, path);
        } catch (RoutingError e) { // located at the zone both ends share, as the load-time check locates it
            throw Zone.common(s, d).location.error(e.getMessage());
        } catch (StackOverflowError e) {
            throw Zone.common(s, d).location.error("the route from '" + s.name + "' to '" + d.name
                    + "' loops through zone gateways forever");
        }
        return new Route(s.host, d.host, path);
    }

    private NetPoint pointOf(Host host) {
        NetPoint point = netpoints.get(host.name());
        if (point == null || point.host == null || (point.host != host && !point.host.equals(host))) {
            throw new PlatformException("unknown host '" + host.name() + "' (not a host of this platform)");
        }
        return point;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public List<String> zones() {
        return zones;
    }

    @Override
    public List<String> routers() {
        return routers;
    }

    /** Set once by the builder, before the platform is published. */
    void markAllPairsRouted() {
        allPairsRouted = true;
    }

    /** Set once by the builder, before the platform is published: the first host pair found without a route. */
    void markMissingRoute(String where) {
        missingRoute = where;
    }

    @Override
    public java.util.Optional<String> missingRoute() {
        return java.util.Optional.ofNullable(missingRoute);
    }

    @Override
    public boolean allPairsRouted() {
        return allPairsRouted;
    }

    @Override
    public Deployment deployment() {
        return deployment;
    }
}
