package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.cli.views.TcpSegments.Segment;

/** The pcap writer's files, read back by tshark with every checksum checked. */
class PcapWriterTest {
    private static final int CLIENT = 0x0a000001, SERVER = 0x0a000002;  // 10.0.0.1, 10.0.0.2
    private static final long MS = 1_000_000L;
    private static final String[] CHECK_ALL = {
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"};

    @TempDir Path dir;

    /** A netcat session seen at the client under 100 ms latency, plus bulk data, UDP and ICMP. */
    private Path capture(boolean headersOnly) throws IOException {
        Path file = dir.resolve(headersOnly ? "headers.pcap" : "client.pcap");
        TcpSegments tcp = new TcpSegments(CLIENT, 40000, SERVER, 5000);
        try (PcapWriter pcap = new PcapWriter(file, headersOnly)) {
            write(pcap, 100 * MS, tcp.syn());
            write(pcap, 300 * MS, tcp.synAck());
            write(pcap, 300 * MS, tcp.ack(true));
            data(pcap, 300 * MS, tcp, true, "lttng\n".getBytes(StandardCharsets.US_ASCII), headersOnly);
            write(pcap, 300 * MS, tcp.fin(true));
            write(pcap, 500 * MS, tcp.ack(false));
            byte[] bulk = new byte[4000];
            Arrays.fill(bulk, (byte) 'x');
            data(pcap, 500 * MS, tcp, false, bulk, headersOnly);
            write(pcap, 500 * MS, tcp.ack(true));
            write(pcap, 500 * MS, tcp.fin(false));
            write(pcap, 500 * MS, tcp.ack(true));
            pcap.udp(600 * MS, CLIENT, 41000, SERVER, 42000, "ping".getBytes(StandardCharsets.US_ASCII));
            pcap.icmpPortUnreachable(800 * MS, CLIENT, SERVER, 42000, 41000, "pong".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void write(PcapWriter pcap, long nanos, Segment s) {
        int src = s.fromClient() ? CLIENT : SERVER, dst = s.fromClient() ? SERVER : CLIENT;
        int sport = s.fromClient() ? 40000 : 5000, dport = s.fromClient() ? 5000 : 40000;
        pcap.tcp(nanos, src, sport, dst, dport, s.seq(), s.ack(), s.flags(), 65535, new byte[0]);
    }

    /** Bytes sent at once, cut at the MSS by the writer (as a run writes them); headers only: the bytes not kept. */
    private static void data(PcapWriter pcap, long nanos, TcpSegments tcp, boolean fromClient, byte[] bytes,
                             boolean headersOnly) {
        int src = fromClient ? CLIENT : SERVER, dst = fromClient ? SERVER : CLIENT;
        int sport = fromClient ? 40000 : 5000, dport = fromClient ? 5000 : 40000;
        long ack = tcp.peerNext(fromClient);
        pcap.tcp(nanos, PcapWriter.tcpData(src, sport, dst, dport, tcp.data(fromClient, bytes.length), ack, 65535,
                headersOnly ? null : bytes, bytes.length));
    }

    private static List<String> fields(Path file, String... fields) throws Exception {
        String[] argv = new String[5 + CHECK_ALL.length + 2 * fields.length];
        int i = 0;
        for (String a : new String[] {"/usr/bin/tshark", "-r", file.toString(), "-T", "fields"}) {
            argv[i++] = a;
        }
        for (String a : CHECK_ALL) {
            argv[i++] = a;
        }
        for (String f : fields) {
            argv[i++] = "-e";
            argv[i++] = f;
        }
        Tool.Result r = Tool.run(argv);
        assertThat(r.status()).as(r.out()).isZero();
        return r.out().lines().toList();
    }

    /** The fast checksum (little-endian, four bytes at a time) against RFC 1071's plain sum of big-endian 16-bit words. */
    @Test
    void checksumEqualsThePlainSumOfSixteenBitWords() {
        java.util.Random random = new java.util.Random(13);
        for (int length = 0; length < 300; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            if (length % 7 == 0) {
                Arrays.fill(data, (byte) 0xff); // sums that fold to 0xffff
            }
            long initial = random.nextInt(1 << 20);
            long plain = initial;
            for (int i = 0; i < length; i += 2) {
                plain += ((data[i] & 0xff) << 8) | (i + 1 < length ? data[i + 1] & 0xff : 0);
            }
            assertThat(PcapWriter.fold(PcapWriter.sum(data, 0, length, initial))).as("length %d", length)
                    .isEqualTo(PcapWriter.fold(plain));
        }
    }

    /** Each segment's sum from the payload's 64-bit words against RFC 1071's plain sum, for lengths around the MSS's multiples. */
    @Test
    void segmentSumsEqualThePlainSumOfEachSegmentsSixteenBitWords() {
        java.util.Random random = new java.util.Random(14);
        int mss = TcpSegments.MSS;
        for (int length : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, mss - 1, mss, mss + 1, mss + 3, 2 * mss, 2 * mss + 5,
                3 * mss - 7, 100_000, 4 * mss + 1}) {
            for (int round = 0; round < 3; round++) { // the scratch words are reused: a shorter payload after a longer one
                byte[] data = new byte[length];
                random.nextBytes(data);
                if (round == 1) {
                    Arrays.fill(data, (byte) 0xff);
                }
                long[] sums = PcapWriter.segmentSums(List.of(MemorySegment.ofArray(data)), length);
                // the same bytes in 64-bit words (as the run gives them): zeros after the end, or not
                long[] words = new long[(length + 7) / 8 + 1];
                MemorySegment.copy(MemorySegment.ofArray(data), 0, MemorySegment.ofArray(words), 0, length);
                assertThat(PcapWriter.segmentSums(List.of(MemorySegment.ofArray(words)), length)).isEqualTo(sums);
                Arrays.fill(words, words.length - 1, words.length, -1L);
                if (length % 8 != 0) {
                    words[length / 8] |= -1L << (8 * (length % 8));
                }
                assertThat(PcapWriter.segmentSums(List.of(MemorySegment.ofArray(words)), length)).isEqualTo(sums);
                assertThat(sums).as("length %d", length).hasSize((length + mss - 1) / mss);
                for (int s = 0; s < sums.length; s++) {
                    long plain = 0;
                    for (int i = s * mss; i < Math.min(length, (s + 1) * mss); i += 2) {
                        plain += ((data[i] & 0xff) << 8) | (i + 1 < Math.min(length, (s + 1) * mss) ? data[i + 1] & 0xff : 0);
                    }
                    assertThat(PcapWriter.fold(sums[s])).as("length %d segment %d", length, s).isEqualTo(PcapWriter.fold(plain));
                }
                byte[] ones = new byte[8 * mss];
                Arrays.fill(ones, (byte) 0xff);
                PcapWriter.segmentSums(List.of(MemorySegment.ofArray(ones)), ones.length); // leaves the scratch longer and dirty
            }
        }
    }

    /**
     * The same bytes cut in parts of random lengths at random addresses (as a run lends a segment's
     * chunks) sum as the contiguous bytes do: odd part lengths and odd addresses carry over correctly.
     */
    @Test
    void segmentSumsOverPartsOfAnyLengthAndAlignmentEqualTheContiguousSums() {
        java.util.Random random = new java.util.Random(15);
        int mss = TcpSegments.MSS;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            for (int round = 0; round < 300; round++) {
                int length = round < 20 ? round : 1 + random.nextInt(round % 3 == 0 ? 4 * mss : 100_000);
                byte[] data = new byte[length];
                random.nextBytes(data);
                if (round % 10 == 1) {
                    Arrays.fill(data, (byte) 0xff); // sums that fold to 0xffff
                }
                long[] contiguous = PcapWriter.segmentSums(List.of(MemorySegment.ofArray(data)), length);
                List<MemorySegment> parts = new java.util.ArrayList<>();
                for (int at = 0; at < length; ) {
                    int k = Math.min(length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 3 * mss));
                    if (random.nextBoolean()) { // native memory at an odd or even address, as the C heap gives
                        MemorySegment m = arena.allocate(k + 8, 8).asSlice(random.nextInt(8), k);
                        MemorySegment.copy(MemorySegment.ofArray(data), at, m, 0, k);
                        parts.add(m);
                    } else {
                        parts.add(MemorySegment.ofArray(Arrays.copyOfRange(data, at, at + k)));
                    }
                    at += k;
                }
                assertThat(PcapWriter.segmentSums(parts, length)).as("round %d, %d bytes in %d parts", round, length,
                        parts.size()).isEqualTo(contiguous);
                for (int s = 0; s < contiguous.length; s++) { // and both against RFC 1071's plain sum
                    int from = s * mss, to = Math.min(length, from + mss);
                    assertThat(PcapWriter.fold(contiguous[s])).as("round %d length %d segment %d", round, length, s).isEqualTo(PcapWriter.fold(PcapWriter.sum(data, from, to, 0)));
                }
            }
        }
    }

    @Test
    void tsharkReadsTheHandshakeAtItsSimulatedDatesAndTheSixPayloadBytes() throws Exception {
        Path file = capture(false);
        List<String> rows = fields(file, "frame.time_epoch", "ip.src", "tcp.flags.str", "tcp.len",
                "tcp.seq", "tcp.ack", "tcp.payload", "udp.length", "icmp.type");
        assertThat(rows).hasSize(14);
        assertThat(rows.get(0)).startsWith("0.100000000\t10.0.0.1\t··········S·\t0\t0\t0");
        assertThat(rows.get(1)).startsWith("0.300000000\t10.0.0.2\t·······A··S·\t0\t0\t1");
        assertThat(rows.get(3)).isEqualTo("0.300000000\t10.0.0.1\t·······AP···\t6\t1\t1\t6c74746e670a\t\t");
        // 4000 bytes from the server: two full segments and the rest, relative seqs 1, 1461, 2921
        assertThat(rows.subList(6, 9)).extracting(r -> r.split("\t")[3] + "@" + r.split("\t")[4])
                .containsExactly("1460@1", "1460@1461", "1080@2921");
        assertThat(rows.get(12)).contains("\t12\t");
        assertThat(rows.get(13)).endsWith("\t3");
    }

    @Test
    void tsharkFindsNoMalformedPacketNorErrorEvenWithChecksumsChecked() throws Exception {
        for (boolean headersOnly : new boolean[] {false, true}) {
            Path file = capture(headersOnly);
            String[] argv = {"/usr/bin/tshark", "-r", file.toString(), "-q", "-z", "expert,warn",
                CHECK_ALL[0], CHECK_ALL[1], CHECK_ALL[2], CHECK_ALL[3], CHECK_ALL[4], CHECK_ALL[5]};
            Tool.Result r = Tool.run(argv);
            assertThat(r.status()).as(r.out()).isZero();
            assertThat(r.out()).as(r.out()).doesNotContainIgnoringCase("malformed")
                    .doesNotContain("Errors (").doesNotContain("Warns (");
        }
    }

    @Test
    void headersOnlyKeepsEachPacketsOriginalLength() throws Exception {
        List<String> rows = fields(capture(true), "frame.len", "frame.cap_len");
        assertThat(rows.get(3)).isEqualTo("46\t40");
        assertThat(rows.get(6)).isEqualTo("1500\t40");
    }
}
