package simterpose.simulator.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import simterpose.simulator.platform.Host;

/**
 * getsockopt(IPPROTO_TCP, TCP_INFO): Linux's {@code struct tcp_info} (the 232 bytes of
 * linux/tcp.h up to tcpi_snd_wnd; offsets checked with gcc) filled from the simulated
 * connection. The fluid model has no packets, so the packet-level fields are what a clean path
 * shows: no loss, no retransmission, segments = bytes / MSS; the RTT is the route's round trip;
 * the congestion window is the window that bounds the flow in the model (TCP_gamma, or a buffer
 * the program set) in MSS units, with slow start over (ssthresh infinite, as Linux reports it).
 */
final class TcpInfo {
    private TcpInfo() {}

    static final int TCP_INFO = 11;
    static final int SIZE = 232;
    private static final int TCPI_OPT_TIMESTAMPS = 1, TCPI_OPT_SACK = 2, TCPI_OPT_WSCALE = 4;
    private static final int WSCALE = 7; // what Linux negotiates with default buffers
    private static final int INFINITE_SSTHRESH = 0x7fffffff;
    private static final int MIN_RTO_US = 200_000;
    private static final int DELAYED_ACK_US = 40_000;

    /** What the socket knows, in the units of struct tcp_info's producers. */
    record Snapshot(TcpSocket.State state, boolean connected, int mss, int pmtu, double rttSeconds, double window,
                    long acked, long onTheWire, long notSent, long received, long receiveWindow, long peerWindow) {}

    /** {@code s}'s connection as TCP_INFO reports it. */
    static Snapshot of(TcpSocket s) {
        Flow out = s.out;
        boolean connected = out != null;
        double rtt = 0;
        double window = s.kernel.simulation().config().tcpGamma();
        long queued = 0;
        long unsent = 0;
        long peerWindow = 0;
        if (connected) {
            Host peer = out.receiver.host();
            rtt = s.kernel.oneWay(s.host, peer) + s.kernel.oneWay(peer, s.host);
            window = Math.min(window, Math.min(s.sendWindow(), out.receiver.receiveWindow()));
            queued = out.queued();
            unsent = out.unsentBytes();
            peerWindow = out.receiver.window();
        }
        boolean loopback = s.remote != null && s.remote.isLoopback();
        return new Snapshot(s.state, connected, s.mss(), loopback ? 65536 : 1500, rtt, window,
                s.bytesSent - queued, s.bytesSent - unsent, unsent, s.bytesReceived + s.received.size(), s.window(),
                peerWindow);
    }

    static byte[] encode(Snapshot s) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long rttUs = Math.round(s.rttSeconds() * 1e6);
        int mss = s.mss();
        b.put(0, (byte) linuxState(s.state()));
        if (s.connected()) {
            b.put(5, (byte) (TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE));
            b.put(6, (byte) (WSCALE << 4 | WSCALE)); // rcv_wscale:4 (high), snd_wscale:4 (low)
        }
        b.putInt(8, (int) Math.min(Integer.MAX_VALUE, MIN_RTO_US + rttUs)); // rto
        b.putInt(12, s.connected() ? DELAYED_ACK_US : 0); // ato
        b.putInt(16, mss); // snd_mss
        b.putInt(20, mss); // rcv_mss
        long inFlight = s.onTheWire() - s.acked();
        b.putInt(24, (int) segments(inFlight, mss)); // unacked
        b.putInt(60, s.pmtu());
        b.putInt(64, (int) Math.min(Integer.MAX_VALUE, s.receiveWindow())); // rcv_ssthresh
        b.putInt(68, (int) rttUs); // rtt
        b.putInt(72, (int) (rttUs / 2)); // rttvar
        b.putInt(76, INFINITE_SSTHRESH); // snd_ssthresh
        b.putInt(80, s.connected() ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.window() / mss)) : 10); // snd_cwnd
        b.putInt(84, mss); // advmss
        b.putInt(88, 3); // reordering (sysctl tcp_reordering)
        b.putInt(96, (int) Math.min(Integer.MAX_VALUE, s.receiveWindow())); // rcv_space
        b.putLong(112, -1L); // max_pacing_rate: unlimited
        b.putLong(120, s.acked()); // bytes_acked
        b.putLong(128, s.received()); // bytes_received
        long segsOut = segments(s.onTheWire(), mss);
        long segsIn = segments(s.received(), mss);
        b.putInt(136, (int) segsOut); // segs_out
        b.putInt(140, (int) segsIn); // segs_in
        b.putInt(144, (int) Math.min(Integer.MAX_VALUE, s.notSent())); // notsent_bytes
        b.putInt(148, (int) rttUs); // min_rtt
        b.putInt(152, (int) segsIn); // data_segs_in
        b.putInt(156, (int) segsOut); // data_segs_out
        b.putInt(192, (int) segments(s.acked(), mss)); // delivered
        b.putLong(200, s.onTheWire()); // bytes_sent
        b.putInt(228, (int) Math.min(Integer.MAX_VALUE, s.peerWindow())); // snd_wnd
        return b.array();
    }

    private static long segments(long bytes, int mss) {
        return bytes <= 0 ? 0 : (bytes + mss - 1) / mss;
    }

    /** include/net/tcp_states.h numbering. */
    private static int linuxState(TcpSocket.State s) {
        return switch (s) {
            case ESTABLISHED -> 1;
            case SYN_SENT -> 2;
            case SYN_RECV -> 3;
            case FIN_WAIT1 -> 4;
            case FIN_WAIT2 -> 5;
            case TIME_WAIT -> 6;
            case CLOSED -> 7;
            case CLOSE_WAIT -> 8;
            case LAST_ACK -> 9;
            case LISTEN -> 10;
            case CLOSING -> 11;
        };
    }
}
