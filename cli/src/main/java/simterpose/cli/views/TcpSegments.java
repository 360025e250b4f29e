package simterpose.cli.views;

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
    /** The segment size used for data and announced in SYNs: Ethernet's 1500 B MTU minus 40 (a multiple of 4: see {@link PcapWriter#segmentSums}). */
    public static final int MSS = 1460;

    /** One control segment (no payload), in the direction {@code fromClient} says. */
    public record Segment(boolean fromClient, long seq, long ack, int flags) {
        @Override
        public String toString() {
            return (fromClient ? "c>s" : "s>c") + " seq=" + seq + " ack=" + ack + " flags=" + flags;
        }
    }

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
        return new Segment(fromClient, next(fromClient), next(!fromClient), PcapWriter.ACK);
    }

    /**
     * {@code length} bytes sent in one direction: the sequence number of their first byte
     * ({@link PcapWriter#tcpData} cuts them into segments of at most the MSS).
     */
    public long data(boolean fromClient, int length) {
        long seq = next(fromClient);
        advance(fromClient, length);
        return seq;
    }

    /** What the side opposite to {@code fromClient} sends next (what a segment from {@code fromClient} acknowledges). */
    public long peerNext(boolean fromClient) {
        return next(!fromClient);
    }

    public Segment fin(boolean fromClient) {
        return control(fromClient, PcapWriter.FIN | PcapWriter.ACK);
    }

    public Segment rst(boolean fromClient) {
        return new Segment(fromClient, next(fromClient), next(!fromClient), PcapWriter.RST | PcapWriter.ACK);
    }

    /** A SYN or FIN: it takes one sequence number. */
    private Segment control(boolean fromClient, int flags) {
        Segment segment = new Segment(fromClient, next(fromClient), next(!fromClient), flags);
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
