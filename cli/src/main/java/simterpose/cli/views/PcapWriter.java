package simterpose.cli.views;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes one host's simulated traffic as a classic pcap file (nanosecond variant, magic
 * {@code 0xa1b23c4d}, link type {@code LINKTYPE_RAW} = 101: each record is an IPv4 packet with
 * no link-layer header). IPv4, TCP, UDP and ICMP headers are built here with correct checksums,
 * so Wireshark's validation finds nothing to flag.
 *
 * <p>Why not a library: the format is a 24-byte file header plus a 16-byte header per record.
 * pcap4j (Maven Central) wraps the native libpcap through JNA, a native dependency for 40 bytes
 * of layout; pkts.io reads and re-writes captured frames but does not build packets. Written
 * here instead, with tshark as the judge in the tests.
 *
 * <p>Dates are simulated nanoseconds since the epoch; records must be written in date order
 * (Wireshark accepts any order but flags none). Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
    /** TCP flag bits as in the header's 13th byte. */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

    private static final int LINKTYPE_RAW = 101;
    private static final int SNAPLEN = 262_144;
    private static final int IP_HEADER = 20, TCP_HEADER = 20, UDP_HEADER = 8, ICMP_HEADER = 8;

    private final OutputStream out;
    private final boolean headersOnly;
    private int ipId;

    /**
     * @param headersOnly keep only the IP and transport headers of each packet (the records
     *                    still carry the original length, so tshark shows the payload's size)
     */
    public PcapWriter(OutputStream out, boolean headersOnly) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.headersOnly = headersOnly;
        ByteBuffer header = le(24);
        header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_RAW);
        write(header.array());
    }

    /** One TCP segment; {@code payload} may be empty. Addresses are IPv4 in host order ints. */
    public void tcp(long dateNanos, int srcIp, int srcPort, int dstIp, int dstPort,
                    long seq, long ack, int flags, int window, byte[] payload) {
        int optionsLength = (flags & SYN) != 0 ? 4 : 0;  // a SYN announces its MSS
        ByteBuffer tcp = be(TCP_HEADER + optionsLength + payload.length);
        tcp.putShort((short) srcPort).putShort((short) dstPort)
                .putInt((int) seq).putInt((flags & ACK) != 0 ? (int) ack : 0)
                .put((byte) (((TCP_HEADER + optionsLength) / 4) << 4)).put((byte) flags)
                .putShort((short) Math.min(window, 0xffff)).putShort((short) 0).putShort((short) 0);
        if (optionsLength > 0) {
            tcp.put((byte) 2).put((byte) 4).putShort((short) TcpSegments.MSS);
        }
        tcp.put(payload);
        byte[] segment = tcp.array();
        putChecksum(segment, 16, srcIp, dstIp, 6);
        packet(dateNanos, srcIp, dstIp, 6, segment, TCP_HEADER + optionsLength);
    }

    /** One UDP datagram. */
    public void udp(long dateNanos, int srcIp, int srcPort, int dstIp, int dstPort, byte[] payload) {
        ByteBuffer udp = be(UDP_HEADER + payload.length);
        udp.putShort((short) srcPort).putShort((short) dstPort)
                .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0).put(payload);
        byte[] datagram = udp.array();
        putChecksum(datagram, 6, srcIp, dstIp, 17);
        if (datagram[6] == 0 && datagram[7] == 0) {
            datagram[6] = datagram[7] = (byte) 0xff;  // RFC 768: a computed 0 is sent as all ones
        }
        packet(dateNanos, srcIp, dstIp, 17, datagram, UDP_HEADER);
    }

    /**
     * ICMP destination unreachable, port unreachable, from {@code routerIp} (the host whose port
     * was closed) quoting the offending UDP datagram's IP header and first 8 bytes.
     */
    public void icmpPortUnreachable(long dateNanos, int hostIp, int peerIp,
                                    int peerPort, int closedPort, byte[] payload) {
        ByteBuffer udp = be(UDP_HEADER + payload.length);
        udp.putShort((short) peerPort).putShort((short) closedPort)
                .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0).put(payload);
        byte[] datagram = udp.array();
        putChecksum(datagram, 6, peerIp, hostIp, 17);
        byte[] quotedIp = ipHeader(peerIp, hostIp, 17, datagram.length, 0);
        ByteBuffer icmp = be(ICMP_HEADER + IP_HEADER + 8);
        icmp.put((byte) 3).put((byte) 3).putShort((short) 0).putInt(0)
                .put(quotedIp).put(datagram, 0, 8);
        byte[] message = icmp.array();
        int sum = onesComplement(message, 0, message.length, 0);
        message[2] = (byte) (sum >>> 8);
        message[3] = (byte) sum;
        packet(dateNanos, hostIp, peerIp, 1, message, message.length);
    }

    private void packet(long dateNanos, int srcIp, int dstIp, int protocol, byte[] transport,
                        int headerLength) {
        byte[] ip = ipHeader(srcIp, dstIp, protocol, transport.length, ipId++ & 0xffff);
        int originalLength = ip.length + transport.length;
        int captured = headersOnly ? ip.length + headerLength : originalLength;
        ByteBuffer record = le(16);
        record.putInt((int) Math.floorDiv(dateNanos, 1_000_000_000L))
                .putInt((int) Math.floorMod(dateNanos, 1_000_000_000L))
                .putInt(captured).putInt(originalLength);
        write(record.array());
        write(ip);
        try {
            out.write(transport, 0, captured - ip.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ipHeader(int srcIp, int dstIp, int protocol, int transportLength, int id) {
        ByteBuffer ip = be(IP_HEADER);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + transportLength))
                .putShort((short) id).putShort((short) 0x4000)  // don't fragment
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(srcIp).putInt(dstIp);
        byte[] header = ip.array();
        int sum = onesComplement(header, 0, header.length, 0);
        header[10] = (byte) (sum >>> 8);
        header[11] = (byte) sum;
        return header;
    }

    /** The TCP/UDP checksum over the IPv4 pseudo-header and the segment, stored at {@code at}. */
    private static void putChecksum(byte[] segment, int at, int srcIp, int dstIp, int protocol) {
        long pseudo = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff)
                + protocol + segment.length;
        int sum = onesComplement(segment, 0, segment.length, pseudo);
        segment[at] = (byte) (sum >>> 8);
        segment[at + 1] = (byte) sum;
    }

    private static int onesComplement(byte[] data, int from, int to, long initial) {
        long sum = initial;
        for (int i = from; i < to; i += 2) {
            int high = data[i] & 0xff;
            int low = i + 1 < to ? data[i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer be(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
