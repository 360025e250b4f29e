package simterpose.simulator.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Route;
import simterpose.simulator.platform.SharingPolicy;

/**
 * SimGrid's CM02 / LV08 flow model (one class, parameters from {@link ModelConfig}).
 * A flow over route R, reverse route R':
 * <ul>
 * <li>waits {@code latencyFactor × Σ_R latency} (its variable is disabled meanwhile);</li>
 * <li>then shares with penalty {@code Σ_R latency + Σ_R weightS / bw} (a latency-free route
 * gets penalty 1), weight 1 on each link of R and, with cross-traffic, 0.05 on each link of R'
 * (a link on both adds up: 1.05);</li>
 * <li>is bounded by {@code min(min_R bw, tcpGamma / (2 × Σ_R latency))} (raw latency, no
 * factor); its bytes move at {@code bandwidthFactor × share}.</li>
 * </ul>
 * A route with no link (src = dst) uses the implicit FATPIPE loopback link.
 *
 * <p>Under {@code run}'s {@code TCP} model ({@link ModelConfig#linuxTcp}) the penalty also counts
 * half the {@linkplain #standingQueue standing queue} of the route's narrowest link (a one-way
 * share of the round trip, as {@code Σ latency} is): the round trip that sets a loss-based flow's
 * share of a saturated drop-tail link is its propagation plus that link's queue, which both flows
 * see (see {@link #standingQueue}). CM02 and LV08 are untouched.
 *
 * <p>Threading: owned by the engine's thread.
 */
public final class NetworkModel extends ResourceModel {
    private final ModelConfig config;
    private final Map<Link, MaxMinSystem.Constraint> constraints = new HashMap<>();
    private final Link loopback;

    public NetworkModel(ModelConfig config) {
        super(config.maxminPrecision(), config.surfPrecision());
        this.config = config;
        this.loopback = new Link("__loopback__", config.loopbackBandwidth(), config.loopbackLatency(),
                SharingPolicy.FATPIPE);
    }

    public ModelConfig config() { return config; }

    private MaxMinSystem.Constraint constraint(Link link) {
        return constraints.computeIfAbsent(link, l -> system.newConstraint(l.name(), l.bandwidth(),
                l.sharing() == SharingPolicy.FATPIPE));
    }

    /**
     * Starts a flow of {@code bytes} at {@code now}.
     *
     * @param route the links from source to destination
     * @param back  the links from destination to source (used for cross-traffic)
     */
    public Action communicate(Object owner, Route route, Route back, double bytes, double now) {
        List<Link> links = route.links();
        List<Link> backLinks = back.links();
        if (route.src().equals(route.dst())
                && (links.isEmpty() || (links.size() == 1 && links.getFirst().name().equals(loopback.name())))) {
            // the implicit loopback, with this configuration's network/loopback-bw and -lat
            links = List.of(loopback);
            backLinks = links;
        }
        double latency = 0;
        for (Link l : links) {
            latency += l.latency();
        }
        Action a = newAction(owner, bytes, now);
        a.sharingPenalty = latency;
        a.latency = latency;
        if (config.weightS() > 0) {
            for (Link l : links) {
                a.sharingPenalty += config.weightS() / l.bandwidth();
            }
        }
        if (config.linuxTcp() && latency > 0 && !links.isEmpty()) {
            a.sharingPenalty += standingQueue(narrowest(links)) / 2;
        }
        a.rateFactor = config.bandwidthFactor();
        double bandwidthBound = -1;
        for (Link l : links) {
            if (bandwidthBound == -1 || l.bandwidth() < bandwidthBound) {
                bandwidthBound = l.bandwidth();
            }
        }
        a.userBound = bandwidthBound;
        a.routeLatency = a.latency;
        a.latency *= config.latencyFactor();

        if (a.latency > 0) {
            a.variable = system.newVariable(a, 0.0, -1.0);
            // A route without links ends once the latency is paid.
            insertHeap(a, a.latency + a.lastUpdate, links.isEmpty() ? Action.HeapType.NORMAL
                    : Action.HeapType.LATENCY);
        } else {
            a.variable = system.newVariable(a, 1.0, -1.0);
        }
        double gammaBound = a.routeLatency > 0 ? config.tcpGamma() / (2.0 * a.routeLatency) : -1.0;
        if (a.userBound < 0) {
            system.updateBound(a.variable, gammaBound);
        } else {
            system.updateBound(a.variable, a.routeLatency > 0 ? Math.min(a.userBound, gammaBound) : a.userBound);
        }
        for (Link l : links) {
            system.expand(constraint(l), a.variable, 1.0);
        }
        if (config.crossTraffic()) {
            for (Link l : backLinks) {
                system.expand(constraint(l), a.variable, 0.05);
            }
        }
        if (a.latency <= 0) {
            touch(a);
        }
        return a;
    }

