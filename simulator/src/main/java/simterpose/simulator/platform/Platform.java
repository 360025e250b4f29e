package simterpose.simulator.platform;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable, parsed platform: hosts, links, routes and the {@code <config>} properties. */
public interface Platform {
    /** Every host, in document order. */
    Collection<Host> hosts();

    Optional<Host> host(String name);

    /** Every link (SPLITDUPLEX halves included), in document order. */
    Collection<Link> links();

    /**
     * The route from {@code src} to {@code dst}; for {@code src == dst} the host's loopback.
     * Answered fast and repeatedly (cached).
     *
     * @throws PlatformException when no route exists
     */
    Route route(Host src, Host dst);

    /** {@code <config><prop id= value=/>} entries, e.g. {@code network/model → CM02}. */
    Map<String, String> config();

    /** A link by name (a SPLITDUPLEX half is {@code id_UP}/{@code id_DOWN}). */
    default Optional<Link> link(String name) {
        return links().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The route between two hosts named by the user; unknown names are a PlatformException. */
    default Route route(String src, String dst) {
        Host s = host(src).orElseThrow(() -> new PlatformException("unknown host '" + src + "'"));
        Host d = host(dst).orElseThrow(() -> new PlatformException("unknown host '" + dst + "'"));
        return route(s, d);
    }

    /** Zone ids (clusters included), in document order. */
    default List<String> zones() {
        return List.of();
    }

    /** Router ids (cluster routers included), in document order. */
    default List<String> routers() {
        return List.of();
    }

    /**
     * True when loading proved that every host pair has a route (always for small platforms and
     * flat clusters; platforms with hundreds of hosts in routed zones are checked on demand only).
     */
    default boolean allPairsRouted() {
        return false;
    }

    /**
     * The first host pair loading found without a route, as "file:line:column: missing route:
     * …", or empty. Such a platform loads, as in SimGrid; a communication between the two fails.
     */
    default java.util.Optional<String> missingRoute() {
        return java.util.Optional.empty();
    }

    /** The actors declared in the same file as the platform (empty when there are none). */
    default Deployment deployment() {
        return new Deployment(List.of());
    }
}
