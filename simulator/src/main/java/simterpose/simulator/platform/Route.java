package simterpose.simulator.platform;

import java.util.List;

/**
 * The links a flow from {@code src} to {@code dst} crosses, in order.
 * The network model reads only this: it never walks zones itself.
 */
public record Route(Host src, Host dst, List<Link> links) {
    public Route {
        links = List.copyOf(links);
    }

    /** Sum of the links' latencies, seconds. */
    public double latency() {
        double sum = 0;
        for (Link link : links) {
            sum += link.latency();
        }
        return sum;
    }
}
