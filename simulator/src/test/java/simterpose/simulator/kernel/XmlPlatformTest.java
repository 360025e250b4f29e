package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/** The kernel on a platform read from SimGrid XML: ip properties, routes and the loopback. */
class XmlPlatformTest {
    private static final String XML = """
            <?xml version='1.0'?>
            <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
            <platform version="4.1">
              <zone id="world" routing="Full">
                <host id="alice" speed="1Gf"><prop id="ip" value="192.168.1.10"/></host>
                <host id="bob" speed="1Gf"/>
                <link id="wire" bandwidth="100Mbps" latency="100ms"/>
                <route src="alice" dst="bob"><link_ctn id="wire"/></route>
              </zone>
            </platform>
            """;

    @Test
    void hostsGetTheirAddressesAndConnectionsCostTheXmlLatency() {
        Platform platform = PlatformLoader.parse("two.xml", XML.getBytes(StandardCharsets.UTF_8));
        Host alice = platform.host("alice").orElseThrow();
        Host bob = platform.host("bob").orElseThrow();
        Simulation sim = new Simulation(platform, ModelConfig.defaults());
        Kernel k = new Kernel(sim);
        assertThat(Addresses.format(k.addresses().ipOf(alice))).isEqualTo("192.168.1.10");
        assertThat(Addresses.format(k.addresses().ipOf(bob))).isEqualTo("10.0.0.1");
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "bob", bob, self -> {
            Posix p = new Posix(k, k.newProcess(1, bob), self);
            int l = p.server(7000);
            int c = p.accept(l);
            seen.add("accepted at " + self.now());
            seen.add(new String(p.readAll(c)));
            int lo = p.accept(l); // bob to itself, over the loopback (its data and FIN overtake the ACK)
            seen.add(new String(p.readAll(lo)));
        });
        Actor.spawn(sim, "alice", alice, self -> {
            Posix p = new Posix(k, k.newProcess(2, alice), self);
            self.sleep(0);
            int fd = p.client(SockAddr.of("10.0.0.1", 7000));
            seen.add("connected at " + self.now());
            p.write(fd, "hi bob".getBytes());
            p.close(fd);
        });
        Actor.spawn(sim, "bob-self", bob, self -> {
            Posix p = new Posix(k, k.newProcess(3, bob), self);
            self.sleep(10);
            int fd = p.client(new SockAddr(SockAddr.LOOPBACK, 7000));
            assertThat(self.now()).isCloseTo(10, within(1e-9));
            assertThat(p.calls().getsockname(p.proc, fd).value().ip()).isEqualTo(SockAddr.LOOPBACK);
            p.write(fd, "me".getBytes());
            p.close(fd);
        });
        sim.run();
        assertThat(seen).containsExactly("connected at 0.2", "accepted at 0.30000000000000004", "hi bob", "me");
    }
}