    /** CUBIC's multiplicative decrease (RFC 8312 §4.5, Linux's {@code beta} = 717/1024). */
    public static final double CUBIC_BETA = 0.7;
    /** The smallest drop-tail buffer of a link, bytes (the emulator's {@code LinkQueues.MIN_QUEUE_BYTES}). */
    static final double MIN_BUFFER_BYTES = 64 * 1024;

    /**
     * The mean queueing delay (s) of {@code link} when loss-based TCP flows saturate it: what their
     * round trips carry on top of the propagation, so what sets their shares of it (a flow's rate
     * is its window over that round trip; Reno's and CUBIC's Reno-friendly region grow the window
     * by a fixed amount per round trip, RFC 5681 §3.1, RFC 8312 §4.2). SimGrid's platforms give a
     * link no buffer: the model takes the usual rule for a router's port, a multiple of the
     * bandwidth-delay product (Villamizar and Song, 1994), as {@code emulate} does: two products
     * of the link's own round trip {@code P = bw × 2 × latency}, at least 64 KiB. A drop-tail
     * buffer of B bytes under a loss-based sender fills to B, loses a packet and drains to
     * {@code β (P + B) - P} as the window is cut by β, then refills: on average half-way between.
     * Measured under emulate (cross3, 10 MB/s, 2 ms: B = 8 ms): smoothed RTTs of 9-11 ms for a
     * 4 ms path, 17-19 ms for a 12 ms one, i.e. 6 ms of queue; this gives 6.2 ms.
     */
    public static double standingQueue(Link link) {
        if (link.bandwidth() <= 0 || link.latency() <= 0) {
            return 0;
        }
        double product = link.bandwidth() * 2 * link.latency();
        double buffer = Math.max(MIN_BUFFER_BYTES, 2 * product);
        double low = Math.max(0, CUBIC_BETA * (product + buffer) - product);
        return (buffer + low) / 2 / link.bandwidth();
    }

    /** The route's link of least bandwidth (the first of them): where a flow alone queues. */
    public static Link narrowest(List<Link> links) {
        Link narrowest = links.getFirst();
        for (Link l : links) {
            if (l.bandwidth() < narrowest.bandwidth()) {
                narrowest = l;
            }
        }
        return narrowest;
    }

    /**
     * Starts a flow that shares bandwidth from {@code now} on, skipping the latency phase: the
     * continuation of a byte stream whose earlier bytes already paid it (the kernel's TCP
     * connections coalesce writes into back-to-back segments of one continuous flow). Same
     * penalty, bound and weights as {@link #communicate}; a route without any link (its flows
     * cost only their latency) is started as by {@link #communicate}.
     */
    public Action communicateWithoutLatency(Object owner, Route route, Route back, double bytes, double now) {
        Action a = communicate(owner, route, back, bytes, now);
        if (a.latency > 0 && a.heapIndex >= 0 && a.heapType == Action.HeapType.LATENCY) {
            removeFromHeap(a);
            a.latency = 0;
            system.updatePenalty(a.variable, a.sharingPenalty);
            touch(a);
        }
        return a;
    }

    /**
     * Bounds a running flow's rate as TCP_gamma does, with a window of its own:
     * {@code rate ≤ window / (2 × Σ latency)} — a connection whose socket buffers were set
     * below TCP_gamma. No effect on a latency-free route, or if the flow is already bounded
     * lower.
     */
    public void boundWindow(Action a, double window) {
        if (!a.running() || a.routeLatency <= 0 || window <= 0) {
            return;
        }
        double bound = window / (2.0 * a.routeLatency);
        double current = a.variable.bound();
        if (current < 0 || bound < current) {
            system.updateBound(a.variable, bound);
        }
    }

    @Override
    protected boolean finishesWhenEmpty() {
        return true;
    }
}
