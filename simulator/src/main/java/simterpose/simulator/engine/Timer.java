package simterpose.simulator.engine;

/** Ends a fixed delay after its start (a sleep or a timeout). */
public final class Timer extends Activity {
    private final double delay;

    Timer(Simulation simulation, double start, double delay) {
        super(simulation, start);
        this.delay = delay;
    }

    public double delay() { return delay; }
}
