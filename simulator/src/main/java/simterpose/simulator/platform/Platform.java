package simterpose.simulator.platform;

import java.util.Collection;
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
}
