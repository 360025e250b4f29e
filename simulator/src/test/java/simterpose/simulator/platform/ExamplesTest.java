package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.simulator.platform.Platforms.route;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("simterpose.root", ".."), "examples");

    @Test
    void twoHostsExampleHasIpPropertiesAndOneLink() {
        Platform p = PlatformLoader.load(EXAMPLES.resolve("two-hosts.xml"));
        assertThat(p.host("client").orElseThrow().properties()).containsEntry("ip", "10.0.0.1");
        assertThat(p.host("server").orElseThrow().properties()).containsEntry("ip", "10.0.0.2");
        assertThat(route(p, "client", "server")).containsExactly("wire");
        assertThat(route(p, "server", "client")).containsExactly("wire");
        assertThat(p.route("client", "server").latency()).isEqualTo(10 * 1e-3);
        assertThat(p.allPairsRouted()).isTrue();
    }

    @Test
    void officeAndClusterExampleRoutesThroughTheWan() {
        Platform p = PlatformLoader.load(EXAMPLES.resolve("office-and-cluster.xml"));
        assertThat(p.hosts()).hasSize(6);
        assertThat(p.config()).containsEntry("network/model", "CM02");
        assertThat(p.host("bob").orElseThrow().pstateSpeeds()).containsExactly(2e9, 1e9);
        assertThat(p.host("bob").orElseThrow().cores()).isEqualTo(4);
        assertThat(route(p, "node-0", "bob")).containsExactly("dc_link_0_UP", "dc_backbone", "wan", "lg", "lb_DOWN");
        assertThat(route(p, "alice", "bob")).containsExactly("la", "lg", "lg", "lb_DOWN");
        assertThat(p.allPairsRouted()).isTrue();
    }

    @Test
    void legacyAliasesAsAndAsRouteAndProcessAreRead() {
        Platform p = Platforms.inline("""
                <AS id="top" routing="Full">
                  <AS id="a" routing="Full"><host id="ha" speed="1f"/></AS>
                  <AS id="b" routing="Full"><host id="hb" speed="1f"/></AS>
                  <link id="ab" bandwidth="1Bps"/>
                  <ASroute src="a" dst="b" gw_src="ha" gw_dst="hb"><link_ctn id="ab"/></ASroute>
                </AS>
                <process host="ha" function="f"/>""");
        assertThat(route(p, "hb", "ha")).containsExactly("ab");
        assertThat(p.deployment().actors()).hasSize(1);
    }
}
