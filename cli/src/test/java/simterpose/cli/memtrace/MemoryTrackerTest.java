package simterpose.cli.memtrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.ExitStatus;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.addressspace.Kind;
import simterpose.tracer.addressspace.ProcFs;
import simterpose.tracer.addressspace.ProcMaps;
import simterpose.tracer.addressspace.Totals;

/**
 * memtrace's accounting on a program with a known memory shape ({@code testapps/src/memory_shape.c}):
 * every event with its size and name, and at every event's stop the totals equal what the
 * kernel lists in {@code /proc/PID/smaps} at that moment; the peaks equal the largest of those.
 */
class MemoryTrackerTest {
    static final Path BIN = Path.of("..", "testapps", "target", "bin").toAbsolutePath().normalize();
    private static final long KiB = 1024, MiB = 1024 * 1024;

    @TempDir
    Path dir;

    /** What one run printed and what /proc said at each event. */
    record Run(int pid, String text, ExitStatus status, Map<Integer, Totals> peaks, Map<Integer, long[]> smapsPeaks, int comparisons) {
        List<String> lines(String callPrefix) {
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (l.replaceFirst("^\\[[0-9/]+\\] ", "").startsWith(callPrefix)) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    /**
     * Runs {@code argv} under memtrace's tracker. With {@code compareWithKernel}, at every
     * event's stop the model must equal /proc/PID/smaps (only exact when no other thread of the
     * process runs meanwhile: another thread's call may be half done in the kernel).
     */
    private Run run(boolean follow, boolean compareWithKernel, String... argv) throws Exception {
        StringWriter out = new StringWriter();
        MemoryTracker tracker = new MemoryTracker(out, false, follow, 32);
        Map<Integer, long[]> smapsPeaks = new HashMap<>();
        int[] comparisons = {0};
        List<String> mismatches = new ArrayList<>();
        tracker.afterEachEvent(stop -> {
            if (!compareWithKernel) {
                return;
            }
            int pid = ProcFs.tgid(stop.tid());
            Totals kernel = Totals.of(ProcMaps.readSmaps(pid));
            Totals model = tracker.totalsOf(pid);
            if (!kernel.equals(model)) {
                mismatches.add("after " + stop.event() + " in " + pid + ": model " + model + ", smaps " + kernel);
            }
            long[] peak = smapsPeaks.computeIfAbsent(pid, p -> new long[5]);
            long[] now = {kernel.heap(), kernel.anon(), kernel.file(), kernel.shared(), kernel.reserved()};
            for (int i = 0; i < 5; i++) {
                peak[i] = Math.max(peak[i], now[i]);
            }
            comparisons[0]++;
        });
        ExitStatus status;
        try (Tracer tracer = Tracer.open(TracerOptions.filter(MemoryTracker.syscalls()))) {
            Tracee t = tracer.launch(LaunchSpec.of(argv), tracker);
            status = t.waitFor();
        }
        tracker.finish(false);
        assertThat(mismatches).as("model vs /proc/PID/smaps at the same stops").isEmpty();
        return new Run(tracker.rootPid(), out.toString(), status, tracker.peaks(), smapsPeaks, comparisons[0]);
    }

    private static long change(String line, String kindAndName) {
        Matcher m = Pattern.compile("\\| [^|]*" + Pattern.quote(kindAndName) + "[^|]*? ([+-]\\d+) \\(").matcher(line);
        assertThat(m.find()).as("'%s' in %s", kindAndName, line).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void everyEventOfTheKnownShapeHasItsSizeAndNameAndTheTotalsMatchSmapsAtEachStop() throws Exception {
        Run r = run(false, true, BIN.resolve("memory_shape").toString(), dir.toString());
        assertThat(r.status()).isEqualTo(new ExitStatus.Exited(0));
        assertThat(r.comparisons()).isGreaterThan(30);

        // brk: +256 KiB, +128 KiB, -128 KiB (sbrk), each one line
        List<Long> heap = r.lines("brk(0x").stream().map(l -> change(l, "heap")).toList();
        assertThat(heap).startsWith(256 * KiB, 128 * KiB, -128 * KiB);
        // the large anonymous mapping, mapped and unmapped
        assertThat(r.lines("mmap(NULL, 67108864,")).singleElement().satisfies(l -> assertThat(change(l, "anon")).isEqualTo(64 * MiB));
        assertThat(r.lines("munmap(").stream().filter(l -> l.contains(", 67108864)")))
                .singleElement().satisfies(l -> assertThat(change(l, "anon")).isEqualTo(-64 * MiB));
        // file mappings named by their file, the second through the same (reused) fd number
        String a = dir.resolve("a").toString(), b = dir.resolve("b").toString();
        assertThat(r.lines("mmap(NULL, 12288, PROT_READ, MAP_PRIVATE, 3, 0)")).singleElement()
                .satisfies(l -> assertThat(change(l, "file " + a)).isEqualTo(12 * KiB));
        assertThat(r.lines("mmap(NULL, 20480, PROT_READ, MAP_PRIVATE, 3, 0)")).singleElement()
                .satisfies(l -> assertThat(change(l, "file " + b)).isEqualTo(20 * KiB));
        assertThat(r.text()).contains("| file " + a + " -12288 ").contains("| file " + b + " -20480 ");
        // SysV: 1.25 MiB attached then detached
        assertThat(r.lines("shmat(")).singleElement().satisfies(l -> assertThat(change(l, "shared SysV shm")).isEqualTo(1280 * KiB));
        assertThat(r.lines("shmdt(")).singleElement().satisfies(l -> assertThat(change(l, "shared SysV shm")).isEqualTo(-1280 * KiB));
        // POSIX shm: 2 MiB shared, named by its /dev/shm file
        assertThat(r.lines("mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)")).singleElement()
                .satisfies(l -> assertThat(change(l, "shared /dev/shm/memtrace_shape_")).isEqualTo(2 * MiB));
        // mremap 1 MiB -> 4 MiB
        assertThat(r.lines("mremap(")).singleElement().satisfies(l -> assertThat(change(l, "anon")).isEqualTo(3 * MiB));
        // mprotect opens 512 KiB of a 2 MiB reservation
        assertThat(r.lines("mmap(NULL, 2097152, PROT_NONE,")).singleElement()
                .satisfies(l -> assertThat(change(l, "reserved")).isEqualTo(2 * MiB));
        assertThat(r.lines("mprotect(").stream().filter(l -> l.contains(", 524288, ")))
                .singleElement().satisfies(l -> {
                    assertThat(change(l, "anon")).isEqualTo(512 * KiB);
                    assertThat(change(l, "reserved")).isEqualTo(-512 * KiB);
                });
        // madvise(MADV_DONTNEED) frees the 1 MiB it was given, which was resident
        assertThat(r.lines("madvise(").stream().filter(l -> l.contains(", 1048576, MADV_DONTNEED)")))
                .singleElement().satisfies(l -> assertThat(l).contains("frees 1048576 (1.0 MiB)", "resident -1048576 "));
        // the thread's own 3 MiB, attributed to the thread, accounted to the process
        int pid = r.pid();
        List<String> threadMaps = r.lines("mmap(NULL, 3145728,");
        assertThat(threadMaps).singleElement().satisfies(l -> {
            assertThat(l).matches("\\[" + pid + "/\\d+\\] .*");
            assertThat(change(l, "anon")).isEqualTo(3 * MiB);
        });
        assertThat(r.text()).contains("[" + pid + "] --- SIGUSR1 {si_signo=SIGUSR1} ---");

        // peaks: the largest totals /proc showed at the same stops
        long[] kernelPeak = r.smapsPeaks().get(pid);
        Totals peak = r.peaks().get(pid);
        assertThat(new long[] {peak.heap(), peak.anon(), peak.file(), peak.shared(), peak.reserved()}).containsExactly(kernelPeak);
        assertThat(peak.of(Kind.SHARED)).isEqualTo(2 * MiB);
        assertThat(peak.anon()).isGreaterThan(64 * MiB);
        assertThat(r.text()).contains("process " + pid + " " + BIN.resolve("memory_shape") + ": exited with 0")
                .contains("file peak 12288 (12.0 KiB) " + a);
    }

    @Test
    void followModeAccountsAForkedChildThatExecsAsItsOwnProcess() throws Exception {
        Run r = run(true, true, BIN.resolve("memory_shape").toString(), "fork-exec");
        assertThat(r.status()).isEqualTo(new ExitStatus.Exited(0));
        int parent = r.pid();
        assertThat(r.text()).containsPattern("\\[" + parent + "\\] new process (\\d+) \\(fork\\)");
        Matcher m = Pattern.compile("new process (\\d+)").matcher(r.text());
        assertThat(m.find()).isTrue();
        int child = Integer.parseInt(m.group(1));
        assertThat(r.lines("mmap(NULL, 6291456,")).singleElement().satisfies(l -> assertThat(l).startsWith("[" + parent + "] "));
        assertThat(r.lines("mmap(NULL, 5242880,")).singleElement().satisfies(l -> {
            assertThat(l).startsWith("[" + child + "] ");
            assertThat(change(l, "anon")).isEqualTo(5 * MiB);
        });
        assertThat(r.text()).contains("[" + child + "] execve(\"" + BIN.resolve("memory_shape") + "\") = 0 | new image")
                .contains("process " + child + " " + BIN.resolve("memory_shape") + ": exited with 0")
                .doesNotContain(": exec'd"); // the child changed nothing before its exec: no summary of that image
        assertThat(r.smapsPeaks()).containsKeys(parent, child);
    }

    @Test
    void sixteenThreadsEachMappingTheirOwnSizeAreAttributedToThemAndAccountedToTheirProcess() throws Exception {
        Run r = run(false, false, BIN.resolve("memory_shape").toString(), "threads", "16");
        assertThat(r.status()).isEqualTo(new ExitStatus.Exited(0));
        int pid = r.pid();
        java.util.Set<String> threads = new java.util.HashSet<>();
        for (int i = 0; i < 16; i++) {
            long size = MiB + i * 4096L;
            List<String> maps = r.lines("mmap(NULL, " + size + ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS");
            assertThat(maps).as("thread %d's mapping", i).singleElement().satisfies(l -> {
                assertThat(change(l, "anon")).isEqualTo(size);
                assertThat(l).matches("\\[" + pid + "/\\d+\\] .*");
            });
            threads.add(maps.getFirst().substring(0, maps.getFirst().indexOf(']')));
            assertThat(r.lines("munmap(").stream().filter(l -> l.contains(", " + size + ")"))).hasSize(1);
        }
        assertThat(threads).hasSize(16);
        assertThat(r.text()).contains("process " + pid + " ");
        assertThat(r.peaks()).hasSize(1);
    }
}
