package simterpose.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The links' timing, packet by packet: serialization, latency, sharing policies, drop-tail and fair queues. */
class LinkQueuesTest {
    static final long MS = 1_000_000;
    /** Under drop-tail the flow plays no part: one per direction. */
    private static final FlowId[] ONE_FLOW_EACH_WAY = {
            new FlowId(0x0a000001, 0x0a000002, FlowId.TCP, 40000 << 16 | 5000),
            new FlowId(0x0a000002, 0x0a000001, FlowId.TCP, 5000 << 16 | 40000)};

    /** Hosts a and b, one 1 MB/s, 2 ms link between them with the given sharing policy. */
    private static LinkQueues queues(Path dir, String sharing) throws Exception {
        return queues(dir, sharing, LinkQueueDiscipline.DROP_TAIL);
    }

    private static LinkQueues queues(Path dir, String sharing, LinkQueueDiscipline discipline) throws Exception {
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
        return new LinkQueues(platform, hosts, discipline);
    }

    private static long cross(LinkQueues q, int from, int to, int bytes, long at) {
        LinkQueues.Hop[] hops = q.route(from, to);
        assertThat(hops).hasSize(1);
        return LinkQueues.cross(hops[0], ONE_FLOW_EACH_WAY[from], bytes, at, "packet of " + bytes + " B at " + at);
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
        LinkQueues q = new LinkQueues(platform, hosts, LinkQueueDiscipline.DROP_TAIL);
        int toServer = q.route(0, 2)[1].side();
        assertThat(q.route(1, 2)[1].side()).isEqualTo(toServer);
        assertThat(q.route(2, 0)[0].side()).isEqualTo(1 - toServer);
        assertThat(q.route(2, 1)[0].side()).isEqualTo(1 - toServer);
        assertThat(q.route(0, 2)[1].queue()).isSameAs(q.route(2, 1)[0].queue());
    }

    @ParameterizedTest
    @EnumSource(LinkQueueDiscipline.class)
    void aSplitDuplexLinkHasOneQueuePerDirection(LinkQueueDiscipline discipline, @TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SPLITDUPLEX", discipline);
        cross(q, 0, 1, 1000, 0);
        assertThat(cross(q, 1, 0, 1000, 0)).isEqualTo(MS + 2 * MS);
        assertThat(cross(q, 0, 1, 1000, 0)).isEqualTo(LinkQueues.WAITING);
        assertThat(next(q, 0, 1).due()).isEqualTo(2 * MS + 2 * MS);
    }

