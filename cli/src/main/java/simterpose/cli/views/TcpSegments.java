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

    /**
     * One segment, in the direction {@code fromClient} says; its payload is {@code length} bytes
     * of {@code bytes} from {@code offset} (a slice of what was sent, not a copy), or, with
     * {@code bytes} null, bytes not kept (a headers-only capture).
     */
    public record Segment(boolean fromClient, long seq, long ack, int flags, byte[] bytes, int offset, int length) {
        /** The payload's bytes, copied (zeros when not kept). */
        public byte[] payload() {
            return bytes == null ? new byte[length] : Arrays.copyOfRange(bytes, offset, offset + length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.fromClient == fromClient && s.seq == seq
                    && s.ack == ack && s.flags == flags && Arrays.equals(s.payload(), payload());
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq) * 31 + flags;
        }

        @Override
        public String toString() {
            return (fromClient ? "c>s" : "s>c") + " seq=" + seq + " ack=" + ack + " flags=" + flags
                    + " len=" + length;
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
        return new Segment(fromClient, next(fromClient), next(!fromClient), PcapWriter.ACK, NONE, 0, 0);
    }

    /** {@code bytes} sent in one direction, cut into segments of at most the MSS. */
    public List<Segment> data(boolean fromClient, byte[] bytes) {
        return data(fromClient, bytes, bytes.length);
    }

    /** {@code length} bytes sent in one direction, {@code bytes} (null: not kept), cut into segments of at most the MSS. */
    public List<Segment> data(boolean fromClient, byte[] bytes, int length) {
        List<Segment> segments = new ArrayList<>(length / MSS + 1);
        for (int from = 0; from < length; from += MSS) {
            int to = Math.min(length, from + MSS);
            int flags = PcapWriter.ACK | (to == length ? PcapWriter.PSH : 0);
            segments.add(new Segment(fromClient, next(fromClient), next(!fromClient), flags, bytes, from, to - from));
            advance(fromClient, to - from);
        }
        return segments;
    }

    public Segment fin(boolean fromClient) {
        return control(fromClient, PcapWriter.FIN | PcapWriter.ACK);
    }

    public Segment rst(boolean fromClient) {
        return new Segment(fromClient, next(fromClient), next(!fromClient),
                PcapWriter.RST | PcapWriter.ACK, NONE, 0, 0);
    }

    /** A SYN or FIN: it takes one sequence number. */
    private Segment control(boolean fromClient, int flags) {
        Segment segment = new Segment(fromClient, next(fromClient), next(!fromClient), flags, NONE, 0, 0);
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
