package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EALREADY;
import static simterpose.bindings.Errno.ECONNRESET;
import static simterpose.bindings.Errno.EINPROGRESS;
import static simterpose.bindings.Errno.EISCONN;
import static simterpose.bindings.Errno.ENOTCONN;
import static simterpose.bindings.Errno.EPIPE;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Simulation;

/**
 * What each call returns, compared with what Linux 6.18 returned to a C probe on loopback for
 * the same sequence (half-close, resets, SIGPIPE, non-blocking calls, flags, poll bits).
 */
class StreamSemanticsTest {
    interface Side {
        void run(Posix p, int fd) throws Exception;
    }

    /** A connected pair: {@code server} gets the accepted fd, {@code client} the connected one. */
    static void pair(Side server, Side client) {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            int c = p.accept(l);
            p.close(l);
            server.run(p, c);
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            client.run(p, p.client(net.serverAddr(k, 80)));
        });
        sim.run();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void afterHalfCloseThePeerReadsEofAfterTheDataAndCanStillSend() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> {
            seen.add("server got " + text(p.readAll(c)));
            assertThat(p.write(c, bytes("response"))).isEqualTo(8);
            p.close(c);
        }, (p, fd) -> {
            p.write(fd, bytes("request"));
            assertThat(p.shutdown(fd, SHUT_WR)).isZero();
            assertThat(p.write(fd, bytes("x"), MSG_NOSIGNAL)).isEqualTo(-EPIPE);
            assertThat(p.sigpipe).isFalse();
            assertThat(p.poll(fd).pollMask()).isEqualTo(POLLOUT | POLLWRNORM); // Linux: 0x4 (+WRNORM)
            seen.add("client got " + text(p.readAll(fd)));
            p.close(fd);
        });
        assertThat(seen).containsExactly("server got request", "client got response");
    }

    @Test
    void writingToAPeerThatClosedGetsAResetThenEpipeWithSigpipeWhileReadsSeeEof() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> p.close(c), (p, fd) -> {
            p.self.sleep(1); // the FIN has arrived
            seen.add(p.poll(fd).pollMask() & (POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR)); // Linux: 0x2005
            seen.add(p.read(fd, 1).length);
            seen.add(p.write(fd, bytes("x"))); // accepted: the peer is only half-known to be gone
            p.self.sleep(1); // the data reached the closed socket, its RST came back
            seen.add(p.poll(fd).pollMask() & (POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR)); // Linux: 0x201d
            seen.add(p.read(fd, 1).length);
            seen.add(p.write(fd, bytes("x")));
            seen.add(p.sigpipe);
            seen.add(p.write(fd, bytes("x"), MSG_NOSIGNAL));
            seen.add(p.sigpipe);
        });
        assertThat(seen).containsExactly(POLLIN | POLLOUT | POLLRDHUP, 0, 1,
                POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR, 0, -EPIPE, true, -EPIPE, false);
    }

    @Test
    void closingWithUnreadDataResetsThePeerWhoseReadGetsEconnreset() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> {
            p.self.sleep(1); // the client's byte sits unread
            p.close(c);
        }, (p, fd) -> {
            p.write(fd, bytes("x"));
            p.write(fd, bytes("1")); // more unread bytes
            p.self.sleep(2);
            seen.add(p.read(fd, 1) == null ? -p.lastErrno : 0);
            seen.add(p.read(fd, 1).length);
            seen.add(p.write(fd, bytes("x")));
            seen.add(p.sigpipe);
        });
        // Linux: read ECONNRESET, then 0, then write EPIPE
        assertThat(seen).containsExactly(-ECONNRESET, 0, -EPIPE, true);
    }

    @Test
    void aResetLeavesQueuedDataReadableBeforeTheError() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> {
            p.write(c, bytes("hello"));
            p.self.sleep(1);
            p.close(c); // unread byte from the client: RST
        }, (p, fd) -> {
            p.write(fd, bytes("x"));
            p.self.sleep(2);
            seen.add(text(p.read(fd, 16)));
            seen.add(p.read(fd, 16) == null ? -p.lastErrno : 0);
            seen.add(p.write(fd, bytes("x"))); // the error was taken by the read: EPIPE now
        });
        assertThat(seen).containsExactly("hello", -ECONNRESET, -EPIPE);
    }

    @Test
    void afterShutRdReadsReturnEofButLaterDataIsStillReadable() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> {
            p.shutdown(c, SHUT_RD);
            seen.add(p.poll(c).pollMask() & (POLLIN | POLLOUT | POLLRDHUP | POLLHUP)); // Linux: 0x2005
            seen.add(p.read(c, 16).length);
            p.self.sleep(1);
            seen.add(text(p.read(c, 16)));
            seen.add(p.read(c, 16).length);
        }, (p, fd) -> {
            p.self.sleep(0.5);
            p.write(fd, bytes("ab"));
        });
        assertThat(seen).containsExactly(POLLIN | POLLOUT | POLLRDHUP, 0, "ab", 0);
    }

    @Test
    void nonBlockingCallsAnswerEagainEinprogressEalreadyAndEisconn() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            p.setNonBlocking(l);
            seen.add(p.accept(l));
            self.sleep(1);
            int c = p.accept(l, SOCK_NONBLOCK);
            assertThat(p.poll(c).readable()).isTrue(); // bytes came, the reader never reads
            self.sleep(10);
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket(SOCK_STREAM | SOCK_NONBLOCK);
            seen.add(p.connect(fd, net.serverAddr(k, 80)));
            seen.add(p.connect(fd, net.serverAddr(k, 80)));
            seen.add(p.poll(fd).writable());
            self.waitFor(((VirtualFile) p.proc.fds().get(fd).file()).changed(), -1); // SYN-ACK
            seen.add(self.now());
            seen.add(p.poll(fd).writable());
            seen.add(p.getInt(fd, SOL_SOCKET, SO_ERROR));
            seen.add(p.connect(fd, net.serverAddr(k, 80)));
            seen.add(p.connect(fd, net.serverAddr(k, 80)));
            seen.add(p.read(fd, 10) == null ? -p.lastErrno : 0);
            // a reader that never reads: the window (SO_RCVBUF) then the send buffer fill up
            long total = 0;
            byte[] chunk = new byte[65536];
            while (true) {
                int n = p.write(fd, chunk);
                if (n < 0) {
                    seen.add(n);
                    break;
                }
                total += n;
                self.sleep(0.5);
            }
            seen.add(total);
            seen.add(p.ioctl(fd, SIOCOUTQ, 0));
        });
        sim.run();
        assertThat(seen).containsExactly(-EAGAIN, -EINPROGRESS, -EALREADY, false, 2 * Net.LATENCY, true, 0, 0,
                -EISCONN, -EAGAIN, -EAGAIN, (long) TcpSocket.DEFAULT_SNDBUF + TcpSocket.DEFAULT_RCVBUF,
                TcpSocket.DEFAULT_SNDBUF);
    }

    @Test
    void peekLeavesTheBytesAndWaitallWaitsForAllOfThemEvenBeyondTheReceiveBuffer() {
        List<Object> seen = new ArrayList<>();
        int big = 1_000_000;
        pair((p, c) -> {
            seen.add(text(p.read(c, 3, MSG_PEEK)));
            seen.add(text(p.read(c, 3, MSG_PEEK)));
            seen.add(text(p.read(c, 5)));
            seen.add(p.read(c, 1, MSG_DONTWAIT) == null ? -p.lastErrno : 0);
            byte[] all = p.read(c, big, MSG_WAITALL);
            seen.add(all.length);
            seen.add(p.self.now());
            seen.add(p.proc.bytesReceived());
        }, (p, fd) -> {
            p.write(fd, bytes("hello"));
            p.self.sleep(5);
            p.write(fd, new byte[big]);
        });
        Net net = new Net();
        double arrival = 0.2 + 5 + net.predict(Net.CM02, net.client, net.server, big);
        assertThat(seen).hasSize(7);
        assertThat(seen.subList(0, 5)).containsExactly("hel", "hel", "hello", -EAGAIN, big);
        assertThat((double) seen.get(5)).isCloseTo(arrival, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(seen.get(6)).isEqualTo(5L + big);
    }

    @Test
    void readinessFollowsTheConnectionAndItsSignalWakesAWaiter() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "server", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int l = p.server(80);
            seen.add(p.poll(l));
            VirtualFile lf = (VirtualFile) p.proc.fds().get(l).file();
            self.waitFor(lf.changed(), -1);
            while (!lf.readiness().readable()) {
                self.waitFor(lf.changed(), -1);
            }
            seen.add(self.now());
            int c = p.accept(l);
            VirtualFile cf = (VirtualFile) p.proc.fds().get(c).file();
            while (!cf.readiness().readable()) {
                self.waitFor(cf.changed(), -1);
            }
            seen.add(p.ioctl(c, FIONREAD, 0));
        });
        Actor.spawn(sim, "client", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            int fd = p.socket();
            seen.add(p.poll(fd).pollMask()); // a fresh socket: POLLOUT | POLLHUP, as Linux
            self.sleep(0);
            p.connect(fd, net.serverAddr(k, 80));
            p.write(fd, bytes("12345"));
        });
        sim.run();
        assertThat(seen).containsExactly(new Readiness(false, false, false, false, false),
                POLLOUT | POLLWRNORM | POLLHUP, 3 * Net.LATENCY, 5);
    }

    @Test
    void closeWithLingerZeroResetsTheConnection() {
        List<Object> seen = new ArrayList<>();
        pair((p, c) -> {
            byte[] linger = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(0)
                    .array();
            assertThat(p.calls().setsockopt(p.proc, c, SOL_SOCKET, SO_LINGER, linger).value()).isZero();
            p.close(c);
        }, (p, fd) -> {
            seen.add(p.read(fd, 1) == null ? -p.lastErrno : 0);
            seen.add(p.self.now());
        });
        // the reset leaves the server at 3L (its accept) and arrives one latency later
        assertThat(seen).containsExactly(-ECONNRESET, 4 * Net.LATENCY);
    }

    @Test
    void unconnectedSocketsFailLikeLinux() {
        Net net = new Net();
        Simulation sim = new Simulation(net.platform, Net.CM02);
        Kernel k = new Kernel(sim);
        List<Object> seen = new ArrayList<>();
        Actor.spawn(sim, "a", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.client), self);
            int fd = p.socket();
            seen.add(p.write(fd, bytes("x"), MSG_NOSIGNAL)); // Linux: EPIPE
            seen.add(p.read(fd, 1, MSG_DONTWAIT) == null ? -p.lastErrno : 0); // ENOTCONN
            seen.add(p.shutdown(fd, SHUT_RDWR)); // ENOTCONN
            seen.add(p.calls().getpeername(p.proc, fd) instanceof SysResult.Errno<SockAddr> e ? -e.errno() : 0);
        });
        sim.run();
        assertThat(seen).containsExactly(-EPIPE, -ENOTCONN, -ENOTCONN, -ENOTCONN);
    }

}
