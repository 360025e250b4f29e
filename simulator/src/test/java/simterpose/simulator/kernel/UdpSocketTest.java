package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENETUNREACH;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;

/** The UDP part of the kernel without tracing: queue limits, timing and order of datagrams. */
class UdpSocketTest {
    /** sendto of {@code len} bytes to {@code to}; the count or -errno (never blocks here: buffers are large). */
    static int sendto(Posix p, int fd, int len, SockAddr to) {
        SysResult<Integer> r = p.call(() -> p.calls().sendto(p.proc, fd, new byte[len], 0, len, 0, SysResult.done(to)));
        return r instanceof SysResult.Errno<Integer> e ? -e.errno() : r.value();
    }

    /** A non-blocking recvfrom, or null when nothing waits. */
    static SocketCalls.Received poll(Posix p, int fd) {
        SysResult<SocketCalls.Received> r = p.calls().recvmsg(p.proc, fd, 65536, MSG_DONTWAIT);
        return r instanceof SysResult.Done<SocketCalls.Received>(SocketCalls.Received got) ? got : null;
    }

    /** A blocking recvfrom. */
    static SocketCalls.Received receive(Posix p, int fd) {
        return p.call(() -> p.calls().recvmsg(p.proc, fd, 65536, 0)).value();
    }

    /**
     * The number of datagrams a receive queue kept, as Linux 6.18 kept them on loopback (a C
     * probe sending 5000 datagrams of each size to a socket that did not read): the truesize
     * accounting decides.
     */
    @ParameterizedTest(name = "{0} B into SO_RCVBUF {1}: {2} kept")
    @CsvSource({"0, 0, 256", "100, 0, 256", "150, 0, 256", "200, 0, 166", "600, 0, 166", "700, 0, 92",
        "1472, 0, 92", "1500, 0, 92", "1700, 0, 48", "3500, 0, 48", "3800, 0, 25", "7500, 0, 25", "8100, 0, 12",
        "16000, 0, 12", "16100, 0, 12", "20000, 0, 10", "30000, 0, 6", "40000, 0, 5", "50000, 0, 4", "60000, 0, 3",
        "65507, 0, 3", "1000, 4000, 3", "1, 1, 2", "10000, 1, 1", "100, 10000, 24"})
    void aFullReceiveQueueDropsDatagramsWhereLinuxDoes(int size, int rcvbuf, int kept) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        int[] got = new int[2];
        Actor.spawn(sim, "probe", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.client), self);
            int r = p.socket(SOCK_DGRAM);
            int s = p.socket(SOCK_DGRAM);
            if (rcvbuf > 0) {
                Posix.check(p.setInt(r, SOL_SOCKET, SO_RCVBUF, rcvbuf));
            }
            Posix.check(p.bind(r, new SockAddr(SockAddr.LOOPBACK, 7000)));
            for (int i = 0; i < 300; i++) {
                assertThat(sendto(p, s, size, new SockAddr(SockAddr.LOOPBACK, 7000))).isEqualTo(size);
            }
            self.sleep(1);
            while (poll(p, r) != null) {
                got[0]++;
            }
            got[1] = (int) p.calls().udpSocketOf(p.proc, r).drops();
        });
        sim.run();
        assertThat(got[0]).isEqualTo(kept);
        assertThat(got[1]).isEqualTo(300 - kept);
    }

    @Test
    void datagramsSentTogetherArriveInOrderAndShareTheLinkWithOtherFlows() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.LV08);
        Kernel k = new Kernel(sim);
        List<String> order = new ArrayList<>();
        double[] at = new double[3];
        Actor.spawn(sim, "receiver", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int r = p.socket(SOCK_DGRAM);
            Posix.check(p.bind(r, new SockAddr(SockAddr.ANY, 7000)));
            for (int i = 0; i < 3; i++) {
                SocketCalls.Received d = receive(p, r);
                order.add(d.length() + "@" + d.source().port());
                at[i] = sim.now();
            }
        });
        Actor.spawn(sim, "senders", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int a = p.socket(SOCK_DGRAM);
            int b = p.socket(SOCK_DGRAM);
            Posix.check(p.bind(a, new SockAddr(SockAddr.ANY, 5001)));
            Posix.check(p.bind(b, new SockAddr(SockAddr.ANY, 5002)));
            SockAddr to = net.serverAddr(k, 7000);
            sendto(p, a, 60000, to); // a large one, then a small one behind it on the same socket
            sendto(p, a, 10, to);
            sendto(p, b, 60000, to); // a concurrent flow from another socket
        });
        sim.run();
        assertThat(order).containsExactly("60000@5001", "60000@5002", "10@5001");
        // the two large datagrams are two flows sharing the link: each ends when the model says
        Simulation model = new Simulation(net.platform, Net.LV08);
        Transfer one = model.startTransfer(net.client, net.server, 60000);
        Transfer two = model.startTransfer(net.client, net.server, 60000);
        model.run();
        assertThat(at[0]).isCloseTo(one.finishTime(), within(1e-9));
        assertThat(at[1]).isCloseTo(two.finishTime(), within(1e-9));
        // the small one followed the first without a new latency phase, alone on the link by then
        double alone = net.predict(Net.LV08, net.client, net.server, 10) - 13.01 * Net.LATENCY;
        assertThat(at[2]).isGreaterThan(at[0]).isLessThan(at[0] + 10 * alone);
    }

    @Test
    void anEmptyDatagramArrivesAfterTheLatencyPhaseAlone() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.LV08);
        Kernel k = new Kernel(sim);
        double[] at = {-1};
        Actor.spawn(sim, "receiver", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int r = p.socket(SOCK_DGRAM);
            Posix.check(p.bind(r, new SockAddr(SockAddr.ANY, 7000)));
            assertThat(receive(p, r).length()).isZero();
            at[0] = sim.now();
        });
        Actor.spawn(sim, "sender", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            assertThat(sendto(p, p.socket(SOCK_DGRAM), 0, net.serverAddr(k, 7000))).isZero();
        });
        sim.run();
        assertThat(at[0]).isCloseTo(13.01 * Net.LATENCY, within(1e-12)); // LV08's latency factor x latency
    }

    @Test
    void addressesOutsideThePlatformAreUnreachableALoopbackSourceStaysHomeAndAnEmptyQueueSaysEagain() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Integer> seen = new ArrayList<>();
        Actor.spawn(sim, "probe", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.client), self);
            int s = p.socket(SOCK_DGRAM);
            seen.add(sendto(p, s, 1, SockAddr.of("192.0.2.1", 9)));
            seen.add(p.connect(s, SockAddr.of("192.0.2.1", 9)));
            SysResult<SocketCalls.Received> r = p.calls().recvmsg(p.proc, s, 10, MSG_DONTWAIT);
            seen.add(r instanceof SysResult.Errno<SocketCalls.Received> e ? -e.errno() : 0);
            int lo = p.socket(SOCK_DGRAM);
            Posix.check(p.bind(lo, new SockAddr(SockAddr.LOOPBACK, 0)));
            seen.add(sendto(p, lo, 1, net.serverAddr(k, 9))); // Linux: EINVAL, as measured
            seen.add(p.connect(lo, net.serverAddr(k, 9)));
            seen.add(sendto(p, lo, 1, new SockAddr(k.addresses().ipOf(net.client), 9))); // its own address: fine
        });
        sim.run();
        assertThat(seen).containsExactly(-ENETUNREACH, -ENETUNREACH, -EAGAIN, -EINVAL, -EINVAL, 1);
    }
}
