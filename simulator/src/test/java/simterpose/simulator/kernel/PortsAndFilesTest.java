package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static simterpose.bindings.Errno.EADDRINUSE;
import static simterpose.bindings.Errno.EADDRNOTAVAIL;
import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOPROTOOPT;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.Route;

/** Addresses, port tables, socket options and fd tables. */
class PortsAndFilesTest {
    interface Body {
        void run(Posix p, Kernel k) throws Exception;
    }

    private static void run(Body body) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        Actor.spawn(sim, "a", net.server, self -> body.run(new Posix(k, k.newProcess(1, net.server), self), k));
        sim.run();
    }

    /** A platform of hosts only (Addresses reads nothing else). */
    private record Hosts(List<Host> hosts) implements Platform {
        static Hosts of(Host... hosts) {
            return new Hosts(List.of(hosts));
        }

        static Host host(String name, String ip) {
            return new Host(name, List.of(1e9), 1, ip == null ? Map.of() : Map.of("ip", ip));
        }

        @Override
        public Optional<Host> host(String name) {
            return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
        }

        @Override
        public Collection<Link> links() { return List.of(); }

        @Override
        public Route route(Host src, Host dst) { return new Route(src, dst, List.of()); }

        @Override
        public Map<String, String> config() { return Map.of(); }
    }

    @Test
    void hostsKeepTheirIpPropertyAndOthersGetTenZeroZeroNUpwardSkippingTakenOnes() {
        Hosts p = Hosts.of(Hosts.host("h1", null), Hosts.host("h2", "10.0.0.1"), Hosts.host("h3", null));
        Addresses a = new Addresses(p);
        assertThat(Addresses.format(a.ipOf(p.host("h1").orElseThrow()))).isEqualTo("10.0.0.2");
        assertThat(Addresses.format(a.ipOf(p.host("h2").orElseThrow()))).isEqualTo("10.0.0.1");
        assertThat(Addresses.format(a.ipOf(p.host("h3").orElseThrow()))).isEqualTo("10.0.0.3");
        assertThat(a.hostAt(Addresses.parse("10.0.0.3"))).contains(p.host("h3").orElseThrow());
        assertThat(a.destination(p.host("h1").orElseThrow(), Addresses.parse("127.0.0.9")))
                .contains(p.host("h1").orElseThrow());
        assertThat(a.hostAt(Addresses.parse("10.0.0.4"))).isEmpty();
    }

    @Test
    void aBadIpPropertyIsOneClearMessageNamingTheHost() {
        Hosts p = Hosts.of(Hosts.host("web", "10.0.0.300"));
        assertThatThrownBy(() -> new Addresses(p)).hasMessage(
                "host 'web': ip property '10.0.0.300' is not an IPv4 address (expected a.b.c.d)");
        Hosts q = Hosts.of(Hosts.host("a", "10.1.1.1"), Hosts.host("b", "10.1.1.1"));
        assertThatThrownBy(() -> new Addresses(q)).hasMessage("host 'b': ip 10.1.1.1 is already the address of host 'a'");
    }

    @Test
    void bindFollowsLinuxPortSharingRules() {
        run((p, k) -> {
            int a = p.socket();
            assertThat(p.bind(a, new SockAddr(SockAddr.ANY, 8080))).isZero();
            assertThat(p.bind(a, new SockAddr(SockAddr.ANY, 8081))).isEqualTo(-EINVAL); // already bound
            int b = p.socket();
            assertThat(p.bind(b, new SockAddr(SockAddr.LOOPBACK, 8080))).isEqualTo(-EADDRINUSE); // overlaps 0.0.0.0
            assertThat(p.bind(b, SockAddr.of("10.9.9.9", 8080))).isEqualTo(-EADDRNOTAVAIL); // not this host's

            // SO_REUSEADDR on both: sharing is fine until one listens
            int c = p.socket();
            int d = p.socket();
            p.setInt(c, SOL_SOCKET, SO_REUSEADDR, 1);
            p.setInt(d, SOL_SOCKET, SO_REUSEADDR, 1);
            assertThat(p.bind(c, new SockAddr(SockAddr.ANY, 9000))).isZero();
            assertThat(p.bind(d, new SockAddr(SockAddr.ANY, 9000))).isZero();
            assertThat(p.listen(c, 5)).isZero();
            assertThat(p.listen(d, 5)).isEqualTo(-EADDRINUSE);
            int e = p.socket();
            p.setInt(e, SOL_SOCKET, SO_REUSEADDR, 1);
            assertThat(p.bind(e, new SockAddr(SockAddr.ANY, 9000))).isEqualTo(-EADDRINUSE); // a listener is there

            // SO_REUSEPORT on both: two listeners on one port
            int f = p.socket();
            int g = p.socket();
            p.setInt(f, SOL_SOCKET, SO_REUSEPORT, 1);
            p.setInt(g, SOL_SOCKET, SO_REUSEPORT, 1);
            assertThat(p.bind(f, new SockAddr(SockAddr.ANY, 9100))).isZero();
            assertThat(p.bind(g, new SockAddr(SockAddr.ANY, 9100))).isZero();
            assertThat(p.listen(f, 5)).isZero();
            assertThat(p.listen(g, 5)).isZero();

            // the port is free again once the listener is closed
            p.close(c);
            p.close(d);
            assertThat(p.bind(e, new SockAddr(SockAddr.ANY, 9000))).isZero();
        });
    }

    @Test
    void acceptedConnectionsKeepTheServerPortBusyUntilTheyHaveClosed() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Integer> binds = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.socket(); // no SO_REUSEADDR
            p.bind(l, new SockAddr(SockAddr.ANY, 80));
            p.listen(l, 5);
            int c = p.accept(l);
            p.close(l);
            int again = p.socket();
            binds.add(p.bind(again, new SockAddr(SockAddr.ANY, 80))); // the connection holds the port
            p.close(c); // FIN; the client answers with its own; TIME_WAIT is not modelled
            self.sleep(1);
            binds.add(p.bind(again, new SockAddr(SockAddr.ANY, 80)));
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            p.readAll(fd);
            p.close(fd);
        });
        sim.run();
        assertThat(binds).containsExactly(-EADDRINUSE, 0);
    }

    @Test
    void ephemeralPortsComeInIncreasingOrderFromTheLinuxRange() {
        List<Integer> ports = new ArrayList<>();
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            int c1 = p.accept(l);
            ports.add(p.calls().getpeername(p.proc, c1).value().port());
            SockAddr local = p.calls().getsockname(p.proc, c1).value();
            assertThat(local).isEqualTo(net.serverAddr(k, 80));
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int any = p.socket();
            p.bind(any, new SockAddr(SockAddr.ANY, 0));
            ports.add(p.calls().getsockname(p.proc, any).value().port());
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            SockAddr me = p.calls().getsockname(p.proc, fd).value();
            assertThat(me.ip()).isEqualTo(k.addresses().ipOf(net.client));
            ports.add(me.port());
            assertThat(p.calls().getpeername(p.proc, fd).value()).isEqualTo(net.serverAddr(k, 80));
        });
        sim.run();
        assertThat(ports).containsExactly(EPHEMERAL_FIRST, EPHEMERAL_FIRST + 1, EPHEMERAL_FIRST + 1);
    }

    @Test
    void optionsAreReadBackAsLinuxReportsThem() {
        run((p, k) -> {
            int fd = p.socket();
            assertThat(p.getInt(fd, SOL_SOCKET, SO_TYPE)).isEqualTo(SOCK_STREAM);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(TcpSocket.DEFAULT_SNDBUF);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(131072);
            p.setInt(fd, SOL_SOCKET, SO_SNDBUF, 100000);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(200000); // Linux doubles
            p.setInt(fd, SOL_SOCKET, SO_SNDBUF, 1);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(4608); // and clamps (measured)
            p.setInt(fd, SOL_SOCKET, SO_RCVBUF, 1);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(2304);
            p.setInt(fd, SOL_SOCKET, SO_SNDBUF, 1 << 30);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_SNDBUF)).isEqualTo(8388608);
            assertThat(p.getInt(fd, IPPROTO_TCP, TCP_NODELAY)).isZero();
            p.setInt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
            assertThat(p.getInt(fd, IPPROTO_TCP, TCP_NODELAY)).isEqualTo(1);
            p.setInt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_KEEPALIVE)).isEqualTo(1);
            p.setInt(fd, IPPROTO_IP, IP_TOS, 0x10);
            assertThat(p.getInt(fd, IPPROTO_IP, IP_TOS)).isEqualTo(0x10);
            assertThat(p.getInt(fd, IPPROTO_TCP, TCP_MAXSEG)).isEqualTo(536);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN)).isZero();
            p.listen(fd, 1);
            assertThat(p.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN)).isEqualTo(1);
            assertThat(p.setInt(fd, SOL_SOCKET, 999, 1)).isEqualTo(-ENOPROTOOPT);
            assertThat(p.getInt(fd, 12345, 1)).isEqualTo(-ENOPROTOOPT);
            assertThat(p.calls().setsockopt(p.proc, fd, SOL_SOCKET, SO_REUSEADDR, new byte[2]))
                    .isEqualTo(SysResult.errno(EINVAL));
        });
    }

    @Test
    void aProcessExitClosesItsSocketsUnlessAnotherProcessSharesItsFdTable() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        double[] eofAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            assertThat(p.readAll(c)).isEmpty();
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            p.client(net.serverAddr(k, 80));
            VirtualProcess sibling = k.fork(p.proc, 3, true); // clone(CLONE_FILES)
            self.sleep(1);
            p.proc.exit(); // the sibling still holds the table
            self.sleep(1);
            sibling.exit(); // FIN now, at 2.2 s, arriving at 2.3 s
        });
        sim.run();
        assertThat(eofAt[0]).isCloseTo(2.3, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void dupSharesTheSocketAndOnlyTheLastCloseEndsTheConnection() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        String[] got = new String[1];
        double[] eofAt = {-1};
        double[] childCloseAt = {-1};
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            got[0] = new String(p.readAll(c));
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            FdTable t = p.proc.fds();
            assertThat(t.dup(fd, 10, true).value()).isEqualTo(10);
            assertThat(t.dup2(fd, 11).value()).isEqualTo(11);
            assertThat(t.dup3(fd, fd, O_CLOEXEC)).isEqualTo(SysResult.errno(EINVAL));
            assertThat(t.fdFlags(10).value()).isEqualTo(FD_CLOEXEC);
            assertThat(t.get(10)).isSameAs(t.get(fd));
            p.setNonBlocking(10);
            assertThat(t.get(fd).nonBlocking()).isTrue(); // O_NONBLOCK lives in the shared description
            p.calls().setFileStatus(p.proc, fd, 0);

            VirtualProcess child = k.fork(p.proc, 3, false);
            assertThat(child.fds().fds()).containsExactly(fd, 10, 11);
            assertThat(child.fds().exec()).containsExactly(10); // FD_CLOEXEC
            p.close(fd);
            p.close(10);
            p.write(11, "via dup".getBytes());
            p.close(11);
            self.sleep(3); // the child still holds the socket: no EOF yet
            childCloseAt[0] = self.now();
            Posix c = new Posix(k, child, self);
            c.write(fd, "+child".getBytes());
            child.fds().closeAll();
            assertThat(c.close(fd)).isEqualTo(-EBADF);
        });
        sim.run();
        assertThat(got[0]).isEqualTo("via dup+child");
        assertThat(eofAt[0]).isGreaterThan(childCloseAt[0]); // EOF only after the child's close
    }
}
