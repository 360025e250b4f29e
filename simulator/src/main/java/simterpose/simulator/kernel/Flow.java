package simterpose.simulator.kernel;

import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.model.NetworkModel;

/**
 * One direction of a TCP connection: the bytes its sender wrote and has not yet seen
 * delivered, moved as the network model's flows.
 *
 * <h2>Timing rules</h2>
 * <ul>
 * <li>At most one segment is in flight. Bytes written while the direction is idle start a
 * segment that is a new model flow: it pays the route's latency phase
 * ({@code latency_factor × Σ latency}) then moves at its max-min share.</li>
 * <li>Bytes written while a segment is in flight wait in {@link #unsent}; the instant the
 * segment completes they leave as the next segment <em>without</em> a new latency phase
 * ({@link Simulation#continueTransfer}). A busy direction is thus one continuous flow: a lone
 * bulk transfer of B bytes takes {@code latency_factor × latency + B / rate}, the model's own
 * prediction for one flow of B bytes, whatever the write sizes.</li>
 * <li>A direction that restarts in the same simulated instant its last segment completed (a
 * writer woken by the space that completion freed, a reader draining a full window) also
 * continues without latency: no time passed, the flow never stopped.</li>
 * <li>A segment carries at most {@link Kernel#segmentBytes} bytes (see {@link #SEGMENT_SECONDS}).</li>
 * <li>Under the {@code TCP} network model, a {@link CongestionWindow} also cuts segments to the
 * rounds of slow start: a round carries at most the congestion window, and the next round's
 * bytes start arriving a round trip after the previous round's first byte did (once a round
 * found the pipe full, the share paces the flow and segments are no longer cut at the window). And Nagle's
 * algorithm as Linux runs it (Minshall's variant, unless TCP_NODELAY): the last packet of a
 * write, if smaller than the MSS, leaves only once the last small packet sent before it is
 * acknowledged (its delivery plus the way back; the receiver is taken to ACK at once, as Linux
 * does in its quick-ACK mode at a connection's start); a shutdown or close lifts that hold, the
 * FIN riding on the tail (Linux's {@code tcp_send_fin}, {@code tcp_nagle_test}): a server that
 * writes its headers, its body and closes (python3's http.server) sends the body's tail at once.</li>
 * <li>Buffer sizes a program sets (SO_SNDBUF at the sender, SO_RCVBUF at the receiver) bound
 * the rate as a TCP window does, {@code window / (2 × latency)}, like the model's TCP_gamma
 * bounds every flow; autotuned buffers (the default) leave TCP_gamma alone in charge.</li>
 * <li>The receiver gets a segment's bytes when its transfer completes; the sender's send buffer
 * frees them then (delivered = acknowledged; the ACK's own latency is not charged, the fluid
 * model has already spread the bandwidth-delay product over the flow).</li>
 * <li>Flow control: a segment never carries more than the receive window has room for
 * (the window minus the bytes the reader has not read). A full window stops the direction.
 * A read in the same instant restarts it at once; a later read sends a window update, and the
 * flow continues (no new latency phase: Linux keeps its congestion window across a zero-window
 * stall) after a round trip: the update's one-way latency back to the sender plus the data's
 * propagation, which the continued fluid flow does not charge.</li>
 * <li>The FIN rides on the last segment when bytes are pending at shutdown/close (the reader
 * sees the data and the end of stream at the same instant); alone, it is a control packet.</li>
 * </ul>
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class Flow {
    /**
     * Segment sizes. The reader sees bytes arrive in segments, so a reader that works between
     * reads drains them as they come instead of in lumps; but every segment is a model flow, an
     * engine event and usually a reader's wake-up and read, so on fast links small segments cost
     * wall time for nothing (10 000 x 100 kB at 10 Gb/s: 64 KiB segments, 35 000 mediated calls).
     * So a segment is what the route's narrowest link carries in {@code SEGMENT_SECONDS}, at
     * least a TSO/GRO super-packet's 64 KiB and at most 4 MiB. Splitting costs no simulated
     * time: segments follow each other without gap.
     */
    static final double SEGMENT_SECONDS = 1e-3;
    static final long MIN_SEGMENT = 65536;
    static final long MAX_SEGMENT = 4 << 20;

    private final Kernel kernel;
    final TcpSocket sender;
    final TcpSocket receiver;
    /** Set by {@link #abort}: the RST to deliver once the in-flight segment has arrived, and its earliest date. */
    private Runnable resetAfterInflight;
    private double resetDue;
    /** Written, not yet in a segment. */
    final ByteQueue unsent = new ByteQueue();
    private ByteQueue inflightBytes;
    private Transfer inflight;
    /** The in-flight segment's id for the kernel's {@link NetEvents}, -1 when unobserved. */
    private long inflightId = -1;
    /** The FIN that left behind the last segment, to arrive with it (observed runs only), else -1. */
    private long finId = -1;
    private double lastDelivery = Double.NaN;
    /** The last pump found the window full with bytes waiting. */
    private boolean stalled;
    private boolean resumeScheduled;
    private boolean finQueued;
    private boolean finSent;
    private boolean dead;
    /** The segment in flight ends with a packet smaller than the MSS. */
    private boolean inflightSmall;
    /** Date the ACK of the last small packet delivered reaches the sender (Nagle's algorithm). */
    private double smallUnackedUntil = Double.NEGATIVE_INFINITY;
    /** A write's small tail waits for {@link #smallUnackedUntil} (a pump is scheduled then). */
    private boolean nagleHeld;
    /** Slow start, under the {@code TCP} network model on a route with latency; null otherwise. */
    private final CongestionWindow congestion;

    Flow(Kernel kernel, TcpSocket sender, TcpSocket receiver) {
        this.kernel = kernel;
        this.sender = sender;
        this.receiver = receiver;
        double roundTrip = kernel.oneWay(sender.host(), receiver.host()) + kernel.oneWay(receiver.host(), sender.host());
        this.congestion = kernel.simulation().config().linuxTcp() && roundTrip > 0
                ? new CongestionWindow(roundTrip, bottleneckQueue(kernel, sender, receiver)) : null;
    }

    /** The standing queue of the route's narrowest link ({@link NetworkModel#standingQueue}), 0 without links. */
    private static double bottleneckQueue(Kernel kernel, TcpSocket sender, TcpSocket receiver) {
        var links = kernel.simulation().platform().route(sender.host(), receiver.host()).links();
        return links.isEmpty() ? 0 : NetworkModel.standingQueue(NetworkModel.narrowest(links));
    }

    /** Bytes written and not yet delivered (SIOCOUTQ; what occupies the send buffer). */
    long queued() {
        return unsent.size() + (inflightBytes == null ? 0 : inflightBytes.size());
    }

    long unsentBytes() {
        return unsent.size();
    }

    boolean finQueued() {
        return finQueued;
    }

    /** Queues {@code len} bytes of {@code source}, or none if it faults; returns whether it did. */
    boolean write(long len, SendSource source) {
        if (!unsent.append(len, source)) {
            return false;
        }
        pump();
        return true;
    }

    /** Starts the next segment if the direction is idle and there are bytes the window takes. */
    void pump() {
        pump(false);
    }

    private void pump(boolean resuming) {
        if (dead || inflight != null || unsent.isEmpty() || resumeScheduled) {
            return;
        }
        long room = receiver.window() - receiver.unread();
        if (room <= 0) {
            stalled = true; // window full: the receiver's read reopens it
            return;
        }
        Simulation sim = kernel.simulation();
        boolean continuing = resuming || sim.now() == lastDelivery;
        if (stalled && !continuing) {
            // the window reopened later: the update and the data cross the network first
            resumeScheduled = true;
            double delay = kernel.oneWay(receiver.host(), sender.host()) + kernel.oneWay(sender.host(), receiver.host());
            sim.at(sim.now() + delay, () -> {
                resumeScheduled = false;
                pump(true);
            });
            return;
        }
        stalled = false;
        long n = Math.min(Math.min(unsent.size(), room), kernel.segmentBytes(sender.host(), receiver.host()));
        if (congestion != null) {
            if (!continuing) {
                double firstArrival = sim.now() + sim.config().latencyFactor() * kernel.oneWay(sender.host(), receiver.host());
                congestion.newBurst(sim.now(), firstArrival);
            } else if (congestion.roundFull()) {
                double due = congestion.nextRoundArrival();
                if (due - sim.now() > sim.config().surfPrecision()) {
                    // the window is spent: the next round leaves when the first ACKs come back
                    resumeScheduled = true;
                    sim.at(due, () -> {
                        resumeScheduled = false;
                        pump(true);
                    });
                    return;
                }
                congestion.nextRound(sim.now());
            }
            n = Math.min(n, congestion.roomInRound());
            if (n < unsent.size() && n > sender.mss()) {
                // a cut inside the stream falls between full packets: only a write's tail is small
                n -= n % sender.mss();
            }
            if (n == unsent.size() && !sender.options.noDelay() && !finQueued && n % sender.mss() != 0
                    && smallUnackedUntil - sim.now() > sim.config().surfPrecision()) {
                // Nagle (Linux's Minshall variant): the write's last, small packet waits for the
                // ACK of the last small one sent; the full packets before it go now. A FIN
                // queued behind it lifts the hold (see shutdown)
                if (n < sender.mss()) {
                    if (!nagleHeld) {
                        nagleHeld = true;
                        sim.at(smallUnackedUntil, () -> {
                            nagleHeld = false;
                            pump();
                        });
                    }
                    return;
                }
                n -= n % sender.mss();
            }
            congestion.sent(n);
        }
        inflightSmall = n == unsent.size() && n % sender.mss() != 0;
        inflightBytes = unsent.split(n);
        Transfer t = continuing
                ? sim.continueTransfer(sender.host(), receiver.host(), n)
                : sim.startTransfer(sender.host(), receiver.host(), n);
        double window = Math.min(sender.sendWindow(), receiver.receiveWindow());
        if (window < Double.POSITIVE_INFINITY) {
            t.limitWindow(window);
        }
        inflight = t;
        if (kernel.observed()) {
            ByteQueue bytes = inflightBytes;
            int length = (int) n;
            inflightId = kernel.packetSent(NetEvents.Protocol.TCP, sender.host(), sender.local, receiver.host(),
                    receiver.local, length, bytes::lend, 0);
        }
        finLeaves();
        t.onCompletion(a -> arrived(t, a));
    }

    private void arrived(Transfer t, Activity a) {
        if (t != inflight || a.state() != Activity.State.DONE) {
            return;
        }
        ByteQueue segment = inflightBytes;
        inflight = null;
        inflightBytes = null;
        lastDelivery = kernel.simulation().now();
        if (inflightId >= 0) {
            kernel.packetArrived(inflightId);
            inflightId = -1;
            kernel.tcpControl(receiver.host(), receiver.local, sender.host(), sender.local, NetEvents.ACK);
        }
        if (congestion != null) {
            congestion.delivered(lastDelivery);
            if (inflightSmall) {
                smallUnackedUntil = lastDelivery + kernel.oneWay(receiver.host(), sender.host());
            }
        }
        receiver.dataArrives(this, segment);
        if (resetAfterInflight != null) { // aborted: that was the last segment, the RST follows it
            Runnable reset = resetAfterInflight;
            resetAfterInflight = null;
            dead = true;
            kernel.simulation().at(Math.max(kernel.simulation().now(), resetDue), reset);
            return;
        }
        if (dead) {
            return;
        }
        sender.waiters.notify(sender.readiness(), WakeCause.SPACE_AVAILABLE); // send-buffer space
        pump();
        if (finQueued && !finSent && inflight == null && unsent.isEmpty()) {
            sendFin(true);
        }
    }

    /**
     * The sender shut down writing (shutdown(SHUT_WR) or close): FIN after the bytes already
     * written. A write's small tail that Nagle holds leaves at once: Linux's {@code tcp_send_fin}
     * puts the FIN on the last queued segment and pushes it with {@code TCP_NAGLE_OFF}, and
     * {@code tcp_nagle_test} lets any segment carrying a FIN pass.
     */
    void shutdown() {
        if (finQueued || dead) {
            return;
        }
        finQueued = true;
        if (inflight == null && unsent.isEmpty()) {
            sendFin(false);
        } else {
            finLeaves();
            pump(); // a tail Nagle held leaves now, with the FIN
        }
    }

    /**
     * For an observer: a FIN queued behind data leaves on the wire right after the last byte
     * (it arrives with the last segment, see {@link #sendFin}).
     */
    private void finLeaves() {
        if (kernel.observed() && finQueued && finId < 0 && unsent.isEmpty()) {
            finId = kernel.packetSent(NetEvents.Protocol.TCP, sender.host(), sender.local, receiver.host(),
                    receiver.local, 0, () -> LentBytes.EMPTY, NetEvents.FIN | NetEvents.ACK);
        }
    }

    private void sendFin(boolean withLastSegment) {
        finSent = true;
        if (finId >= 0) {
            kernel.packetArrived(finId);
            finId = -1;
        } else if (!withLastSegment) {
            kernel.tcpControl(sender.host(), sender.local, receiver.host(), receiver.local, NetEvents.FIN | NetEvents.ACK);
        }
        if (withLastSegment) {
            receiver.finArrives(this);
        } else {
            kernel.control(sender.host(), receiver.host(), () -> {
                if (!dead) {
                    receiver.finArrives(this);
                }
            });
        }
    }

    /**
     * The sender aborts (close with unread data, SO_LINGER 0): its RST leaves now. The segment
     * already on the wire still arrives, ahead of the RST, as on Linux (the peer reads those
     * bytes, then gets ECONNRESET); bytes not yet sent are dropped. {@code reset} runs at the
     * receiver when the RST arrives: after its latency, and never before that segment.
     */
    void abort(Runnable reset) {
        Simulation sim = kernel.simulation();
        double due = sim.now() + kernel.oneWay(sender.host(), receiver.host());
        kernel.tcpControl(sender.host(), sender.local, receiver.host(), receiver.local, NetEvents.RST | NetEvents.ACK);
        unsent.clear();
        if (dead || inflight == null) {
            kill();
            sim.at(due, reset);
            return;
        }
        resetDue = due;
        resetAfterInflight = reset;
    }

    /** The connection was reset: drop what was not delivered. */
    void kill() {
        dead = true;
        if (inflightId >= 0) {
            kernel.packetLost(inflightId);
            inflightId = -1;
        }
        if (inflight != null) {
            Transfer t = inflight;
            inflight = null;
            inflightBytes.clear(); // its memory goes back now (or once an observer it was lent to is done)
            inflightBytes = null;
            t.cancel();
        }
        unsent.clear();
    }
}
