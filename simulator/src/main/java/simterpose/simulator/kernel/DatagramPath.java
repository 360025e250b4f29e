package simterpose.simulator.kernel;

import java.util.ArrayDeque;
import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.platform.Host;

/**
 * The datagrams one UDP socket sends to one host, crossing the network in the order they were
 * sent, each as a flow of its own size under the network model.
 *
 * <h2>Timing rules</h2>
 * <ul>
 * <li>A datagram sent while the path is idle is a new model flow: it pays the route's latency
 * phase ({@code latency_factor × Σ latency}) then moves its bytes at its max-min share, sharing
 * the links with every other flow. It reaches the destination host when that flow completes:
 * a lone datagram of S bytes arrives after the model's time for one flow of S bytes.</li>
 * <li>At most one datagram of a path is in flight: the others wait behind it, so datagrams
 * from one socket to one host arrive in the order they were sent (a fluid model would
 * otherwise let a small datagram overtake a large one sent just before it).</li>
 * <li>A datagram that was waiting leaves the instant the one ahead of it arrives, without a
 * new latency phase ({@link Simulation#continueTransfer}): a burst is one continuous stream
 * on the wire, its datagrams arriving one transfer time apart, as packets serialised on a
 * link do, instead of all at the end of a shared fluid flow. The same holds for a datagram
 * sent in the very instant the previous one arrived (no time passed, the stream never
 * stopped).</li>
 * <li>An empty datagram costs what the model's flow of 0 bytes costs, its latency phase alone
 * (nothing when continuing); a timer stands for it, as the engine completes zero-length
 * actions only at its next event.</li>
 * </ul>
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class DatagramPath {
    /** A datagram on its way, and the address it was sent to. */
    record Outgoing(UdpSocket.Datagram datagram, SockAddr to) {}

    private final Kernel kernel;
    private final UdpSocket sender;
    private final Host destination;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private Activity inflight;
    private long inflightId = -1;
    private double lastArrival = Double.NaN;

    DatagramPath(Kernel kernel, UdpSocket sender, Host destination) {
        this.kernel = kernel;
        this.sender = sender;
        this.destination = destination;
    }

    void send(Outgoing o) {
        waiting.addLast(o);
        pump();
    }

    private void pump() {
        if (inflight != null || waiting.isEmpty()) {
            return;
        }
        Outgoing next = waiting.peekFirst();
        Simulation sim = kernel.simulation();
        int bytes = next.datagram().data().length;
        boolean continuing = sim.now() == lastArrival;
        Activity t;
        if (bytes == 0) {
            t = sim.startTimer(continuing ? 0 : sim.config().latencyFactor() * kernel.oneWay(sender.host(), destination));
        } else {
            t = continuing ? sim.continueTransfer(sender.host(), destination, bytes)
                    : sim.startTransfer(sender.host(), destination, bytes);
        }
        inflight = t;
        if (kernel.observed()) {
            inflightId = kernel.packetSent(NetEvents.Protocol.UDP, sender.host(), next.datagram().source(), destination,
                    next.to(), bytes, () -> LentBytes.of(next.datagram().data()), 0);
        }
        t.onCompletion(a -> arrived(t, a));
    }

    private void arrived(Activity t, Activity a) {
        if (t != inflight || a.state() != Activity.State.DONE) {
            return;
        }
        inflight = null;
        Outgoing o = waiting.pollFirst();
        lastArrival = kernel.simulation().now();
        if (inflightId >= 0) {
            kernel.packetArrived(inflightId);
            inflightId = -1;
        }
        sender.left(o.datagram());
        kernel.datagramArrives(sender, o.datagram(), o.to(), destination);
        pump();
    }
}
