package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A line made later from the values taken at the stops is the line the formatter makes at the stops. */
class LaterLineTest {
    private final FakeMemory mem = new FakeMemory();
    private final SyscallFormatter fmt = new SyscallFormatter();

    private static int nr(String name) {
        return SyscallTable.byName(name).orElseThrow().number();
    }

    /** The three texts made at the stops, then made later from the bytes a caller would take: equal. */
    private void sameAsAtTheStops(String name, long ret, byte[] written, long... args) {
        PendingCall atStop = fmt.onEntry(42, nr(name), args, mem);
        LaterLine later = fmt.later(42, nr(name), args);
        assertThat(later).as(name).isNotNull();
        int in = later.entryBytesShown();
        later.entryBuffer(in < 0 ? null : mem.readFully(later.bufferAddress(), in));
        if (written != null) {
            mem.poke(args[1], written); // the kernel fills the out-buffer
        }
        int out = later.exitBytesShown(ret);
        LaterLine.Ended ended = later.ended(ret, out < 0 ? null : mem.readFully(later.bufferAddress(), out));
        assertThat(later.unfinished()).isEqualTo(fmt.unfinishedText(atStop));
        assertThat(ended.line(18)).isEqualTo(fmt.onExit(atStop, ret, mem, 18));
        assertThat(ended.resumed()).isEqualTo(fmt.resumedText(atStop, ret, mem));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesAndSendsShowTheFirstBytesOfTheirBufferAsAtTheStop() {
        long shortBuffer = mem.put(bytes("lttng\n"));
        sameAsAtTheStops("write", 6, null, 3, shortBuffer, 6);
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        long bigBuffer = mem.put(big);
        sameAsAtTheStops("write", 100_000, null, 3, bigBuffer, 100_000);
        sameAsAtTheStops("write", -11, null, 3, bigBuffer, 100_000); // EAGAIN
        sameAsAtTheStops("sendto", 32, null, 3, bigBuffer, 32, 0x4000, 0, 0);
        sameAsAtTheStops("write", -14, null, 3, 0x1000, 10); // unreadable: its address
        sameAsAtTheStops("write", 0, null, 3, 0, 0); // NULL
        sameAsAtTheStops("write", 0, null, 3, shortBuffer, 0);
    }

    @Test
    void readsAndReceivesShowWhatTheKernelWroteAsAtTheStop() {
        long buffer = mem.put(new byte[4096]);
        sameAsAtTheStops("read", 6, bytes("lttng\n"), 3, buffer, 4096);
        sameAsAtTheStops("read", 40, bytes("a long line of more than thirty-two bytes"), 3, buffer, 4096);
        sameAsAtTheStops("read", 0, null, 3, buffer, 4096); // end of file
        sameAsAtTheStops("read", -11, null, 3, buffer, 4096); // EAGAIN: only the address
        sameAsAtTheStops("read", -512, null, 3, buffer, 4096); // ERESTARTSYS
        sameAsAtTheStops("recvfrom", 5, bytes("hello"), 3, buffer, 4096, 0, 0, 0);
        sameAsAtTheStops("read", 20, null, 3, 0x1000, 4096); // unreadable once written
    }

    @Test
    void callsOfPlainValuesAreMadeLaterToo() {
        sameAsAtTheStops("close", 0, null, 3);
        sameAsAtTheStops("close", -9, null, -1);
        sameAsAtTheStops("fcntl", 0x802, null, 3, 3);
        sameAsAtTheStops("socket", 3, null, 2, 0x801, 6);
        sameAsAtTheStops("epoll_wait", 1, null, 4, 0x7fff0000L, 16, -1);
        sameAsAtTheStops("shutdown", 0, null, 3, 1);
        sameAsAtTheStops("accept4", 4, null, 3, 0, 0, 0x80000);
        sameAsAtTheStops("exit_group", 0, null, 0);
    }

    @Test
    void callsWhoseLineReadsMoreOfTheTraceeAreDecodedAtTheirStops() {
        long addr = mem.put(new byte[] {2, 0, 0x13, (byte) 0x88, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0});
        long fds = mem.putInts(3, 1);
        long path = mem.putString("/etc/hosts");
        for (var call : List.of(
                new Object[] {"connect", new long[] {3, addr, 16}},
                new Object[] {"sendto", new long[] {3, addr, 6, 0, addr, 16}},
                new Object[] {"recvfrom", new long[] {3, addr, 6, 0, addr, addr}},
                new Object[] {"poll", new long[] {fds, 1, -1}},
                new Object[] {"openat", new long[] {-100, path, 0}},
                new Object[] {"futex", new long[] {addr, 0, 0, addr, 0, 0}},
                new Object[] {"writev", new long[] {3, addr, 1}})) {
            assertThat(fmt.later(42, nr((String) call[0]), (long[]) call[1])).as((String) call[0]).isNull();
        }
    }
}
