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
        return LinkQueues.cross(hops[0], bytes, at, "packet of " + bytes + " B at " + at);
    }

    /** The relay's part: when the medium from {@code from} to {@code to} frees, it takes its next packet. */
    private static LinkQueues.Started next(LinkQueues q, int from, int to) {
        LinkQueues.Queue queue = q.route(from, to)[0].queue();
        return LinkQueues.next(queue, queue.busyUntil);
    }

    @Test
    void aPacketTakesItsSerializationThenTheLatency(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        assertThat(cross(q, 0, 1, 1000, 0)).isEqualTo(MS + 2 * MS); // 1000 B at 1 MB/s, then 2 ms
        assertThat(cross(q, 0, 1, 1000, 0)).as("waits behind the first").isEqualTo(LinkQueues.WAITING);
        assertThat(next(q, 0, 1).due()).as("taken when the first is serialized").isEqualTo(2 * MS + 2 * MS);
        assertThat(next(q, 0, 1)).as("no one else waits").isNull();
        assertThat(cross(q, 0, 1, 1000, 10 * MS)).as("an idle link again").isEqualTo(11 * MS + 2 * MS);
    }

    @Test
    void aNewLinkIsIdleAtAnyDateOfTheMonotonicClock(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        long boot = 123_456_789_000_000L; // System.nanoTime() is any long
        assertThat(cross(q, 0, 1, 1000, boot)).isEqualTo(boot + 3 * MS);
    }

    @Test
    void aSharedLinkIsOneMediumForBothDirections(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(LinkQueues.WAITING);
        assertThat(next(q, 1, 0).due()).isEqualTo(2 * MS + 2 * MS);
    }

    @Test
    void aSharedLinksTwoEndsTakeTheMediumInTurnSoAnAckDoesNotWaitBehindTheDataQueue(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        for (int i = 0; i < 5; i++) {
            cross(q, 0, 1, 1000, 0); // one on the medium until 1 ms, four waiting at a's end
        }
        assertThat(cross(q, 1, 0, 40, MS / 2)).as("b's ACK").isEqualTo(LinkQueues.WAITING);
        LinkQueues.Started ack = next(q, 0, 1);
        assertThat(ack.packet()).isEqualTo("packet of 40 B at " + MS / 2);
        assertThat(ack.due()).as("after the packet on the medium, not after a's queue").isEqualTo(MS + 40_000 + 2 * MS);
        assertThat(next(q, 0, 1).due()).as("then a's second").isEqualTo(2 * MS + 40_000 + 2 * MS);
    }

    @Test
    void aPacketQueuedBeforeTheMediumIsSeenFreeStillStartsOnlyOnceItArrived(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED");
        cross(q, 0, 1, 1000, 0);                        // on the medium until 1 ms
        cross(q, 0, 1, 1000, 0);                        // waits at a's end
        cross(q, 1, 0, 1000, 5 * MS);                   // b's, queued by a caller that looks at 5 ms
        assertThat(next(q, 0, 1).due()).as("a's, there at 1 ms").isEqualTo(2 * MS + 2 * MS);
        assertThat(next(q, 0, 1).due()).as("b's, from its arrival").isEqualTo(6 * MS + 2 * MS);
    }

    @Test
    void routesThroughOneSharedLinkFromTwoAccessLinksEnterItByTheSameEnd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("star.xml");
        Files.writeString(file, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1"><zone id="z" routing="Full">
                  <host id="c0" speed="1Gf"/><host id="c1" speed="1Gf"/><host id="s" speed="1Gf"/>
                  <link id="a0" bandwidth="1MBps" latency="1ms"/><link id="a1" bandwidth="1MBps" latency="1ms"/>
                  <link id="shared" bandwidth="1MBps" latency="2ms"/>
                  <route src="c0" dst="s"><link_ctn id="a0"/><link_ctn id="shared"/></route>
                  <route src="c1" dst="s"><link_ctn id="a1"/><link_ctn id="shared"/></route>
                </zone></platform>
                """);
        Platform platform = PlatformLoader.load(file);
        List<Host> hosts = List.of(platform.host("c0").orElseThrow(), platform.host("c1").orElseThrow(),
                platform.host("s").orElseThrow());
        LinkQueues q = new LinkQueues(platform, hosts);
        int toServer = q.route(0, 2)[1].side();
        assertThat(q.route(1, 2)[1].side()).isEqualTo(toServer);
        assertThat(q.route(2, 0)[0].side()).isEqualTo(1 - toServer);
        assertThat(q.route(2, 1)[0].side()).isEqualTo(1 - toServer);
        assertThat(q.route(0, 2)[1].queue()).isSameAs(q.route(2, 1)[0].queue());
    }

    @Test
    void aSplitDuplexLinkHasOneQueuePerDirection(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SPLITDUPLEX");
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(MS + 2 * MS);
        assertThat(cross(q, 0, 1, 1000, 0)).isEqualTo(LinkQueues.WAITING);
        assertThat(next(q, 0, 1).due()).isEqualTo(2 * MS + 2 * MS);
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
        while (next(q, 0, 1) != null) {
            // the medium takes them one after the other, the last done at `accepted` ms
        }
        assertThat(cross(q, 0, 1, 1000, accepted * MS)).as("room again once serialized")
                .isEqualTo((accepted + 1) * MS + 2 * MS);
    }
}
