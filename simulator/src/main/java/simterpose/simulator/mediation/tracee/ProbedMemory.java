package simterpose.simulator.mediation.tracee;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import simterpose.tracer.syscall.SyscallTable;

/**
 * {@code run --mediation=address}: the ranges of each process's memory a native send (read) or
 * receive (read and write) was last found able to use, so that a buffer is probed page by page
 * once, not before every call. The probe is what keeps EFAULT identical to full mediation (a
 * buffer that runs into unmapped memory fails before the simulated socket takes or gives
 * anything), and it cost as much as the rest of a call; programs reuse their buffers.
 *
 * <p>A range stays known until the tracee's mappings may have changed: under address mode the
 * calls that can take a page away ({@link #MAP_CHANGES}) stop, and each forgets everything at its
 * entry and again at its exit; while one runs (another thread may be stopped meanwhile), nothing
 * is remembered. An mmap over existing pages (MAP_FIXED) and an exec forget everything too.
 * Not seen: a shared file mapping whose file shrinks, userfaultfd, protection keys switched
 * with WRPKRU (a native call could then fault where the probe would have said so).
 *
 * <p>Threading: the owner thread only.
 */
public final class ProbedMemory {
    /** Calls that may make mapped pages inaccessible: they stop under address mode. */
    public static final Set<Integer> MAP_CHANGES = Set.of(SyscallTable.number("munmap"), SyscallTable.number("mprotect"),
            SyscallTable.number("pkey_mprotect"), SyscallTable.number("mremap"), SyscallTable.number("madvise"),
            SyscallTable.number("brk"), SyscallTable.number("shmdt"), SyscallTable.number("remap_file_pages"));
    private static final long PAGE = 4096;
    /** Ranges kept per process and kind: beyond, all are forgotten (a program that walks many buffers). */
    private static final int MAX_RANGES = 256;

    /** Per process (a {@link ProcessState}): start → end of the page ranges known readable; and of those known writable. */
    private final Map<Object, TreeMap<Long, Long>> readable = new IdentityHashMap<>();
    private final Map<Object, TreeMap<Long, Long>> writable = new IdentityHashMap<>();
    /** Threads (a {@link TracedThread}) inside a call of {@link #MAP_CHANGES}, between its entry and its exit stop. */
    private final Set<Object> changing = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /** The seccomp filter's extra numbers under {@code --mediation=address}, with {@code others}. */
    public static Set<Integer> alsoStopped(boolean addressMode, Set<Integer> others) {
        if (!addressMode) {
            return others;
        }
        Set<Integer> all = new HashSet<>(others);
        all.addAll(MAP_CHANGES);
        return all;
    }

    /**
     * True when every {address, length} piece lies in memory of {@code p} known readable (and
     * with {@code write}, writable).
     */
    public boolean covers(Object p, java.util.List<long[]> pieces, boolean write) {
        TreeMap<Long, Long> known = (write ? writable : readable).get(p);
        if (known == null) {
            return false;
        }
        for (long[] piece : pieces) {
            Map.Entry<Long, Long> r = known.floorEntry(piece[0]);
            if (r == null || r.getValue() < piece[0] + piece[1]) {
                return false;
            }
        }
        return true;
    }

    /** The pieces were just probed and found usable (and with {@code write}, writable). */
    public void remember(Object p, java.util.List<long[]> pieces, boolean write) {
        if (!changing.isEmpty()) {
            return; // a call that may unmap them is running: it may not have run yet
        }
        TreeMap<Long, Long> known = (write ? writable : readable).computeIfAbsent(p, k -> new TreeMap<>());
        if (known.size() >= MAX_RANGES) {
            known.clear();
        }
        for (long[] piece : pieces) {
            add(known, piece[0] & -PAGE, (piece[0] + piece[1] + PAGE - 1) & -PAGE);
        }
    }

    /** Adds [start, end), merged with the ranges it touches. */
    private static void add(TreeMap<Long, Long> known, long start, long end) {
        Map.Entry<Long, Long> before = known.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        for (Map.Entry<Long, Long> next = known.ceilingEntry(start); next != null && next.getKey() <= end;
                next = known.ceilingEntry(start)) {
            end = Math.max(end, next.getValue());
            known.remove(next.getKey());
        }
        known.put(start, end);
    }

    /** At the entry stop of syscall {@code nr}: true (forgetting all) when it may change mappings; its exit must then call {@link #exited}. */
    public boolean entering(Object t, long nr) {
        if (!MAP_CHANGES.contains((int) nr)) {
            return false;
        }
        changing.add(t);
        forget();
        return true;
    }

    /** At the exit of a call {@link #entering} said changes mappings (or when its thread is gone). */
    public void exited(Object t) {
        if (changing.remove(t)) {
            forget();
        }
    }

    /** Forgets every range: the mappings may have changed (an mmap over pages, an exec). */
    public void forget() {
        readable.clear();
        writable.clear();
    }
}
