package simterpose.tracer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import simterpose.tracer.events.StopEvent;
import simterpose.tracer.memory.ProcessVmMemory;
import simterpose.tracer.memory.TraceeMemory;

import static org.assertj.core.api.Assertions.assertThat;
import simterpose.tracer.syscall.SyscallTable;

/**
 * Vectored transfers between native segments and a real tracee's iovec lists: one
 * process_vm_readv/writev with several iovecs on both sides, skip, IOV_MAX batching, and short
 * counts at a fault. The work happens at the tracee's write entry stop, in a writable mapping
 * followed by unmapped memory, whose bytes are put back before it resumes.
 */
class VectoredMemoryTest {
    static final int NR_WRITE = SyscallTable.number("write");
    static final int PAGE = 4096;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    /** Runs {@code probe} on the memory of {@code hello} stopped at its write; {@code end} is the end of a writable mapping with a gap after it. */
    static Map<String, Object> atWriteStop(Function<Probe, Map<String, Object>> probe) throws Exception {
        Map<String, Object> out = new ConcurrentHashMap<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("hello")).withStdout(Path.of("/dev/null")), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e && e.nr() == NR_WRITE && out.isEmpty()) {
                    int tid = e.tid();
                    long end = writableEndBeforeGap(tid);
                    TraceeMemory mem = stop.memory();
                    byte[] saved = mem.readFully(end - 3 * PAGE, 3 * PAGE);
                    try {
                        out.putAll(probe.apply(new Probe(mem, end)));
                    } catch (Throwable x) {
                        out.put("error", x);
                    } finally {
                        mem.write(end - 3 * PAGE, saved, 0, saved.length);
                    }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(out.get("error")).isNull();
        return out;
    }

    record Probe(TraceeMemory mem, long end) {
        long base() {
            return end - 3 * PAGE;
        }
    }

    /** The end of a writable mapping of at least 3 pages that no mapping follows. */
    static long writableEndBeforeGap(int tid) {
        try {
            List<long[]> maps = new ArrayList<>();
            List<Boolean> writable = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/maps"))) {
                String[] f = line.split("\\s+");
                String[] range = f[0].split("-");
                maps.add(new long[] {Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16)});
                writable.add(f[1].startsWith("rw"));
            }
            for (int i = 0; i < maps.size(); i++) {
                long[] m = maps.get(i);
                boolean gapAfter = i + 1 == maps.size() || maps.get(i + 1)[0] > m[1];
                if (writable.get(i) && gapAfter && m[1] - m[0] >= 3 * PAGE) {
                    return m[1];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no writable mapping followed by a gap");
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static List<MemorySegment> pieces(Arena arena, byte[] data, int... sizes) {
        List<MemorySegment> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            MemorySegment seg = arena.allocate(Math.max(s, 1)).asSlice(0, s);
            MemorySegment.copy(data, at, seg, ValueLayout.JAVA_BYTE, 0, s);
            out.add(seg);
            at += s;
        }
        return out;
    }

    @Test
    void severalLocalAndRemoteIovecsMoveInOneStream() throws Exception {
        byte[] data = pattern(12_100, 7);
        Map<String, Object> r = atWriteStop(p -> {
            try (Arena arena = Arena.ofConfined()) {
                long b = p.base();
                // native pieces, an empty one, and a heap piece (staged): 5000 + 0 + 7000 + 100
                List<MemorySegment> local = new ArrayList<>(pieces(arena, data, 5000, 0, 7000));
                local.add(MemorySegment.ofArray(Arrays.copyOfRange(data, 12_000, 12_100)));
                long[] remote = {b, 3000, b + 3050, 0, b + 3050, 6000, b + 9100, 1100, b + 10_250, 2000};
                long written = p.mem().write(local, remote);
                byte[] stream = new byte[12_100];
                int at = 0;
                for (int i = 0; i < remote.length; i += 2) {
                    int n = (int) Math.min(remote[i + 1], 12_100 - at);
                    System.arraycopy(p.mem().readFully(remote[i], n), 0, stream, at, n);
                    at += n;
                }
                // gather back from an offset inside the second iovec, into one native segment
                MemorySegment dst = arena.allocate(9000);
                long read = p.mem().read(remote, 3500, dst);
                MemorySegment heap = MemorySegment.ofArray(new byte[100]);
                long readHeap = p.mem().read(remote, 0, heap);
                return Map.of("written", written, "stream", stream, "read", read,
                        "gathered", dst.toArray(ValueLayout.JAVA_BYTE), "readHeap", readHeap,
                        "heap", heap.toArray(ValueLayout.JAVA_BYTE));
            }
        });
        assertThat(r.get("written")).isEqualTo(12_100L);
        assertThat((byte[]) r.get("stream")).isEqualTo(data);
        assertThat(r.get("read")).isEqualTo(8600L); // 12 100 - 3500: the iovecs hold fewer than asked
        assertThat(Arrays.copyOf((byte[]) r.get("gathered"), 8600)).isEqualTo(Arrays.copyOfRange(data, 3500, 12_100));
        assertThat(r.get("readHeap")).isEqualTo(100L);
        assertThat((byte[]) r.get("heap")).isEqualTo(Arrays.copyOf(data, 100));
    }

    @Test
    void moreThanIovMaxPiecesOnEitherSideStillMoveEveryByte() throws Exception {
        int n = 1500;
        byte[] data = pattern(3 * n, 3);
        Map<String, Object> r = atWriteStop(p -> {
            try (Arena arena = Arena.ofConfined()) {
                long b = p.base();
                int[] sizes = new int[n];
                Arrays.fill(sizes, 3);
                long[] remote = new long[2 * n];
                for (int i = 0; i < n; i++) {
                    remote[2 * i] = b + 5L * i; // 3 bytes every 5
                    remote[2 * i + 1] = 3;
                }
                // 1500 iovecs on both sides: more than one call
                long writtenToMany = p.mem().write(pieces(arena, data, sizes), remote);
                byte[] last = p.mem().readFully(b + 5L * (n - 1), 3);
                MemorySegment dst = arena.allocate(3L * n);
                long readFromMany = p.mem().read(remote, 0, dst);
                MemorySegment again = arena.allocate(3L * n - 4);
                long readAgain = p.mem().read(remote, 4, again);
                long writtenToOne = p.mem().write(pieces(arena, data, sizes), new long[] {b, 3L * n});
                byte[] one = p.mem().readFully(b, 3 * n);
                return Map.of("writtenToMany", writtenToMany, "last", last, "readFromMany", readFromMany,
                        "many", dst.toArray(ValueLayout.JAVA_BYTE), "readAgain", readAgain,
                        "again", again.toArray(ValueLayout.JAVA_BYTE), "writtenToOne", writtenToOne, "one", one);
            }
        });
        assertThat(r.get("writtenToMany")).isEqualTo(3L * n);
        assertThat((byte[]) r.get("last")).isEqualTo(Arrays.copyOfRange(data, 3 * n - 3, 3 * n));
        assertThat(r.get("readFromMany")).isEqualTo(3L * n);
        assertThat((byte[]) r.get("many")).isEqualTo(data);
        assertThat(r.get("readAgain")).isEqualTo(3L * n - 4);
        assertThat((byte[]) r.get("again")).isEqualTo(Arrays.copyOfRange(data, 4, 3 * n));
        assertThat(r.get("writtenToOne")).isEqualTo(3L * n);
        assertThat((byte[]) r.get("one")).isEqualTo(data);
    }

    @Test
    void aFaultInTheMiddleGivesAShortCountAndAtTheStartNothing() throws Exception {
        byte[] data = pattern(300, 1);
        Map<String, Object> r = atWriteStop(p -> {
            try (Arena arena = Arena.ofConfined()) {
                long b = p.base();
                long e = p.end();
                // 100 bytes, then an iovec whose last 150 bytes lie past the mapping's end
                long[] remote = {b, 100, e - 50, 200};
                long written = p.mem().write(pieces(arena, data, 120, 180), remote);
                byte[] tail = p.mem().readFully(e - 50, 50);
                MemorySegment dst = arena.allocate(300);
                long read = p.mem().read(remote, 0, dst);
                long readSkipping = p.mem().read(remote, 120, arena.allocate(300));
                long[] unmappedFirst = {e, 10, b, 10};
                long writtenNone = p.mem().write(pieces(arena, data, 20), unmappedFirst);
                long readNone = p.mem().read(unmappedFirst, 0, arena.allocate(20));
                return Map.of("written", written, "tail", tail, "read", read,
                        "readBytes", dst.asSlice(0, 150).toArray(ValueLayout.JAVA_BYTE),
                        "readSkipping", readSkipping, "writtenNone", writtenNone, "readNone", readNone);
            }
        });
        assertThat(r.get("written")).isEqualTo(150L);
        assertThat((byte[]) r.get("tail")).isEqualTo(Arrays.copyOfRange(data, 100, 150));
        assertThat(r.get("read")).isEqualTo(150L);
        assertThat((byte[]) r.get("readBytes")).isEqualTo(Arrays.copyOf(data, 150));
        assertThat(r.get("readSkipping")).isEqualTo(30L);
        assertThat(r.get("writtenNone")).isEqualTo(0L);
        assertThat(r.get("readNone")).isEqualTo(0L);
    }

    @Test
    void byteArrayCallsGoThroughTheSameTransfer() throws Exception {
        byte[] data = pattern(10_000, 9);
        Map<String, Object> r = atWriteStop(p -> {
            int w = p.mem().write(p.end() - 5000, data, 0, data.length);
            byte[] back = new byte[10_000];
            int n = p.mem().read(p.end() - 5000, back, 0, back.length);
            return Map.of("w", w, "n", n, "back", Arrays.copyOf(back, 5000));
        });
        assertThat(r.get("w")).isEqualTo(5000);
        assertThat(r.get("n")).isEqualTo(5000);
        assertThat((byte[]) r.get("back")).isEqualTo(Arrays.copyOf(data, 5000));
    }

    /** Keeps the import of ProcessVmMemory meaningful: the stop hands out this implementation. */
    @Test
    void stopsHandOutProcessVmMemory() throws Exception {
        Map<String, Object> r = atWriteStop(p -> Map.of("impl", p.mem().getClass().getName()));
        assertThat(r.get("impl")).isEqualTo(ProcessVmMemory.class.getName());
    }
}
