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
