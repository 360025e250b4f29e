package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static simterpose.simulator.platform.Platforms.route;

import org.junit.jupiter.api.Test;

class SmallPlatformTest {
    private final Platform p = Platforms.load("small_platform.xml");

    @Test
    void loadsSevenHostsTwentyFourLinksAndTheModelLoopback() {
        assertThat(p.hosts()).extracting(Host::name).containsExactly(
                "Tremblay", "Jupiter", "Fafard", "Ginette", "Bourassa", "Jacquelin", "Boivin");
        assertThat(p.links()).hasSize(25);
        assertThat(p.link("__loopback__")).get().extracting(Link::sharing).isEqualTo(SharingPolicy.FATPIPE);
        assertThat(p.host("Tremblay").orElseThrow().speed()).isEqualTo(98.095 * 1e6);
        assertThat(p.host("Tremblay").orElseThrow().cores()).isEqualTo(1);
        assertThat(p.zones()).containsExactly("zone0");
        assertThat(p.allPairsRouted()).isTrue();
    }

    @Test
    void everyHostPairHasARoute() {
        for (Host a : p.hosts()) {
            for (Host b : p.hosts()) {
                assertThat(p.route(a, b).links()).as(a.name() + "->" + b.name()).isNotEmpty();
            }
        }
    }

    @Test
    void declaredRouteIsFollowedAndItsLatencyIsTheSumOfTheLinks() {
        assertThat(route(p, "Tremblay", "Fafard")).containsExactly("4", "3", "2", "0", "1", "8");
        // 479.78us + 514.433us + 136.931us + 59.904us + 514.433us + 270.544us
        assertThat(p.route("Tremblay", "Fafard").latency()).isCloseTo(1976.025e-6, within(1e-15));
        Link l9 = p.link("9").orElseThrow();
        assertThat(l9.bandwidth()).isEqualTo(7.20975 * 1e6);
        assertThat(l9.latency()).isEqualTo(1.461517 * 1e-3);
    }

    @Test
    void reverseOfASymmetricalRouteUsesTheLinksBackward() {
        assertThat(route(p, "Fafard", "Tremblay")).containsExactly("8", "1", "0", "2", "3", "4");
        assertThat(route(p, "Tremblay", "Boivin")).containsExactly("3", "0", "16", "10", "11", "44", "47");
    }

    @Test
    void loopbackIsTheDeclaredOneOrTheNetworkModels() {
        assertThat(route(p, "Tremblay", "Tremblay")).containsExactly("loopback");
        assertThat(p.route("Tremblay", "Tremblay").latency()).isEqualTo(15 * 1e-6);
        // Jacquelin declares no loopback: SimGrid's Full zone adds __loopback__ (10 GBps, 0 s).
        Route self = p.route("Jacquelin", "Jacquelin");
        assertThat(Platforms.names(self)).containsExactly("__loopback__");
        assertThat(self.links().getFirst().bandwidth()).isEqualTo(1e10);
        assertThat(self.latency()).isZero();
    }

    @Test
    void repeatedRoutesComeFromTheCache() {
        Host a = p.host("Jupiter").orElseThrow();
        Host b = p.host("Bourassa").orElseThrow();
        assertThat(p.route(a, b)).isSameAs(p.route(a, b));
    }
}
