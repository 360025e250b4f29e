package simterpose.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The links' timing, packet by packet: serialization, latency, sharing policies, drop-tail. */
class LinkQueuesTest {
    static final long MS = 1_000_000;

    /** Hosts a and b, one 1 MB/s, 2 ms link between them with the given sharing policy. */
    private static LinkQueues queues(Path dir, String sharing) throws Exception {
        String direction = sharing.equals("SPLITDUPLEX") ? " direction=\"UP\"" : "";
        Path file = dir.resolve("p.xml");
        Files.writeString(file, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1"><zone id="z" routing="Full">
                  <host id="a" speed="1Gf"/><host id="b" speed="1Gf"/>
                  <link id="l" bandwidth="1MBps" latency="2ms" sharing_policy="%s"/>
                  <route src="a" dst="b"><link_ctn id="l"%s/></route>
                </zone></platform>
                """.formatted(sharing, direction));
        Platform platform = PlatformLoader.load(file);
        List<Host> hosts = List.of(platform.host("a").orElseThrow(), platform.host("b").orElseThrow());
        return new LinkQueues(platform, hosts);
    }

    private static long cross(LinkQueues q, int from, int to, int bytes, long at) {
        LinkQueues.Hop[] hops = q.route(from, to);
        assertThat(hops).hasSize(1);
        return LinkQueues.cross(hops[0], bytes, at);
    }

    @Test
    void aPacketTakesItsSerializationThenTheLatency(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        assertThat(cross(q, 0, 1, 1000, 0)).isEqualTo(MS + 2 * MS); // 1000 B at 1 MB/s, then 2 ms
        assertThat(cross(q, 0, 1, 1000, 0)).as("queued behind the first").isEqualTo(2 * MS + 2 * MS);
        assertThat(cross(q, 0, 1, 1000, 10 * MS)).as("an idle link again").isEqualTo(11 * MS + 2 * MS);
    }

    @Test
    void aSharedLinkIsOneQueueForBothDirections(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(2 * MS + 2 * MS);
    }

    @Test
    void aSplitDuplexLinkHasOneQueuePerDirection(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SPLITDUPLEX");
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(MS + 2 * MS);
        assertThat(cross(q, 0, 1, 1000, 0)).isEqualTo(2 * MS + 2 * MS);
    }

    @Test
    void aFatpipeGivesEachPairTheWholeBandwidth(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "FATPIPE");
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(MS + 2 * MS);
    }

    @Test
    void aFullQueueDropsThePacket(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        long limit = LinkQueues.MIN_QUEUE_BYTES; // 1 MB/s × 4 × 2 ms = 8000 B < the floor
        long accepted = 0;
        while (cross(q, 0, 1, 1000, 0) != LinkQueues.DROPPED) {
            accepted++;
        }
        assertThat(accepted).as("packets that fit, themselves included").isEqualTo(limit / 1000);
        assertThat(cross(q, 0, 1, 1000, accepted * MS)).as("room again once serialized").isNotEqualTo(LinkQueues.DROPPED);
    }
}
