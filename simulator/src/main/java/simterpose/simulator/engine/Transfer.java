package simterpose.simulator.engine;

import simterpose.simulator.platform.Host;

/** Bytes moving from one host to another under the network model. */
public final class Transfer extends Activity {
    private final Host src;
    private final Host dst;
    private double bytes;

    Transfer(Simulation simulation, double start, Host src, Host dst, double bytes) {
        super(simulation, start);
        this.src = src;
        this.dst = dst;
        this.bytes = bytes;
    }

    public Host src() { return src; }

    public Host dst() { return dst; }

    /** Total bytes, extensions included. */
    public double bytes() { return bytes; }

    /**
     * Bounds the rate by a TCP window of {@code bytes}, as the model's TCP_gamma bounds every
     * flow: {@code rate ≤ bytes / (2 × route latency)} (a socket whose buffers are smaller).
     */
    public void limitWindow(double bytes) {
        if (!test()) {
            simulation.boundWindow(this, bytes);
        }
    }

    /**
     * Adds bytes to a running transfer (a socket stream that grew): they queue behind the
     * bytes still in flight, at the same share, without paying the latency again.
     */
    public void extend(double more) {
        if (test()) {
            throw new IllegalStateException("transfer already over");
        }
        bytes += more;
        simulation.extend(this, more);
    }
}
