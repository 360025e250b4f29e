package simterpose.simulator.kernel;

import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;

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
 * <li>The receiver gets a segment's bytes when its transfer completes; the sender's send buffer
 * frees them then (delivered = acknowledged; the ACK's own latency is not charged, the fluid
 * model has already spread the bandwidth-delay product over the flow).</li>
 * <li>Flow control: a segment never carries more than the receive window has room for
 * (SO_RCVBUF minus the bytes the reader has not read). A full window stops the direction; the
 * reader's next read restarts it (a new flow with its latency phase if time has passed:
 * the window update and the data both cross the network again).</li>
 * <li>The FIN rides on the last segment when bytes are pending at shutdown/close (the reader
 * sees the data and the end of stream at the same instant); alone, it is a control packet.</li>
 * </ul>
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class Flow {
    private final Kernel kernel;
    final TcpSocket sender;
    final TcpSocket receiver;
    /** Written, not yet in a segment. */
    final ByteQueue unsent = new ByteQueue();
    private ByteQueue inflightBytes;
    private Transfer inflight;
    private double lastDelivery = Double.NaN;
    private boolean finQueued;
    private boolean finSent;
    private boolean dead;

    Flow(Kernel kernel, TcpSocket sender, TcpSocket receiver) {
        this.kernel = kernel;
        this.sender = sender;
        this.receiver = receiver;
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

    void write(byte[] data, int off, int len) {
        unsent.append(data, off, len);
        pump();
    }

    /** Starts the next segment if the direction is idle and there are bytes the window takes. */
    void pump() {
        if (dead || inflight != null || unsent.isEmpty()) {
            return;
        }
        long room = receiver.window() - receiver.unread();
        if (room <= 0) {
            return; // window full: the receiver's read pumps again
        }
        long n = Math.min(unsent.size(), room);
        inflightBytes = unsent.split(n);
        Simulation sim = kernel.simulation();
        Transfer t = sim.now() == lastDelivery
                ? sim.continueTransfer(sender.host(), receiver.host(), n)
                : sim.startTransfer(sender.host(), receiver.host(), n);
        inflight = t;
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
        receiver.dataArrives(this, segment);
        if (dead) {
            return;
        }
        sender.notifyChanged(); // send-buffer space
        pump();
        if (finQueued && !finSent && inflight == null && unsent.isEmpty()) {
            sendFin(true);
        }
    }

    /** The sender shut down writing: FIN after the bytes already written. */
    void shutdown() {
        if (finQueued || dead) {
            return;
        }
        finQueued = true;
        if (inflight == null && unsent.isEmpty()) {
            sendFin(false);
        }
    }

    private void sendFin(boolean withLastSegment) {
        finSent = true;
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

    /** The connection was reset: drop what was not delivered. */
    void kill() {
        dead = true;
        if (inflight != null) {
            Transfer t = inflight;
            inflight = null;
            inflightBytes = null;
            t.cancel();
        }
        unsent.clear();
    }
}
