package simterpose.simulator.kernel;

import simterpose.simulator.engine.Actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;

/**
 * A lone bulk transfer over a connection ends when the model says one flow of that size ends
 * (after the handshake), and the reader gets exactly the bytes written.
 */
class TransferTimingTest {
    private static final int CHUNK = 64 * 1024;

    /** Deterministic pseudo-random bytes, produced chunk by chunk (100 MB never sits in memory). */
    static byte[] chunk(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    record Outcome(double eofAt, byte[] sentSha, byte[] readSha, long read) {}

    static Outcome transfer(Net net, ModelConfig cfg, Host src, Host dst, long bytes) {
        Simulation sim = new Simulation(net.platform, cfg);
        Kernel k = new Kernel(sim);
        MessageDigest sent = sha();
        MessageDigest got = sha();
        double[] eofAt = {-1};
        long[] read = {0};
        Actor.spawn(sim, "reader", dst, self -> {
            Posix p = new Posix(k, k.newProcess(1, dst), self);
            int l = p.server(80);
            int c = p.accept(l);
            while (true) {
                byte[] b = p.read(c, 100_000);
                if (b.length == 0) {
                    break;
                }
                got.update(b);
                read[0] += b.length;
            }
            eofAt[0] = self.now();
            p.close(c);
        });
        Actor.spawn(sim, "writer", src, self -> {
            Posix p = new Posix(k, k.newProcess(2, src), self);
            self.sleep(0);
            SockAddr to = src.equals(dst) ? new SockAddr(SockAddr.LOOPBACK, 80) : new SockAddr(k.addresses().ipOf(dst), 80);
            int fd = p.client(to);
            Random rnd = new Random(bytes);
            long left = bytes;
            while (left > 0) {
                byte[] b = chunk(rnd, (int) Math.min(CHUNK, left));
                sent.update(b);
                assertThat(p.write(fd, b)).isEqualTo(b.length);
                left -= b.length;
            }
            p.close(fd);
        });
        sim.run();
        return new Outcome(eofAt[0], sent.digest(), got.digest(), read[0]);
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} bytes under {1}")
    @CsvSource({"1, CM02", "1, LV08", "1000, CM02", "1000, LV08", "1000000, CM02", "1000000, LV08",
        "100000000, CM02", "100000000, LV08"})
    void aLoneTransferEndsAtHandshakePlusTheModelsTimeForOneFlowWithTheExactBytes(long bytes, String model) {
        ModelConfig cfg = model.equals("CM02") ? Net.CM02 : Net.LV08;
        Net net = new Net();
        Outcome o = transfer(net, cfg, net.client, net.server, bytes);
        double expected = 2 * Net.LATENCY + net.predict(cfg, net.client, net.server, bytes);
        assertThat(o.read()).isEqualTo(bytes);
        assertThat(o.readSha()).isEqualTo(o.sentSha());
        assertThat(Math.abs(o.eofAt() - expected) / expected).as("eof at %s, model %s", o.eofAt(), expected)
                .isLessThan(1e-6);
    }

    @org.junit.jupiter.api.Test
    void aReaderThatSpendsTimeBetweenReadsStillKeepsUpThanksToTheAutotunedWindow() {
        Net net = new Net();
        long bytes = 20_000_000;
        Simulation sim = new Simulation(net.platform, Net.LV08);
        Kernel k = new Kernel(sim);
        double[] eofAt = {-1};
        Actor.spawn(sim, "reader", net.server, self -> {
            Posix p = new Posix(k, k.newProcess(1, net.server), self);
            int c = p.accept(p.server(80));
            long n = 0;
            while (true) {
                byte[] b = p.read(c, 100_000);
                if (b.length == 0) {
                    break;
                }
                n += b.length;
                self.sleep(7e-3); // the program's own work: 100 kB per 7 ms, just faster than the link
            }
            assertThat(n).isEqualTo(bytes);
            eofAt[0] = self.now();
        });
        Actor.spawn(sim, "writer", net.client, self -> {
            Posix p = new Posix(k, k.newProcess(2, net.client), self);
            self.sleep(0);
            int fd = p.client(net.serverAddr(k, 80));
            byte[] chunk = new byte[CHUNK];
            for (long left = bytes; left > 0; left -= CHUNK) {
                p.write(fd, left >= CHUNK ? chunk : new byte[(int) left]);
            }
            p.close(fd);
        });
        sim.run();
        double expected = 2 * Net.LATENCY + net.predict(Net.LV08, net.client, net.server, bytes);
        // late by at most two work periods: the one under way when the last bytes come, and the
        // one after reading them, before the read that sees the end (a 128 kB window would stall:
        // ~18 s)
        assertThat(eofAt[0]).isBetween(expected, expected + 2 * 7e-3);
    }

    @ParameterizedTest(name = "{0} bytes on loopback")
    @CsvSource({"1000", "10000000"})
    void aLoopbackTransferUsesTheHostsLoopbackRoute(long bytes) {
        Net net = new Net();
        Outcome o = transfer(net, Net.LV08, net.client, net.client, bytes);
        double expected = net.predict(Net.LV08, net.client, net.client, bytes); // loopback handshake: 0 s
        assertThat(o.readSha()).isEqualTo(o.sentSha());
        assertThat(Math.abs(o.eofAt() - expected) / expected).isLessThan(1e-6);
    }
}
