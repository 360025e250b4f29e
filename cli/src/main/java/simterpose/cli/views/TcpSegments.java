package simterpose.cli.views;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sequence and acknowledgement numbers of one simulated TCP connection, turned into the
 * segments a capture shows: the three-way handshake, data cut at the {@link #MSS}, an ACK for
 * each delivery, FIN and RST. The simulation moves bytes as flows, not packets; this class only
 * numbers what it says happened, so the capture's byte counts are the run's.
 *
 * <p>Initial sequence numbers are derived from the four-tuple, so two identical runs number
 * alike. Not thread-safe: one per connection, driven by the run in simulated-time order.
 */
public final class TcpSegments {
    /** The segment size used for data and announced in SYNs: Ethernet's 1500 B MTU minus 40. */
    public static final int MSS = 1460;

    /** One segment, in the direction {@code fromClient} says. */
    public record Segment(boolean fromClient, long seq, long ack, int flags, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.fromClient == fromClient && s.seq == seq
                    && s.ack == ack && s.flags == flags && Arrays.equals(s.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq) * 31 + flags;
        }

        @Override
        public String toString() {
            return (fromClient ? "c>s" : "s>c") + " seq=" + seq + " ack=" + ack + " flags=" + flags
                    + " len=" + payload.length;
        }
    }

    private static final byte[] NONE = new byte[0];
    private long clientNext;   // next sequence number the client sends
    private long serverNext;

    public TcpSegments(int clientIp, int clientPort, int serverIp, int serverPort) {
        this.clientNext = isn(clientIp, clientPort, serverIp, serverPort);
        this.serverNext = isn(serverIp, serverPort, clientIp, clientPort);
    }

    public Segment syn() {
        return control(true, PcapWriter.SYN);
    }

    public Segment synAck() {
        return control(false, PcapWriter.SYN | PcapWriter.ACK);
    }

    /** The client's ACK that completes the handshake (or any bare ACK). */
    public Segment ack(boolean fromClient) {
        return new Segment(fromClient, next(fromClient), next(!fromClient), PcapWriter.ACK, NONE);
    }

    /** {@code bytes} sent in one direction, cut into segments of at most the MSS. */
    public List<Segment> data(boolean fromClient, byte[] bytes) {
        List<Segment> segments = new ArrayList<>(bytes.length / MSS + 1);
        for (int from = 0; from < bytes.length; from += MSS) {
            int to = Math.min(bytes.length, from + MSS);
            int flags = PcapWriter.ACK | (to == bytes.length ? PcapWriter.PSH : 0);
            segments.add(new Segment(fromClient, next(fromClient), next(!fromClient), flags,
                    Arrays.copyOfRange(bytes, from, to)));
            advance(fromClient, to - from);
        }
        return segments;
    }

    public Segment fin(boolean fromClient) {
        return control(fromClient, PcapWriter.FIN | PcapWriter.ACK);
    }

    public Segment rst(boolean fromClient) {
        return new Segment(fromClient, next(fromClient), next(!fromClient),
                PcapWriter.RST | PcapWriter.ACK, NONE);
    }

    /** A SYN or FIN: it takes one sequence number. */
    private Segment control(boolean fromClient, int flags) {
        Segment segment = new Segment(fromClient, next(fromClient), next(!fromClient), flags, NONE);
        advance(fromClient, 1);
        return segment;
    }

    private long next(boolean client) {
        return client ? clientNext : serverNext;
    }

    private void advance(boolean client, long by) {
        if (client) {
            clientNext = (clientNext + by) & 0xffffffffL;
        } else {
            serverNext = (serverNext + by) & 0xffffffffL;
        }
    }

    private static long isn(int ip, int port, int peerIp, int peerPort) {
        long h = 0x9e3779b97f4a7c15L;
        for (long v : new long[] {ip, port, peerIp, peerPort}) {
            h = (h ^ v) * 0xbf58476d1ce4e5b9L;
            h ^= h >>> 31;
        }
        return h & 0xffffffffL;
    }
}