    @ParameterizedTest
    @EnumSource(LinkQueueDiscipline.class)
    void aFatpipeGivesEachPairTheWholeBandwidth(LinkQueueDiscipline discipline, @TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "FATPIPE", discipline);
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
        assertThat(q.dropped()).as("the one that did not fit").isEqualTo(1);
        while (next(q, 0, 1) != null) {
            // the medium takes them one after the other, the last done at `accepted` ms
        }
        assertThat(cross(q, 0, 1, 1000, accepted * MS)).as("room again once serialized")
                .isEqualTo((accepted + 1) * MS + 2 * MS);
    }

    // Fair queueing. Packets are named "<flow><n>", flows by a letter: their ports tell them apart.

    /** A packet of flow {@code name} (client port 40000 + its letter) from host {@code from}. */
    private static long fairCross(LinkQueues q, int from, char name, int n, int bytes, long at) {
        int clientPort = 40000 + name;
        FlowId flow = from == 0 ? new FlowId(0x0a000001, 0x0a000002, FlowId.TCP, clientPort << 16 | 5000)
                : new FlowId(0x0a000002, 0x0a000001, FlowId.TCP, clientPort << 16 | 5000);
        return LinkQueues.cross(q.route(from, 1 - from)[0], flow, bytes, at, "" + name + n);
    }

    /** The flows' letters of the next {@code count} packets the medium takes (none left: fewer). */
    private static String drain(LinkQueues q, int count) {
        StringBuilder taken = new StringBuilder();
        LinkQueues.Queue queue = q.route(0, 1)[0].queue();
        LinkQueues.Started s;
        while (taken.length() < count && (s = LinkQueues.next(queue, queue.busyUntil)) != null) {
            taken.append(((String) s.packet()).charAt(0));
        }
        return taken.toString();
    }

    @Test
    void underFairQueueingAFlowWithAShortBacklogIsServedAsOftenAsOneWithALongOne(@TempDir Path dir) throws Exception {
        for (LinkQueueDiscipline discipline : LinkQueueDiscipline.values()) {
            LinkQueues q = queues(dir, "SHARED", discipline);
            fairCross(q, 0, 'a', 0, 1500, 0); // on the medium
            for (int i = 1; i <= 20; i++) {
                fairCross(q, 0, 'a', i, 1500, 0);
            }
            for (int i = 1; i <= 5; i++) {
                fairCross(q, 0, 'b', i, 1500, MS / 10);
            }
            String taken = drain(q, 25);
            if (discipline == LinkQueueDiscipline.FAIR) {
                assertThat(taken).as("b's five in the first ten, in turn with a's").startsWith("ababababab")
                        .endsWith("aaaaaaaaaaaaaaa");
            } else {
                assertThat(taken).as("drop-tail: b waits behind a's twenty").isEqualTo("a".repeat(20) + "bbbbb");
            }
        }
    }

    @Test
    void fairQueueingSharesBytesNotPacketsBetweenFlowsOfUnequalPacketSizes(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED", LinkQueueDiscipline.FAIR);
        fairCross(q, 0, 'a', 0, 1500, 0);
        for (int i = 1; i <= 20; i++) {
            fairCross(q, 0, 'a', i, 1500, 0);
            for (int j = 0; j < 3; j++) {
                fairCross(q, 0, 'b', 3 * i + j, 500, 0);
            }
        }
        String taken = drain(q, 40);
        long a = taken.chars().filter(c -> c == 'a').count();
        long b = taken.chars().filter(c -> c == 'b').count();
        // both still backlogged: the bytes each sent differ by less than one quantum
        assertThat(a + b).isEqualTo(40);
        assertThat(Math.abs(1500 * a - 500 * b)).as(taken).isLessThan(LinkQueues.QUANTUM_BYTES);
    }

    @Test
    void fairQueueingServesTheFlowsOfBothEndsOfASharedLinkInOneRound(@TempDir Path dir) throws Exception {
        for (LinkQueueDiscipline discipline : LinkQueueDiscipline.values()) {
            LinkQueues q = queues(dir, "SHARED", discipline);
            fairCross(q, 0, 'a', 0, 1500, 0);
            for (int i = 1; i <= 10; i++) {
                fairCross(q, 0, 'a', i, 1500, 0);   // one flow from a's end
                fairCross(q, 1, 'b', i, 1500, 0);   // two from b's end
                fairCross(q, 1, 'c', i, 1500, 0);
            }
            String taken = drain(q, 9);
            long fromA = taken.chars().filter(c -> c == 'a').count();
            // fair: a third each, max-min whatever end a flow enters by; drop-tail: the ends in turn
            // (b's first, a's being on the medium), so a's one flow gets what b's two share
            assertThat(fromA).as(discipline + ": " + taken).isEqualTo(discipline == LinkQueueDiscipline.FAIR ? 3 : 4);
        }
    }

    @Test
    void aFullFairQueueDropsFromTheLongestFlowNotTheArrivingPacket(@TempDir Path dir) throws Exception {
        for (LinkQueueDiscipline discipline : LinkQueueDiscipline.values()) {
            LinkQueues q = queues(dir, "SHARED", discipline);
            fairCross(q, 0, 'a', 0, 1000, 0); // 1000 B on the medium, then 64 waiting: 65 000 of 65 536 B
            for (int i = 1; i <= 64; i++) {
                assertThat(fairCross(q, 0, 'a', i, 1000, 0)).isEqualTo(LinkQueues.WAITING);
            }
            long b = fairCross(q, 0, 'b', 1, 1000, 0);
            if (discipline == LinkQueueDiscipline.FAIR) {
                assertThat(b).as("b's packet waits").isEqualTo(LinkQueues.WAITING);
                assertThat(q.dropped()).isEqualTo(1);
                LinkQueues.Queue queue = q.route(0, 1)[0].queue();
                LinkQueues.Started first = LinkQueues.next(queue, queue.busyUntil);
                assertThat(first.packet()).as("a's head went, its second is next").isEqualTo("a2");
                // a's quantum (1500 B) covers a3 too, then b's turn
                assertThat(drain(q, 100)).as("b's packet comes out, all of a's but the head").isEqualTo("ab" + "a".repeat(61));
            } else {
                assertThat(b).as("drop-tail drops the arriving packet").isEqualTo(LinkQueues.DROPPED);
                assertThat(q.dropped()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFairQueuedPacketThatArrivedAfterTheMediumFreedWaitsForOneThatWasThere(@TempDir Path dir) throws Exception {
        LinkQueues q = queues(dir, "SHARED", LinkQueueDiscipline.FAIR);
        fairCross(q, 0, 'a', 0, 1000, 0);          // on the medium until 1 ms
        fairCross(q, 0, 'c', 1, 1000, 0);          // waits
        fairCross(q, 0, 'b', 1, 1000, 5 * MS);     // queued by a caller that looks at 5 ms: b's turn comes before a's
        fairCross(q, 0, 'a', 1, 1000, MS / 2);     // there at 0.5 ms
        LinkQueues.Queue queue = q.route(0, 1)[0].queue();
        assertThat(LinkQueues.next(queue, queue.busyUntil)).isEqualTo(new LinkQueues.Started("c1", 2 * MS + 2 * MS));
        assertThat(LinkQueues.next(queue, queue.busyUntil)).as("b's turn passes: not there yet")
                .isEqualTo(new LinkQueues.Started("a1", 3 * MS + 2 * MS));
        assertThat(LinkQueues.next(queue, queue.busyUntil)).as("b's from its arrival")
                .isEqualTo(new LinkQueues.Started("b1", 6 * MS + 2 * MS));
    }

    /**
     * Random traffic of several flows at both ends, with the medium's turns taken as the relay
     * takes them (at each date it frees, packets arriving meanwhile queued first): every packet
     * is either dropped (and counted) or comes out once, and no end ever holds more than its buffer.
     */
    @ParameterizedTest
    @EnumSource(LinkQueueDiscipline.class)
    void underRandomTrafficEveryPacketComesOutOnceOrIsCountedDropped(LinkQueueDiscipline discipline, @TempDir Path dir)
            throws Exception {
        LinkQueues q = queues(dir, "SHARED", discipline);
        LinkQueues.Queue queue = q.route(0, 1)[0].queue();
        java.util.Random random = new java.util.Random(42);
        java.util.Set<String> out = new java.util.HashSet<>();
        int sent = 0;
        int immediate = 0;
        long now = 0;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(800_000); // a little more than the medium's rate: queues fill and drain
            while (queue.hasWaiting() && queue.busyUntil <= now) {
                LinkQueues.Started s = LinkQueues.next(queue, queue.busyUntil);
                assertThat(out.add((String) s.packet())).as("out once").isTrue();
            }
            int from = random.nextInt(2);
            char flow = (char) ('a' + random.nextInt(5));
            int bytes = random.nextBoolean() ? 40 : 100 + random.nextInt(1401);
            // a caller may look a little late, and now and then very late: a busy machine delayed the
            // relay by 28 ms at 10 MB/s (the medium a buffer and more ahead of the packet; 100 ms here)
            long at = now - (random.nextInt(100) == 0 ? random.nextInt(100_000_000) : random.nextInt(50_000));
            long r = fairCross(q, from, flow, i, bytes, at);
            sent++;
            if (r != LinkQueues.WAITING && r != LinkQueues.DROPPED) {
                immediate++;
            }
            assertThat(queue.waitingBytes[0]).isBetween(0L, queue.limitBytes);
            assertThat(queue.waitingBytes[1]).isBetween(0L, queue.limitBytes);
        }
        while (queue.hasWaiting()) {
            assertThat(out.add((String) LinkQueues.next(queue, queue.busyUntil).packet())).isTrue();
        }
        assertThat(q.dropped()).as("some drops: the test fills the buffers").isPositive();
        assertThat(out.size() + immediate + q.dropped()).isEqualTo(sent);
        assertThat(queue.waitingBytes).containsExactly(0, 0);
    }
}
