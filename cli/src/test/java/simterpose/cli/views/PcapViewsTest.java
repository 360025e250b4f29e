package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.kernel.NetEvents;
import simterpose.simulator.mediation.RunObserver.Endpoint;
import simterpose.simulator.mediation.RunObserver.Packet;
import simterpose.simulator.mediation.RunObserver.Protocol;

/** A data segment's payload memory goes back to the pool once no file will read it: arrived, or lost. */
class PcapViewsTest {
    private static final Endpoint CLIENT = new Endpoint("a", 0x0a000001, 40000);
    private static final Endpoint SERVER = new Endpoint("b", 0x0a000002, 5000);

    private static Packet segment(PcapViews views, long id, int length) {
        MemorySegment payload = views.payloadMemory((length + 7) / 8).asSlice(0, length).fill((byte) 'x');
        return new Packet(Protocol.TCP, id, 1_000_000, -1, CLIENT, SERVER, 0, length, payload);
    }

    @Test
    void aSegmentsPayloadIsReusedOnceItArrivedOrWasLost(@TempDir Path dir) throws Exception {
        PcapViews views = new PcapViews(dir, false, 0);
        views.packet(new Packet(Protocol.TCP, -1, 0, 500_000, CLIENT, SERVER, NetEvents.SYN, 0, null));
        views.packet(segment(views, 1, 3000));
        views.packet(segment(views, 2, 3000));
        long stock = views.pooledPayloadWords(); // what the writer made ahead (see PayloadPool.restock), not these two
        views.arrived(1, 2_000_000);
        assertThat(views.pooledPayloadWords()).isEqualTo(stock + PayloadPool.MIN_WORDS);
        views.lost(2); // its connection was reset: it never reaches the receiver's file
        assertThat(views.pooledPayloadWords()).isEqualTo(stock + 2 * PayloadPool.MIN_WORDS);
        views.close();
        byte[] sender = Files.readAllBytes(dir.resolve("a.pcap"));
        byte[] receiver = Files.readAllBytes(dir.resolve("b.pcap"));
        // the SYN, then the two segments of 3000 bytes in three records each (1460, 1460, 80) in the sender's file
        assertThat(sender.length).isEqualTo(24 + (16 + 44) + 2 * (3 * (16 + 40) + 3000));
        // the SYN and the segment that arrived in the receiver's
        assertThat(receiver.length).isEqualTo(24 + (16 + 44) + 3 * (16 + 40) + 3000);
        assertThat(MemorySegment.ofArray(receiver).get(ValueLayout.JAVA_BYTE, receiver.length - 1)).isEqualTo((byte) 'x');
    }
}
