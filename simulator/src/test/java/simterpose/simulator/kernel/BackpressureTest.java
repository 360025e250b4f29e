package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Simulation;

/** Full windows, full accept queues and receive timeouts: where the simulated kernel makes callers wait. */
class BackpressureTest {
    @Test
    void aReaderThatDoesNotReadStopsTheFlowWhichRestartsAsANewFlowWhenItReads() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        int total = 1_000_000;
        double[] eofAt = {-1};
        double[] writeDoneAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            self.sleep(10 - self.now());
            assertThat(p.ioctl(c, FIONREAD, 0)).isEqualTo(TcpSocket.DEFAULT_RCVBUF); // the window is full
            assertThat(p.readAll(c)).hasSize(total);
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            p.write(fd, new byte[total]); // fits in the send buffer: returns at once
            writeDoneAt[0] = self.now();
            p.close(fd);
        });
        sim.run();
        assertThat(writeDoneAt[0]).isCloseTo(2 * Net.LATENCY, within(1e-12));
        // the read at 10 s sends a window update (L); the rest then flows on, arriving L later,
        // without a new latency phase: 10 + 2L + (the model's time for the rest, minus its latency)
        double rest = net.predict(Net.CM02, net.client, net.server, total - TcpSocket.DEFAULT_RCVBUF)
                - Net.CM02.latencyFactor() * Net.LATENCY;
        assertThat(eofAt[0]).isCloseTo(10 + 2 * Net.LATENCY + rest, within(1e-6));
    }

    @Test
    void aBlockingWriterWaitsForSendBufferSpaceAndItsBytesStillFlowAsOne() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.LV08);
        Kernel k = new Kernel(sim);
        int total = 2_000_000;
        double[] eofAt = {-1};
        double[] writeDoneAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            assertThat(p.readAll(c)).hasSize(total);
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            p.setInt(fd, SOL_SOCKET, SO_SNDBUF, 50_000); // 100 000 bytes of send buffer
            assertThat(p.write(fd, new byte[total])).isEqualTo(total);
            writeDoneAt[0] = self.now();
            p.close(fd);
        });
        sim.run();
        // a set SO_SNDBUF is also a TCP window: the flow goes as under TCP_gamma = 50 000
        Simulation ref = new Simulation(net.platform, simterpose.simulator.model.ModelConfig.from(
                java.util.Map.of("network/model", "LV08", "network/TCP-gamma", "50000")));
        var flow = ref.startTransfer(net.client, net.server, total);
        ref.run();
        double end = 2 * Net.LATENCY + flow.finishTime();
        assertThat(eofAt[0]).isCloseTo(end, within(1e-6 * end));
        // the write returned when its last 100 000 bytes fitted, before the end
        double rate = 0.97 * 50_000 / (2 * Net.LATENCY);
        assertThat(writeDoneAt[0]).isLessThan(eofAt[0]).isGreaterThan(eofAt[0] - 100_000 / rate * 1.1);
    }

    @Test
    void aReceiveBufferSetByTheServerBoundsTheRateAsASmallerTcpGammaWould() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.LV08);
        Kernel k = new Kernel(sim);
        int total = 1_000_000;
        double[] eofAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.socket();
            p.setInt(l, SOL_SOCKET, SO_RCVBUF, 65536); // inherited by the accepted socket
            p.bind(l, new SockAddr(SockAddr.ANY, 80));
            p.listen(l, 5);
            int c = p.accept(l);
            assertThat(p.readAll(c)).hasSize(total);
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            p.write(fd, new byte[total]);
            p.close(fd);
        });
        sim.run();
        Simulation ref = new Simulation(net.platform, simterpose.simulator.model.ModelConfig.from(
                java.util.Map.of("network/model", "LV08", "network/TCP-gamma", "65536")));
        var flow = ref.startTransfer(net.client, net.server, total);
        ref.run();
        double expected = 2 * Net.LATENCY + flow.finishTime();
        assertThat(eofAt[0]).isCloseTo(expected, within(1e-6 * expected));
    }

    @Test
    void aSynToAFullAcceptQueueIsRetransmittedAfterOneThenThreeSeconds() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Double> connected = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.socket();
            p.bind(l, new SockAddr(SockAddr.ANY, 80));
            p.listen(l, 0); // room for one connection
            self.sleep(2.5);
            p.accept(l);
            p.accept(l);
        });
        for (int i = 0; i < 2; i++) {
            Actor.spawn(sim, "client" + i, net.client, self -> {
                Posix p = new Posix(k, k.newProcess(2, net.client), self);
                p.client(net.serverAddr(k, 80));
                connected.add(self.now());
            });
        }
        sim.run();
        // first at 2L; the second's SYNs at 0 and 1 s find the queue full, the one at 3 s gets in
        assertThat(connected).hasSize(2);
        assertThat(connected.get(0)).isCloseTo(0.2, within(1e-12));
        assertThat(connected.get(1)).isCloseTo(3.2, within(1e-12));
    }

    @Test
    void aHandshakeAbandonedByItsClientFreesItsPlaceInTheAcceptQueue() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        double[] connectedAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.socket();
            p.bind(l, new SockAddr(SockAddr.ANY, 80));
            p.listen(l, 0);
            self.sleep(10);
        });
        Actor.spawn(sim, "quitter", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket(SOCK_STREAM | SOCK_NONBLOCK);
            p.connect(fd, net.serverAddr(k, 80));
            self.sleep(0.15); // its SYN made a half-open child; the SYN-ACK will find nobody
            p.close(fd);
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(3, net.client), self);
            self.sleep(1);
            p.client(net.serverAddr(k, 80));
            connectedAt[0] = self.now();
        });
        sim.run();
        assertThat(connectedAt[0]).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void aReceiveTimeoutEndsABlockedReadWithEagain() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(500_000).array();
            assertThat(p.calls().setsockopt(p.proc, c, SOL_SOCKET, SO_RCVTIMEO, tv).value()).isZero();
            double start = self.now();
            seen.add(p.read(c, 10) == null ? -p.lastErrno : 0);
            seen.add(self.now() - start);
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.client(net.serverAddr(k, 80));
            self.sleep(5);
            p.close(fd);
        });
        sim.run();
        assertThat(seen).containsExactly(-EAGAIN, 1.5);
    }
}
