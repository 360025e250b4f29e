package simterpose.cli.views;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    /**
     * A TCP segment's header (with its checksum, over the payload too) and payload ({@code length}
     * bytes of {@code bytes} from {@code offset}; {@code bytes} null: not kept), built once for the
     * files of both its hosts.
     */
    public record TcpPacket(int srcIp, int dstIp, byte[] header, byte[] bytes, int offset, int length) {}

    /** Builds a TCP segment; the payload may be empty, or null when not kept. Addresses are IPv4 in host order ints. */
    public static TcpPacket tcpPacket(int srcIp, int srcPort, int dstIp, int dstPort, long seq, long ack, int flags,
                                      int window, byte[] bytes, int offset, int length) {
        int optionsLength = (flags & SYN) != 0 ? 4 : 0;  // a SYN announces its MSS
        ByteBuffer tcp = be(TCP_HEADER + optionsLength);
        tcp.putShort((short) srcPort).putShort((short) dstPort)
                .putInt((int) seq).putInt((flags & ACK) != 0 ? (int) ack : 0)
                .put((byte) (((TCP_HEADER + optionsLength) / 4) << 4)).put((byte) flags)
                .putShort((short) Math.min(window, 0xffff)).putShort((short) 0).putShort((short) 0);
        if (optionsLength > 0) {
            tcp.put((byte) 2).put((byte) 4).putShort((short) TcpSegments.MSS);
        }
        byte[] header = tcp.array();
        putChecksum(header, bytes, offset, length, 16, srcIp, dstIp, 6);
        return new TcpPacket(srcIp, dstIp, header, bytes, offset, length);
    }

    /** One TCP segment; {@code payload} may be empty. Addresses are IPv4 in host order ints. */
    public void tcp(long dateNanos, int srcIp, int srcPort, int dstIp, int dstPort,
                    long seq, long ack, int flags, int window, byte[] payload) {
        tcp(dateNanos, tcpPacket(srcIp, srcPort, dstIp, dstPort, seq, ack, flags, window, payload, 0, payload.length));
    }

    /** One TCP segment built by {@link #tcpPacket}. */
    public void tcp(long dateNanos, TcpPacket segment) {
        packet(dateNanos, segment.srcIp(), segment.dstIp(), 6, segment.header(), segment.bytes(), segment.offset(),
                segment.length());
    }

    /** One UDP datagram. */
    public void udp(long dateNanos, int srcIp, int srcPort, int dstIp, int dstPort, byte[] payload) {
        byte[] header = udpHeader(srcIp, srcPort, dstIp, dstPort, payload);
        packet(dateNanos, srcIp, dstIp, 17, header, payload, 0, payload.length);
    }

    private static byte[] udpHeader(int srcIp, int srcPort, int dstIp, int dstPort, byte[] payload) {
        ByteBuffer udp = be(UDP_HEADER);
        udp.putShort((short) srcPort).putShort((short) dstPort)
                .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0);
        byte[] header = udp.array();
        putChecksum(header, payload, 0, payload.length, 6, srcIp, dstIp, 17);
        if (header[6] == 0 && header[7] == 0) {
            header[6] = header[7] = (byte) 0xff;  // RFC 768: a computed 0 is sent as all ones
        }
        return header;
    }

    /**
     * ICMP destination unreachable, port unreachable, from {@code routerIp} (the host whose port
     * was closed) quoting the offending UDP datagram's IP header and first 8 bytes.
     */
    public void icmpPortUnreachable(long dateNanos, int hostIp, int peerIp,
                                    int peerPort, int closedPort, byte[] payload) {
        byte[] udpHeader = udpHeader(peerIp, peerPort, hostIp, closedPort, payload);
        byte[] quotedIp = ipHeader(peerIp, hostIp, 17, UDP_HEADER + payload.length, 0);
        ByteBuffer icmp = be(ICMP_HEADER + IP_HEADER + 8);
        icmp.put((byte) 3).put((byte) 3).putShort((short) 0).putInt(0)
                .put(quotedIp).put(udpHeader);
        byte[] message = icmp.array();
        int sum = fold(sum(message, 0, message.length, 0));
        message[2] = (byte) (sum >>> 8);
        message[3] = (byte) sum;
        packet(dateNanos, hostIp, peerIp, 1, message, null, 0, 0);
    }

    /**
     * One record: the IP header, the transport {@code header}, then the payload ({@code length}
     * bytes of {@code bytes} from {@code offset}) unless headers only or not kept (null).
     */
    private void packet(long dateNanos, int srcIp, int dstIp, int protocol, byte[] header, byte[] bytes, int offset,
                        int length) {
        byte[] ip = ipHeader(srcIp, dstIp, protocol, header.length + length, ipId++ & 0xffff);
        int originalLength = ip.length + header.length + length;
        boolean payload = !headersOnly && bytes != null;
        int captured = payload ? originalLength : ip.length + header.length;
        ByteBuffer record = le(16);
        record.putInt((int) Math.floorDiv(dateNanos, 1_000_000_000L))
                .putInt((int) Math.floorMod(dateNanos, 1_000_000_000L))
                .putInt(captured).putInt(originalLength);
        write(record.array());
        write(ip);
        write(header);
        if (payload) {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] ipHeader(int srcIp, int dstIp, int protocol, int transportLength, int id) {
        ByteBuffer ip = be(IP_HEADER);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + transportLength))
                .putShort((short) id).putShort((short) 0x4000)  // don't fragment
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(srcIp).putInt(dstIp);
        byte[] header = ip.array();
        int sum = fold(sum(header, 0, header.length, 0));
        header[10] = (byte) (sum >>> 8);
        header[11] = (byte) sum;
        return header;
    }

    /**
     * The TCP/UDP checksum over the IPv4 pseudo-header, the transport header (of even length) and
     * the payload ({@code bytes} null: not kept, left out), stored at {@code at} in the header.
     */
    private static void putChecksum(byte[] header, byte[] bytes, int offset, int length, int at, int srcIp, int dstIp,
                                    int protocol) {
        long pseudo = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff)
                + protocol + header.length + length;
        long sum = sum(header, 0, header.length, pseudo);
        if (bytes != null) {
            sum = sum(bytes, offset, offset + length, sum);
        }
        int checksum = fold(sum);
        header[at] = (byte) (checksum >>> 8);
        header[at + 1] = (byte) checksum;
    }

    private static final VarHandle LONG_LITTLE_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Adds {@code data[from, to)} (at an even offset of the summed bytes) to a ones'-complement
     * sum of big-endian 16-bit words, an odd last byte padded with zero. RFC 1071's shortcuts,
     * for speed on a capture of every byte sent: the sum is taken in the machine's byte order
     * (little-endian: the word's bytes swapped, which swaps the folded sum) and eight bytes at a
     * time with end-around carry (2^16 = 1 modulo 0xffff: a 64-bit word counts as its four
     * 16-bit parts once folded).
     * {@code initial} and the result are in network order.
     */
    static long sum(byte[] data, int from, int to, long initial) {
        long sum = swap(foldCarries(initial));
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONG_LITTLE_ENDIAN.get(data, i);
            sum += word;
            if (Long.compareUnsigned(sum, word) < 0) {
                sum++; // the end-around carry (2^64 = 1 modulo 0xffff)
            }
        }
        for (; i + 2 <= to; i += 2) {
            sum += (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8);
        }
        if (i < to) {
            sum += data[i] & 0xff;
        }
        return swap(foldCarries(sum));
    }

    private static int foldCarries(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static long swap(int word) {
        return ((word & 0xff) << 8) | (word >>> 8);
    }

    /** The ones'-complement of a sum folded to 16 bits: the checksum field's value. */
    static int fold(long sum) {
        return ~foldCarries(sum) & 0xffff;
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
