package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.kernel.NetEvents;
import simterpose.simulator.mediation.RunObserver.Endpoint;
import simterpose.simulator.mediation.RunObserver.Packet;
import simterpose.simulator.mediation.RunObserver.Payload;
import simterpose.simulator.mediation.RunObserver.Protocol;

/** A data segment's lent payload is read where it is, and released once no file will read it: arrived, lost, or the run ended. */
class PcapViewsTest {
    private static final Endpoint CLIENT = new Endpoint("a", 0x0a000001, 40000);
    private static final Endpoint SERVER = new Endpoint("b", 0x0a000002, 5000);

    /** A loan of {@code bytes} in parts of the given lengths, as the run lends a segment's chunks; counts its releases. */
    private static final class Loan implements Payload {
        final List<MemorySegment> parts = new ArrayList<>();
        final long length;
        int releases;

        Loan(byte[] bytes, int... cuts) {
            int at = 0;
            for (int k : cuts) {
                parts.add(MemorySegment.ofArray(Arrays.copyOfRange(bytes, at, at + k)));
                at += k;
            }
            parts.add(MemorySegment.ofArray(Arrays.copyOfRange(bytes, at, bytes.length)));
            length = bytes.length;
        }

        @Override
        public List<MemorySegment> parts() {
            return parts;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void release() {
            releases++;
            parts.replaceAll(p -> MemorySegment.ofArray(new byte[(int) p.byteSize()]).fill((byte) '!')); // freed and reused
        }
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return b;
    }

    private static Packet segment(long id, Loan payload) {
        return new Packet(Protocol.TCP, id, 1_000_000, -1, CLIENT, SERVER, 0, payload.length(), payload);
    }

    /** SYN, segments 1 and 2 (2 lost), segment 3 never arrives; the loans as given. */
    private static void capture(Path dir, Loan one, Loan two, Loan three) {
        PcapViews views = new PcapViews(dir, false, 0);
        views.packet(new Packet(Protocol.TCP, -1, 0, 500_000, CLIENT, SERVER, NetEvents.SYN, 0, null));
        views.packet(segment(1, one));
        views.packet(segment(2, two));
        assertThat(one.releases + two.releases).isZero(); // the sender's file has them; the receiver's not yet
        views.arrived(1, 2_000_000);
        assertThat(one.releases).isEqualTo(1);
        assertThat(two.releases).isZero();
        views.lost(2); // its connection was reset: it never reaches the receiver's file
        assertThat(two.releases).isEqualTo(1);
        views.packet(segment(3, three));
        views.close(); // the run ended before it arrived
        assertThat(three.releases).isEqualTo(1);
        assertThat(one.releases + two.releases).isEqualTo(2);
    }

    @Test
    void aLentPayloadIsReleasedOnlyOnceTheReceiversFileHasItOrItWasLost(@TempDir Path dir) throws Exception {
        byte[] first = bytes(3000, 1), second = bytes(3000, 2), third = bytes(100, 3);
        Path parts = Files.createDirectory(dir.resolve("parts"));
        capture(parts, new Loan(first, 1001, 7, 1460), new Loan(second, 1), new Loan(third, 33));
        byte[] sender = Files.readAllBytes(parts.resolve("a.pcap"));
        byte[] receiver = Files.readAllBytes(parts.resolve("b.pcap"));
        // the SYN, then the segments of 3000 bytes in three records each (1460, 1460, 80) and the one of 100 in the sender's file
        assertThat(sender.length).isEqualTo(24 + (16 + 44) + 2 * (3 * (16 + 40) + 3000) + (16 + 40) + 100);
        // the SYN and the segment that arrived in the receiver's, its bytes as lent (none reused after their release)
        assertThat(receiver.length).isEqualTo(24 + (16 + 44) + 3 * (16 + 40) + 3000);
        assertThat(Arrays.copyOfRange(receiver, receiver.length - 80, receiver.length))
                .isEqualTo(Arrays.copyOfRange(first, 2920, 3000));

        // the same payloads in one part each: the same files, byte for byte (checksums included)
        Path whole = Files.createDirectory(dir.resolve("whole"));
        capture(whole, new Loan(first), new Loan(second), new Loan(third));
        assertThat(Files.readAllBytes(whole.resolve("a.pcap"))).isEqualTo(sender);
        assertThat(Files.readAllBytes(whole.resolve("b.pcap"))).isEqualTo(receiver);
    }
}
