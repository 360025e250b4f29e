package simterpose.simulator.engine;

import simterpose.simulator.platform.Host;

/** Flops computed on one core of a host under the CPU model. */
public final class Execution extends Activity {
    private final Host host;
    private final double flops;

    Execution(Simulation simulation, double start, Host host, double flops) {
        super(simulation, start);
        this.host = host;
        this.flops = flops;
    }

    public Host host() { return host; }

    public double flops() { return flops; }
}
