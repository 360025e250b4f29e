package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.simulator.platform.Platforms.route;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusterTest {
    @Test
    void clusterRouteIsPrivateUpThenBackboneThenPrivateDown() {
        Platform p = Platforms.load("cluster-backbone.xml");
        assertThat(p.hosts()).extracting(Host::name)
                .containsExactly("c-0.lan", "c-1.lan", "c-2.lan", "c-3.lan", "c-4.lan", "c-5.lan", "c-10.lan");
        assertThat(route(p, "c-0.lan", "c-10.lan")).containsExactly("bb_link_0_UP", "bb_backbone", "bb_link_10_DOWN");
        assertThat(p.route("c-0.lan", "c-10.lan").latency()).isEqualTo(50 * 1e-6 + 500 * 1e-6 + 50 * 1e-6);
        // Without a cluster loopback, a host reaches itself through its own link and the backbone.
        assertThat(route(p, "c-3.lan", "c-3.lan")).containsExactly("bb_link_3_UP", "bb_backbone", "bb_link_3_DOWN");
        assertThat(p.link("bb_backbone").orElseThrow().sharing()).isEqualTo(SharingPolicy.FATPIPE);
        Host h = p.host("c-1.lan").orElseThrow();
        assertThat(h.pstateSpeeds()).containsExactly(1e9, 5e8);
        assertThat(h.cores()).isEqualTo(2);
        assertThat(h.properties()).containsEntry("owner", "lab");
        assertThat(p.routers()).containsExactly("c-bb_router.lan");
    }

    @Test
    void limiterWrapsThePrivateLinksAndLoopbackLinksServeSelfRoutes() {
        Platform p = Platforms.load("cluster-limiter-loopback.xml");
        assertThat(route(p, "n-0.me", "n-5.me")).containsExactly(
                "c_link_0_limiter", "c_link_0_UP", "c_backbone", "c_link_5_DOWN", "c_link_5_limiter");
        assertThat(route(p, "n-2.me", "n-2.me")).containsExactly("c_link_2_loopback");
        assertThat(p.link("c_link_2_loopback").orElseThrow().sharing()).isEqualTo(SharingPolicy.FATPIPE);
        assertThat(p.routers()).containsExactly("rtr");
    }

    @Test
    void sharedPrivateLinkIsCrossedOnceOnASelfRoute() {
        Platform p = Platforms.inline("""
                <cluster id="s" prefix="h" suffix="" radical="1-2" speed="1Gf" bw="1GBps" lat="1us" sharing_policy="SHARED"/>""");
        assertThat(route(p, "h1", "h2")).containsExactly("s_link_1", "s_link_2");
        assertThat(route(p, "h1", "h1")).containsExactly("s_link_1");
    }

    @Test
    void tenThousandHostClusterLoadsAndRandomPairsAreRouted() {
        Platform p = Platforms.inline("""
                <cluster id="big" prefix="node-" suffix="" radical="0-9999" speed="1Gf" bw="125MBps" lat="50us"
                         bb_bw="10GBps" bb_lat="1us"/>""");
        assertThat(p.hosts()).hasSize(10_000);
        assertThat(p.allPairsRouted()).isTrue();
        List<Host> hosts = List.copyOf(p.hosts());
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            int a = random.nextInt(hosts.size());
            int b = random.nextInt(hosts.size());
            Route r = p.route(hosts.get(a), hosts.get(b));
            assertThat(Platforms.names(r)).containsExactly("big_link_" + a + "_UP", "big_backbone", "big_link_" + b + "_DOWN");
        }
    }
}
