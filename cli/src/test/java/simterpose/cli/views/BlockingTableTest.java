package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import simterpose.cli.views.BlockingTable.Blocked;
import simterpose.cli.views.BlockingTable.Wake;

/** The --blocking table keeps the waits of at least MIN and says what ended each. */
class BlockingTableTest {
    private static final long MS = 1_000_000L;

    @Test
    void keepsWaitsOfAtLeastTheThresholdPerActorInOrder() {
        BlockingTable table = new BlockingTable(1 * MS);
        table.actor("server");
        table.actor("client");
        table.add("server", new Blocked("accept4", 100, 0, 300 * MS, Wake.HANDSHAKE_COMPLETED));
        table.add("client", new Blocked("poll", 101, 100 * MS, 200 * MS, Wake.CONNECTION_ACCEPTED));
        table.add("client", new Blocked("poll", 101, 300 * MS, 1 * MS - 1, Wake.DATA_ARRIVED));
        table.add("client", new Blocked("poll", 101, 300 * MS, 200 * MS, Wake.PEER_CLOSED));
        assertThat(table.rows().get("server")).hasSize(1);
        assertThat(table.rows().get("client")).extracting(Blocked::wake)
                .containsExactly(Wake.CONNECTION_ACCEPTED, Wake.PEER_CLOSED);
        assertThat(table.render()).isEqualTo("""
                blocking calls (at least 1.000000 ms):
                actor                 tid      start (s)  duration (ms)  syscall          ended by
                server                100    0.000000000     300.000000  accept4          handshake completed
                client                101    0.100000000     200.000000  poll             connection accepted by the peer
                client                101    0.300000000     200.000000  poll             peer closed
                """);
    }
}
