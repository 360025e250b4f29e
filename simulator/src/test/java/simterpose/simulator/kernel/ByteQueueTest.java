package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue's in-place paths: sources fill new chunks, sinks get views of chunks and consume what they took. */
class ByteQueueTest {
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + seed);
        }
        return b;
    }

    /** A source giving {@code data} from its start, or only its first {@code limit} bytes (a fault after them). */
    static SendSource source(byte[] data, long limit, List<MemorySegment> filled) {
        return into -> {
            filled.add(into);
            long n = Math.min(into.byteSize(), limit);
            MemorySegment.copy(data, 0, into, ValueLayout.JAVA_BYTE, 0, (int) Math.max(n, 0));
            return n; // may be out of range: the queue clamps it
        };
    }

    /** A sink recording the views it got and copying at most {@code limit} bytes of them. */
    static final class Recorder implements RecvSink {
        final long limit;
        final List<Long> sizes = new ArrayList<>();
        byte[] got = new byte[0];

        Recorder(long limit) {
            this.limit = limit;
        }

        @Override
        public long take(List<MemorySegment> parts) {
            sizes.clear();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (MemorySegment p : parts) {
                sizes.add(p.byteSize());
                out.writeBytes(p.toArray(ValueLayout.JAVA_BYTE));
            }
            byte[] all = out.toByteArray();
            got = Arrays.copyOf(all, (int) Math.min(limit, all.length));
            return got.length;
        }
    }

    @Test
    void aSourceFillsTheChunkItselfNativeFromTheThreshold() {
        ByteQueue q = new ByteQueue();
        List<MemorySegment> filled = new ArrayList<>();
        byte[] big = pattern(100_000, 1);
        byte[] small = pattern(100, 2);
        assertThat(q.append(big.length, source(big, Long.MAX_VALUE, filled))).isTrue();
        assertThat(q.append(small.length, source(small, Long.MAX_VALUE, filled))).isTrue();
        assertThat(filled).extracting(MemorySegment::isNative).containsExactly(true, false);
        assertThat(filled).extracting(MemorySegment::byteSize).containsExactly(100_000L, 100L);
        assertThat(q.size()).isEqualTo(100_100);
        byte[] all = q.read(200_000, true);
        assertThat(Arrays.copyOf(all, 100_000)).isEqualTo(big);
        assertThat(Arrays.copyOfRange(all, 100_000, 100_100)).isEqualTo(small);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void anUncopiedSendKeepsCountsOnlyInOneSharedReadOnlyBlockThroughSplitsAndReads() {
        ByteQueue q = new ByteQueue();
        List<MemorySegment> filled = new ArrayList<>();
        SendSource.Uncopied counted = into -> {
            filled.add(into);
            return into.byteSize();
        };
        assertThat(q.append(100_000, counted)).isTrue();
        assertThat(q.append(50_000, counted)).isTrue();
        assertThat(filled).allMatch(MemorySegment::isReadOnly).extracting(MemorySegment::address)
                .containsOnly(filled.getFirst().address()); // the same block: nothing allocated per send
        assertThat(q.size()).isEqualTo(150_000);

        ByteQueue head = q.split(120_000); // cuts the second chunk: its part is counted too, not copied
        Recorder sink = new Recorder(Long.MAX_VALUE);
        assertThat(head.read(200_000, true, sink)).isEqualTo(120_000);
        assertThat(sink.sizes).containsExactly(100_000L, 20_000L);
        assertThat(sink.got).containsOnly((byte) 0);
        assertThat(q.size()).isEqualTo(30_000);
        assertThat(q.read(30_000, true, new Recorder(Long.MAX_VALUE))).isEqualTo(30_000);
        assertThat(q.isEmpty()).isTrue();
    }

    /** The native chunks of a queue made of one 100 000-byte send and one 100-byte send (as a tracee's writes come). */
    private static List<MemorySegment> twoSends(ByteQueue q, byte[] big, byte[] small) {
        List<MemorySegment> filled = new ArrayList<>();
        q.append(big.length, source(big, Long.MAX_VALUE, filled));
        q.append(small.length, source(small, Long.MAX_VALUE, filled));
        return filled;
    }

    private static byte[] bytesOf(LentBytes lent) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        lent.parts().forEach(p -> out.writeBytes(p.toArray(ValueLayout.JAVA_BYTE)));
        return out.toByteArray();
    }

    @Test
    void lentBytesAreTheQueuesChunksFromTheHeadAndOutliveTheirConsumptionUntilReleased() {
        ByteQueue q = new ByteQueue();
        byte[] big = pattern(100_000, 4);
        byte[] small = pattern(100, 5);
        twoSends(q, big, small);
        q.read(1000, true, new Recorder(Long.MAX_VALUE)); // the head is now 1000 bytes into the native chunk
        LentBytes lent = q.lend();
        NativeBytes memory = lent.held().getFirst();
        assertThat(lent.length()).isEqualTo(99_100);
        assertThat(lent.parts()).extracting(MemorySegment::byteSize).containsExactly(99_000L, 100L); // views, no copy
        assertThat(q.size()).isEqualTo(99_100); // the queue is as it was

        ByteQueue receiver = new ByteQueue(); // the receiving socket consumes every byte
        receiver.appendAll(q.split(99_100));
        assertThat(receiver.read(200_000, true)).hasSize(99_100);
        assertThat(memory.freed()).isFalse(); // the borrower still reads it
        byte[] expected = Arrays.copyOf(Arrays.copyOfRange(big, 1000, 100_000), 99_100);
        System.arraycopy(small, 0, expected, 99_000, 100);
        assertThat(bytesOf(lent)).isEqualTo(expected);
        lent.release();
        assertThat(memory.freed()).isTrue();
        lent.release(); // a second release does nothing
    }

    @Test
    void aReleasedLoanLeavesTheMemoryToTheQueueUntilItConsumesIt() {
        ByteQueue q = new ByteQueue();
        twoSends(q, pattern(100_000, 6), pattern(100, 7));
        LentBytes lent = q.lend();
        NativeBytes memory = lent.held().getFirst();
        lent.release(); // written in the receiver's file before the receiving socket reads
        assertThat(memory.freed()).isFalse();
        q.read(50_000, true, new Recorder(Long.MAX_VALUE));
        assertThat(memory.freed()).isFalse();
        q.clear(); // the socket is closed with the rest unread
        assertThat(memory.freed()).isTrue();
    }

    @Test
    void aSourceThatFaultsAppendsNothing() {
        ByteQueue q = new ByteQueue();
        byte[] data = pattern(10_000, 3);
        assertThat(q.append(4000, source(data, Long.MAX_VALUE, new ArrayList<>()))).isTrue();
        assertThat(q.append(10_000, source(data, 9999, new ArrayList<>()))).isFalse();
        assertThat(q.append(10_000, source(data, 0, new ArrayList<>()))).isFalse();
        assertThat(q.append(50, source(data, -5, new ArrayList<>()))).isFalse();
        assertThat(q.size()).isEqualTo(4000);
        // what is queued splits and moves as before
        ByteQueue moved = q.split(1500);
        ByteQueue rest = new ByteQueue();
        rest.appendAll(q);
        assertThat(moved.read(10_000, true)).isEqualTo(Arrays.copyOf(data, 1500));
        assertThat(rest.read(10_000, true)).isEqualTo(Arrays.copyOfRange(data, 1500, 4000));
    }

    @Test
    void aSinkGetsViewsCutAtChunkBoundariesAndFromTheHeadOffset() {
        ByteQueue q = new ByteQueue();
        byte[] a = pattern(100, 4);
        byte[] b = pattern(5000, 5);
        byte[] c = pattern(8000, 6);
        q.append(a, 0, a.length);
        q.append(b, 0, b.length);
        q.append(c, 0, c.length);
        Recorder r = new Recorder(Long.MAX_VALUE);
        assertThat(q.read(7000, true, r)).isEqualTo(7000);
        assertThat(r.sizes).containsExactly(100L, 5000L, 1900L);
        byte[] expected = new byte[13_100];
        System.arraycopy(a, 0, expected, 0, 100);
        System.arraycopy(b, 0, expected, 100, 5000);
        System.arraycopy(c, 0, expected, 5100, 8000);
        assertThat(r.got).isEqualTo(Arrays.copyOf(expected, 7000));
        assertThat(q.size()).isEqualTo(6100);
        assertThat(q.read(100_000, true, r)).isEqualTo(6100);
        assertThat(r.sizes).containsExactly(6100L);
        assertThat(r.got).isEqualTo(Arrays.copyOfRange(expected, 7000, 13_100));
        assertThat(q.read(10, true, r)).isZero(); // empty: the sink is not called
        assertThat(r.sizes).containsExactly(6100L);
    }

    @Test
    void aPeekHandsTheSameBytesAgainAndConsumesNothing() {
        ByteQueue q = new ByteQueue();
        byte[] data = pattern(9000, 7);
        q.append(data, 0, 4500);
        q.append(data, 4500, 4500);
        q.read(1000, true); // a head offset inside the first chunk
        Recorder r = new Recorder(Long.MAX_VALUE);
        assertThat(q.read(5000, false, r)).isEqualTo(5000);
        byte[] first = r.got;
        assertThat(q.read(5000, false, r)).isEqualTo(5000);
        assertThat(r.got).isEqualTo(first).isEqualTo(Arrays.copyOfRange(data, 1000, 6000));
        assertThat(r.sizes).containsExactly(3500L, 1500L);
        assertThat(q.size()).isEqualTo(8000);
    }

    @Test
    void aPartialReadConsumesTheFrontOfAChunkAndAFaultingSinkNothing() {
        ByteQueue q = new ByteQueue();
        byte[] data = pattern(12_000, 8);
        q.append(data, 0, 6000);
        q.append(data, 6000, 6000);
        Recorder all = new Recorder(Long.MAX_VALUE);
        assertThat(q.read(7500, true, all)).isEqualTo(7500); // ends inside the second chunk
        assertThat(q.size()).isEqualTo(4500);
        Recorder partial = new Recorder(1000); // faults after 1000 bytes
        assertThat(q.read(12_000, true, partial)).isEqualTo(1000);
        assertThat(partial.sizes).containsExactly(4500L);
        assertThat(q.read(12_000, true, new Recorder(0))).isZero();
        assertThat(q.size()).isEqualTo(4500);
        assertThat(q.read(2000, true)).isEqualTo(Arrays.copyOfRange(data, 7500, 9500));
        assertThat(q.read(12_000, true)).isEqualTo(Arrays.copyOfRange(data, 9500, 12_000));
    }
}
