package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static simterpose.simulator.platform.Platforms.route;

import org.junit.jupiter.api.Test;

class RoutingTest {
    private static final String TWO_HOSTS = """
            <host id="a" speed="1Gf"/><host id="b" speed="1Gf"/>
            """;

    @Test
    void splitDuplexHalvesAreSwappedOnTheReverseRoute() {
        Platform p = Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + """
                <link id="d" bandwidth="1GBps" latency="1ms" sharing_policy="SPLITDUPLEX"/>
                <link id="s" bandwidth="1GBps" latency="1ms"/>
                <route src="a" dst="b"><link_ctn id="d" direction="UP"/><link_ctn id="s"/></route>
                </zone>""");
        assertThat(route(p, "a", "b")).containsExactly("d_UP", "s");
        assertThat(route(p, "b", "a")).containsExactly("s", "d_DOWN");
        assertThat(p.link("d_UP").orElseThrow().sharing()).isEqualTo(SharingPolicy.SHARED);
        assertThat(p.link("d")).isEmpty();
    }

    @Test
    void splitDuplexLinkWithoutDirectionIsAnErrorAtTheLinkCtn() {
        assertThatThrownBy(() -> Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + """
                <link id="d" bandwidth="1GBps" sharing_policy="SPLITDUPLEX"/>
                <route src="a" dst="b">
                  <link_ctn id="d"/>
                </route></zone>"""))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.problem()).contains("SPLITDUPLEX link 'd' used without a direction");
                });
    }

    @Test
    void directionOnAnOrdinaryLinkIsAnError() {
        assertThatThrownBy(() -> Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + """
                <link id="s" bandwidth="1GBps"/>
                <route src="a" dst="b"><link_ctn id="s" direction="DOWN"/></route></zone>"""))
                .hasMessageContaining("no such SPLITDUPLEX link: 's'");
    }

    @Test
    void asymmetricRoutesNeedTheirReverseDeclared() {
        String links = """
                <link id="fwd" bandwidth="1GBps" latency="1ms"/><link id="back" bandwidth="1MBps" latency="9ms"/>
                <route src="a" dst="b" symmetrical="NO"><link_ctn id="fwd"/></route>
                """;
        Platform p = Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + links
                + "<route src='b' dst='a' symmetrical='NO'><link_ctn id='back'/></route></zone>");
        assertThat(route(p, "a", "b")).containsExactly("fwd");
        assertThat(route(p, "b", "a")).containsExactly("back");
        // Without the reverse, the platform loads (as in SimGrid) and only that direction fails.
        Platform oneWay = Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + links + "</zone>");
        assertThat(oneWay.missingRoute()).hasValueSatisfying(m -> assertThat(m).matches(".*:3:\\d+: missing route: no route from 'b' to 'a'.*"));
        assertThat(route(oneWay, "a", "b")).containsExactly("fwd");
        assertThatThrownBy(() -> route(oneWay, "b", "a")).isInstanceOf(PlatformException.class).hasMessageContaining("no route from 'b' to 'a'");
    }

    @Test
    void declaringTheReverseOfASymmetricalRouteIsADuplicate() {
        assertThatThrownBy(() -> Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + """
                <link id="s" bandwidth="1GBps"/>
                <route src="a" dst="b"><link_ctn id="s"/></route>
                <route src="b" dst="a"><link_ctn id="s"/></route></zone>"""))
                .hasMessageContaining("test.xml:6:").hasMessageContaining("already exists");
    }

    @Test
    void gatewaysJoinZonesRecursively() {
        Platform p = Platforms.load("zones-mixed.xml");
        // lab (Dijkstra) -> office (Full) through site's zoneRoute; Dijkstra puts its part first like SimGrid.
        assertThat(route(p, "l2", "o1")).containsExactly("l2-sw_UP", "sw-gw", "lab-office", "o1-gw");
        assertThat(route(p, "o1", "l2")).containsExactly("sw-gw", "l2-sw_DOWN", "o1-gw", "lab-office");
        // Floyd chains site's two zoneRoutes lab->office->farm.
        assertThat(route(p, "l1", "f2")).containsExactly("l1-sw", "sw-gw", "lab-office", "office-farm", "farm_link_2");
        assertThat(p.route("l1", "f2").latency()).isCloseTo(10e-6 + 5e-6 + 1e-3 + 2e-3 + 10e-6, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void asymmetricZoneRoutesAndBypassRoutes() {
        Platform p = Platforms.load("zones-mixed.xml");
        assertThat(route(p, "o1", "r2")).containsExactly("o1-gw", "wan", "r1-r2");
        assertThat(route(p, "r2", "o1")).containsExactly("wan-back", "lab-office", "o1-gw");
        // bypassRoute r2 -> r1 replaces the reverse of r1 -> r2.
        assertThat(route(p, "r1", "r2")).containsExactly("r1-r2");
        assertThat(route(p, "r2", "r1")).containsExactly("r-fast");
        // bypassZoneRoute farm -> remote, then r2 -> r1 by its bypass; r2 -> r2 is the model loopback.
        assertThat(route(p, "f1", "r1")).containsExactly("farm_link_1", "tunnel", "r-fast");
        assertThat(route(p, "f1", "r2")).containsExactly("farm_link_1", "tunnel", "__loopback__");
    }

    @Test
    void floydPicksTheFewestLinks() {
        Platform p = Platforms.inline("""
                <zone id="z" routing="Floyd">
                  <host id="a" speed="1f"/><host id="b" speed="1f"/><host id="c" speed="1f"/>
                  <link id="ab" bandwidth="1Bps"/><link id="bc" bandwidth="1Bps"/>
                  <link id="x1" bandwidth="1Bps"/><link id="x2" bandwidth="1Bps"/><link id="x3" bandwidth="1Bps"/>
                  <route src="a" dst="b"><link_ctn id="ab"/></route>
                  <route src="b" dst="c"><link_ctn id="bc"/></route>
                  <route src="a" dst="c"><link_ctn id="x1"/><link_ctn id="x2"/><link_ctn id="x3"/></route>
                </zone>""");
        assertThat(route(p, "a", "c")).containsExactly("ab", "bc");
        assertThat(route(p, "c", "a")).containsExactly("bc", "ab");
    }

    @Test
    void noneZoneHasNoRoutes() {
        assertThat(Platforms.inline("<zone id='z' routing='None'>" + TWO_HOSTS + "</zone>").missingRoute()).isPresent();
        Platform single = Platforms.inline("<zone id='z' routing='None'/>");
        assertThat(single.hosts()).isEmpty();
    }
    @Test
    void aCpuOnlyFullZoneLoadsAndOnlyACommunicationNeedsARoute() {
        // SimGrid loads hosts without links or routes: computation-only platforms are common.
        Platform p = Platforms.inline("<zone id='z' routing='Full'>" + TWO_HOSTS + "</zone>");
        assertThat(p.hosts()).hasSize(2);
        assertThat(p.missingRoute()).hasValueSatisfying(m -> assertThat(m).contains("missing route: no route from 'a' to 'b'"));
        assertThatThrownBy(() -> route(p, "a", "b")).isInstanceOf(PlatformException.class);
    }
}
