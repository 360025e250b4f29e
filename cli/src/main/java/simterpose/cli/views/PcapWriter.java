package simterpose.cli.views;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

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

    /** Where a record's pcap header, IP header and transport header are built, before the payload. */
    private static final int RECORD = 16, AT_IP = RECORD, AT_TRANSPORT = AT_IP + IP_HEADER;

    private final BlockFile out;
    private final boolean headersOnly;
    private final byte[] scratch = new byte[AT_TRANSPORT + ICMP_HEADER + IP_HEADER + 8];
    private int ipId;

    /**
     * Creates or truncates {@code file}.
     *
     * @param headersOnly keep only the IP and transport headers of each packet (the records
     *                    still carry the original length, so tshark shows the payload's size)
     */
    public PcapWriter(Path file, boolean headersOnly) {
        this.out = new BlockFile(file);
        this.headersOnly = headersOnly;
        ByteBuffer header = le(24);
        header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_RAW);
        out.write(header.array(), 0, 24);
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

    /**
     * The data segments of {@code length} bytes sent at once ({@code payload}, or null when not
     * kept), cut at the {@link TcpSegments#MSS}, the first numbered {@code seq}, each
     * acknowledging {@code ack}, the last pushed: built once for the files of both hosts, as the
     * segments' checksums over the payload are the costly part of a capture of every byte.
     */
    public static final class TcpData {
        final int srcIp, srcPort, dstIp, dstPort, window;
        final long seq, ack;
        /** The payload's bytes in order, in parts of any length; null when not kept. */
        final List<MemorySegment> payload;
        final int length;
        /** Each segment's payload summed (a ones'-complement sum in network order, not folded); null when not kept. */
        final long[] payloadSums;
        /** Each segment's TCP checksum, the same in both hosts' files: made at the first file's write. */
        private int[] checksums;

        private TcpData(int srcIp, int srcPort, int dstIp, int dstPort, long seq, long ack, int window,
                        List<MemorySegment> payload, int length) {
            this.srcIp = srcIp;
            this.srcPort = srcPort;
            this.dstIp = dstIp;
            this.dstPort = dstPort;
            this.seq = seq;
            this.ack = ack;
            this.window = window;
            this.payload = payload;
            this.length = length;
            this.payloadSums = payload == null ? null : segmentSums(payload, length);
        }

        /** How many segments. */
        public int segments() {
            return (length + TcpSegments.MSS - 1) / TcpSegments.MSS;
        }

        /** The sequence number after the last byte. */
        public long nextSeq() {
            return (seq + length) & 0xffffffffL;
        }

        /** Segment {@code i}'s sequence number (32 bits). */
        int seq(int i) {
            return (int) (seq + (long) i * TcpSegments.MSS);
        }

        int length(int i) {
            return Math.min(TcpSegments.MSS, length - i * TcpSegments.MSS);
        }

        int flags(int i) {
            return ACK | (i == segments() - 1 ? PSH : 0);
        }

        /** Segment {@code i}'s checksum: the pseudo-header, its header's 16-bit words (by arithmetic) and its payload's sum. */
        int checksum(int i) {
            if (checksums == null) {
                checksums = new int[segments()];
                int window = Math.min(this.window, 0xffff);
                for (int k = 0; k < checksums.length; k++) {
                    int s = seq(k);
                    long header = srcPort + dstPort + (s >>> 16) + (s & 0xffff) + (((int) ack) >>> 16) + (ack & 0xffff)
                            + (((TCP_HEADER / 4) << 12) | flags(k)) + window;
                    checksums[k] = fold(pseudoHeader(srcIp, dstIp, 6, TCP_HEADER + length(k)) + header
                            + (payloadSums == null ? 0 : payloadSums[k]));
                }
            }
            return checksums[i];
        }
    }

    /**
     * See {@link TcpData}; {@code payload} holds {@code length} bytes in parts of any length and
     * alignment (the run lends a segment's payload as the socket's chunks), or is null when not
     * kept. The parts are read when this returns (the checksums) and when the segments are
     * written, in each host's file.
     */
    public static TcpData tcpData(int srcIp, int srcPort, int dstIp, int dstPort, long seq, long ack, int window,
                                  List<MemorySegment> payload, int length) {
        return new TcpData(srcIp, srcPort, dstIp, dstPort, seq, ack, window, payload, length);
    }

    /** See {@link TcpData}; {@code bytes} holds the payload from index 0, or is null when not kept. */
    public static TcpData tcpData(int srcIp, int srcPort, int dstIp, int dstPort, long seq, long ack, int window,
                                  byte[] bytes, int length) {
        return tcpData(srcIp, srcPort, dstIp, dstPort, seq, ack, window,
                bytes == null ? null : List.of(MemorySegment.ofArray(bytes)), length);
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

    /** Every segment of {@code data}, at one date (their checksums are taken once, for both hosts' files). */
    public void tcp(long dateNanos, TcpData data) {
        int segments = data.segments();
        int part = 0; // where the next segment's payload starts: part number and offset in it
        long inPart = 0;
        for (int i = 0; i < segments; i++) {
            int length = data.length(i);
            byte[] h = scratch;
            int at = AT_TRANSPORT;
            putShort(h, at, data.srcPort);
            putShort(h, at + 2, data.dstPort);
            putInt(h, at + 4, data.seq(i));
            putInt(h, at + 8, (int) data.ack);
            h[at + 12] = (byte) ((TCP_HEADER / 4) << 4);
            h[at + 13] = (byte) data.flags(i);
            putShort(h, at + 14, Math.min(data.window, 0xffff));
            putShort(h, at + 16, data.checksum(i));
            putShort(h, at + 18, 0);
            boolean payload = !headersOnly && data.payload != null;
            record(dateNanos, data.srcIp, data.dstIp, 6, TCP_HEADER, length, payload);
            for (long left = payload ? length : 0; left > 0; ) {
                MemorySegment p = data.payload.get(part);
                long k = Math.min(left, p.byteSize() - inPart);
                out.write(p, inPart, k);
                left -= k;
                inPart += k;
                if (inPart == p.byteSize()) {
                    part++;
                    inPart = 0;
                }
            }
        }
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

    /** One record with a transport {@code header} built apart. */
    private void packet(long dateNanos, int srcIp, int dstIp, int protocol, byte[] header, byte[] bytes, int offset,
                        int length) {
        System.arraycopy(header, 0, scratch, AT_TRANSPORT, header.length);
        boolean payload = !headersOnly && bytes != null;
        record(dateNanos, srcIp, dstIp, protocol, header.length, length, payload);
        if (payload) {
            out.write(bytes, offset, length);
        }
    }

    /**
     * A record's headers: the pcap record header and the IP header, built here before the
     * transport header already in {@link #scratch}; the caller then writes the {@code length}
     * payload bytes if {@code payload} (else the record has the headers only).
     */
    private void record(long dateNanos, int srcIp, int dstIp, int protocol, int transportHeader, int length,
                        boolean payload) {
        byte[] h = scratch;
        int originalLength = IP_HEADER + transportHeader + length;
        int captured = payload ? originalLength : IP_HEADER + transportHeader;
        putIntLe(h, 0, (int) Math.floorDiv(dateNanos, 1_000_000_000L));
        putIntLe(h, 4, (int) Math.floorMod(dateNanos, 1_000_000_000L));
        putIntLe(h, 8, captured);
        putIntLe(h, 12, originalLength);
        putIpHeader(h, AT_IP, srcIp, dstIp, protocol, transportHeader + length, ipId++ & 0xffff);
        out.write(h, 0, AT_TRANSPORT + transportHeader);
    }

    /** An IPv4 header of 20 bytes (version 4, DF, TTL 64); its checksum summed by arithmetic over its 16-bit words. */
    private static void putIpHeader(byte[] h, int at, int srcIp, int dstIp, int protocol, int transportLength, int id) {
        int totalLength = IP_HEADER + transportLength;
        h[at] = 0x45;
        h[at + 1] = 0;
        putShort(h, at + 2, totalLength);
        putShort(h, at + 4, id);
        putShort(h, at + 6, 0x4000); // don't fragment
        h[at + 8] = 64;
        h[at + 9] = (byte) protocol;
        putShort(h, at + 10, fold(0x4500L + totalLength + id + 0x4000 + (64 << 8 | protocol)
                + (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff)));
        putInt(h, at + 12, srcIp);
        putInt(h, at + 16, dstIp);
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private static void putIntLe(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
    }

    private static byte[] ipHeader(int srcIp, int dstIp, int protocol, int transportLength, int id) {
        byte[] header = new byte[IP_HEADER];
        putIpHeader(header, 0, srcIp, dstIp, protocol, transportLength, id);
        return header;
    }

    /**
     * The TCP/UDP checksum over the IPv4 pseudo-header, the transport header (of even length) and
     * the payload ({@code bytes} null: not kept, left out), stored at {@code at} in the header.
     */
    private static void putChecksum(byte[] header, byte[] bytes, int offset, int length, int at, int srcIp, int dstIp,
                                    int protocol) {
        long sum = sum(header, 0, header.length, pseudoHeader(srcIp, dstIp, protocol, header.length + length));
        if (bytes != null) {
            sum = sum(bytes, offset, offset + length, sum);
        }
        int checksum = fold(sum);
        header[at] = (byte) (checksum >>> 8);
        header[at + 1] = (byte) checksum;
    }

    /** The IPv4 pseudo-header's 16-bit words summed. */
    private static long pseudoHeader(int srcIp, int dstIp, int protocol, int transportLength) {
        return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + transportLength;
    }

    /** Scratch for {@link #segmentSums}: the payload as 64-bit words (the writer thread's). */
    private static final ThreadLocal<long[]> WORDS = ThreadLocal.withInitial(() -> new long[0]);

    /**
     * Each {@link TcpSegments#MSS} segment's payload of the first {@code length} bytes of
     * {@code parts} summed (network order, not folded). A plain loop over 64-bit words, the parts
     * copied one after the other into a scratch array first (so a sum never sees where a part
     * ends: parts of odd lengths and any alignment sum as the contiguous bytes would): several
     * times faster than reading a byte array eight bytes at a time, or native memory word by
     * word, when the JVM runs at C1 only (bin/simterpose), and this sum is taken over every byte
     * a run sends.
     * The words are summed as 32-bit halves in 64-bit accumulators (no carry to handle; the MSS
     * is a multiple of 4 so a segment starts on a half); 2^16 = 1 modulo 0xffff, so a
     * little-endian 32-bit word counts as its two little-endian 16-bit words once folded.
     */
    static long[] segmentSums(List<MemorySegment> parts, int length) {
        long[] words = wordsOf(parts, length);
        int segments = (length + TcpSegments.MSS - 1) / TcpSegments.MSS;
        long[] sums = new long[segments];
        for (int i = 0; i < segments; i++) {
            int from = i * (TcpSegments.MSS / 4);
            int to = Math.min(from + TcpSegments.MSS / 4, (length + 3) >>> 2);
            sums[i] = swap(foldCarries(halves(words, from, to)));
        }
        return sums;
    }

    /** The first {@code length} bytes of {@code parts} as 64-bit words (scratch), zeros after the last byte (RFC 1071's pad). */
    private static long[] wordsOf(List<MemorySegment> parts, int length) {
        int count = (length + 7) >>> 3;
        int tail = length & 7;
        long[] words = WORDS.get();
        if (words.length < count) {
            words = new long[Math.max(count, words.length * 2)];
            WORDS.set(words);
        }
        MemorySegment into = MemorySegment.ofArray(words);
        long at = 0;
        for (int i = 0; at < length; i++) {
            MemorySegment p = parts.get(i);
            long k = Math.min(p.byteSize(), length - at);
            MemorySegment.copy(p, 0, into, at, k);
            at += k;
        }
        if (tail != 0) {
            words[count - 1] &= (1L << (8 * tail)) - 1;
        }
        return words;
    }

    /** The little-endian 32-bit halves {@code [from, to)} of {@code words} summed. */
    private static long halves(long[] words, int from, int to) {
        long low = 0, high = 0;
        int i = from;
        if ((i & 1) != 0 && i < to) {
            high += words[i >>> 1] >>> 32;
            i++;
        }
        int end = to >>> 1;
        for (int w = i >>> 1; w < end; w++) {
            long word = words[w];
            low += word & 0xffffffffL;
            high += word >>> 32;
        }
        if ((to & 1) != 0 && to - 1 >= i) {
            low += words[to >>> 1] & 0xffffffffL;
        }
        return low + high;
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
        sum = foldCarries(sum); // the tail's additions below must not wrap a sum near 2^64
        for (; i + 2 <= to; i += 2) {
            sum += (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8);
        }
        if (i < to) {
            sum += data[i] & 0xff;
        }
        return swap(foldCarries(sum));
    }

    static int foldCarries(long sum) {
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

    @Override
    public void close() {
        out.close();
    }
}
