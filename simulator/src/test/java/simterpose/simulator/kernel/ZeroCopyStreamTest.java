package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.bindings.Errno.EFAULT;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The socket calls that take their bytes from a {@link SendSource} and give them to a
 * {@link RecvSink} (mediation's zero-copy path): what they ask for, and what a fault does.
 */
class ZeroCopyStreamTest {
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    /** Fills from {@code data} at {@code from}, at most {@code limit} bytes; records the sizes asked. */
    static SendSource source(byte[] data, int from, long limit, List<Long> asked) {
        return into -> {
            asked.add(into.byteSize());
            long n = Math.min(into.byteSize(), limit);
            MemorySegment.copy(data, from, into, ValueLayout.JAVA_BYTE, 0, (int) n);
            return n;
        };
    }

    static int value(SysResult<Integer> r) {
        return switch (r) {
            case SysResult.Done<Integer>(Integer n) -> n;
            case SysResult.Errno<Integer> e -> -e.errno();
            case SysResult.Block<Integer> b -> throw new IllegalStateException("blocked");
        };
    }

    static int received(SysResult<SocketCalls.Delivered> r) {
        return switch (r) {
            case SysResult.Done<SocketCalls.Delivered>(SocketCalls.Delivered d) -> d.count();
            case SysResult.Errno<SocketCalls.Delivered> e -> -e.errno();
            case SysResult.Block<SocketCalls.Delivered> b -> throw new IllegalStateException("blocked");
        };
    }

    @Test
    void aSendAsksTheSourceOnlyForWhatFitsInTheSendBuffer() {
        int big = TcpSocket.DEFAULT_SNDBUF + 1_000_000;
        byte[] data = pattern(big);
        List<Long> asked = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        StreamSemanticsTest.pair((p, c) -> seen.add(p.readAll(c).length), (p, fd) -> {
            int n = value(p.calls().sendto(p.proc, fd, big, source(data, 0, Long.MAX_VALUE, asked), MSG_DONTWAIT, null));
            seen.add(n);
            seen.add(p.ioctl(fd, SIOCOUTQ, 0));
            p.close(fd);
        });
        assertThat(asked).containsExactly((long) TcpSocket.DEFAULT_SNDBUF);
        assertThat(seen).containsExactly(TcpSocket.DEFAULT_SNDBUF, TcpSocket.DEFAULT_SNDBUF, TcpSocket.DEFAULT_SNDBUF);
    }

    @Test
    void aSourceThatFaultsFailsTheSendAndQueuesNothing() {
        byte[] data = pattern(10_000);
        List<Object> seen = new ArrayList<>();
        StreamSemanticsTest.pair((p, c) -> seen.add(Arrays.equals(p.readAll(c), Arrays.copyOf(data, 3000))), (p, fd) -> {
            List<Long> asked = new ArrayList<>();
            seen.add(value(p.calls().sendto(p.proc, fd, 3000, source(data, 0, Long.MAX_VALUE, asked), 0, null)));
            seen.add(value(p.calls().sendto(p.proc, fd, 7000, source(data, 3000, 6999, asked), 0, null)));
            seen.add(value(p.calls().sendto(p.proc, fd, 7000, source(data, 3000, 0, asked), 0, null)));
            seen.add(p.ioctl(fd, SIOCOUTQ, 0));
            seen.add(p.proc.bytesSent());
            p.close(fd);
        });
        assertThat(seen).containsExactly(3000, -EFAULT, -EFAULT, 3000, 3000L, true);
    }

    @Test
    void aSinkThatFaultsOrPeeksConsumesNothing() {
        byte[] data = pattern(20_000);
        List<Object> seen = new ArrayList<>();
        StreamSemanticsTest.pair((p, c) -> {
            p.self.sleep(1); // every byte has arrived
            SocketCalls calls = p.calls();
            ByteQueueTest.Recorder peek = new ByteQueueTest.Recorder(Long.MAX_VALUE);
            seen.add(received(calls.recvmsg(p.proc, c, 5000, MSG_PEEK, peek)));
            seen.add(p.ioctl(c, FIONREAD, 0));
            seen.add(received(calls.recvmsg(p.proc, c, 5000, 0, new ByteQueueTest.Recorder(0))));
            seen.add(p.ioctl(c, FIONREAD, 0));
            seen.add(received(calls.recvmsg(p.proc, c, 5000, 0, new ByteQueueTest.Recorder(4999))));
            seen.add(p.ioctl(c, FIONREAD, 0));
            ByteQueueTest.Recorder part = new ByteQueueTest.Recorder(Long.MAX_VALUE);
            seen.add(received(calls.recvmsg(p.proc, c, 1234, 0, part)));
            seen.add(p.ioctl(c, FIONREAD, 0));
            seen.add(p.proc.bytesReceived());
            byte[] rest = p.readAll(c);
            seen.add(Arrays.equals(peek.got, Arrays.copyOf(data, 5000)));
            seen.add(Arrays.equals(part.got, Arrays.copyOf(data, 1234)));
            seen.add(Arrays.equals(rest, Arrays.copyOfRange(data, 1234, 20_000)));
        }, (p, fd) -> {
            p.write(fd, data);
            p.close(fd);
        });
        assertThat(seen).containsExactly(5000, 20_000, -EFAULT, 20_000, -EFAULT, 20_000, 1234, 20_000 - 1234, 1234L,
                true, true, true);
    }
}
