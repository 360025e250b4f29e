package simterpose.simulator.model;

import java.util.HashMap;
import java.util.Map;
import simterpose.simulator.platform.Host;

/**
 * SimGrid's Cas01 CPU model: a host is one constraint of capacity {@code cores × speed}; an
 * execution is a variable of penalty 1 bounded by one core's speed. Sleeps are actions that
 * use nothing and end at {@code start + max(duration, surf/precision)}.
 *
 * <p>Threading: owned by the engine's thread.
 */
public final class CpuModel extends ResourceModel {
    private final Map<Host, MaxMinSystem.Constraint> cpus = new HashMap<>();

    public CpuModel(ModelConfig config) {
        super(config.maxminPrecision(), config.surfPrecision());
    }

    private MaxMinSystem.Constraint cpu(Host host) {
        return cpus.computeIfAbsent(host, h -> system.newConstraint(h.name(), h.cores() * h.speed(), false));
    }

    /** Starts executing {@code flops} on one core of {@code host}. */
    public Action execute(Object owner, Host host, double flops, double now) {
        Action a = newAction(owner, flops, now);
        a.variable = system.newVariable(a, 1.0, host.speed());
        system.expand(cpu(host), a.variable, 1.0);
        return a;
    }

    /** A timer: ends {@code duration} seconds after {@code now} (SimGrid's sleep action). */
    public Action sleep(Object owner, double duration, double now) {
        Action a = newAction(owner, 1.0, now);
        a.maxDuration = duration > 0 ? Math.max(duration, surfPrecision) : duration;
        touch(a);
        return a;
    }

    @Override
    protected boolean finishesWhenEmpty() {
        return false;
    }
}
