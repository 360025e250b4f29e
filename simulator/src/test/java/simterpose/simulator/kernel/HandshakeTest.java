package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static simterpose.bindings.Errno.ECONNREFUSED;
import static simterpose.bindings.Errno.ENETUNREACH;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.model.ModelConfig;

/** Connection set-up costs round trips of the route's one-way latency, whatever the model's factors. */
class HandshakeTest {
    private static ModelConfig model(String name) {
        return name.equals("CM02") ? Net.CM02 : Net.LV08;
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void connectReturnsAfterOneRoundTripAndAcceptAfterThreeLatencies(String name) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, model(name));
        Kernel k = new Kernel(sim);
        double[] acceptAt = {-1};
        double[] connectAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            Posix.check(p.accept(l));
            acceptAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0); // the server is in accept() first
            int fd = p.socket();
            assertThat(p.connect(fd, net.serverAddr(k, 80))).isZero();
            connectAt[0] = self.now();
        });
        sim.run();
        assertThat(connectAt[0]).isCloseTo(2 * Net.LATENCY, within(1e-12));
        assertThat(acceptAt[0]).isCloseTo(3 * Net.LATENCY, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void connectToAPortNobodyListensOnIsRefusedAfterTheRoundTripOfTheReset(String name) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, model(name));
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket();
            seen.add(p.connect(fd, net.serverAddr(k, 81)));
            seen.add(self.now());
        });
        sim.run();
        assertThat(seen).containsExactly(-ECONNREFUSED, 2 * Net.LATENCY);
    }

    @org.junit.jupiter.api.Test
    void aRefusedNonBlockingConnectReportsTheErrorOnceThenStartsAfreshAsOnLinux() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket(LinuxNet.SOCK_STREAM | LinuxNet.SOCK_NONBLOCK);
            for (int i = 0; i < 3; i++) {
                seen.add(p.connect(fd, net.serverAddr(k, 81)));
                self.sleep(1);
            }
        });
        sim.run();
        // what a C probe printed on this machine's loopback
        assertThat(seen).containsExactly(-simterpose.bindings.Errno.EINPROGRESS, -ECONNREFUSED,
                -simterpose.bindings.Errno.EINPROGRESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void connectOutsideThePlatformFailsAtOnceWithEnetunreach(String name) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, model(name));
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket();
            seen.add(p.connect(fd, SockAddr.of("192.168.7.7", 80)));
            seen.add(self.now());
        });
        sim.run();
        assertThat(seen).containsExactly(-ENETUNREACH, 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CM02", "LV08"})
    void aServerArrivingLateStillGetsTheConnectionOnceTheAckArrives(String name) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, model(name));
        Kernel k = new Kernel(sim);
        double[] acceptAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            self.sleep(5);
            Posix.check(p.accept(l)); // queued since 3L: returns at once
            acceptAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            p.client(net.serverAddr(k, 80));
        });
        sim.run();
        assertThat(acceptAt[0]).isEqualTo(5.0);
    }
}
