package simterpose.cli.memtrace;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import simterpose.tracer.addressspace.AddressSpace;
import simterpose.tracer.addressspace.Kind;
import simterpose.tracer.addressspace.ProcFs;
import simterpose.tracer.addressspace.ProcMaps;
import simterpose.tracer.addressspace.Totals;

/**
 * What memtrace knows of one process image (a pid between two execs): its address space, the
 * files its fds name, its SysV attachments, the peak of each kind, and the events each of its
 * threads made. Owned by the tracer's owner thread.
 */
final class ProcessMemory {
    final int pid;
    final String image;
    final AddressSpace space;
    /** Where the brk area begins (start_brk): the heap is {@code [startBrk, pageUp(brk))}. */
    long startBrk;
    /** fd → the file it names, from open/openat/dup at their exits (threads share it: CLONE_FILES). */
    final Map<Long, String> fds = new HashMap<>();
    /** shmat address → attached bytes, for shmdt (which names only the address). */
    final Map<Long, Long> sysvAttached = new HashMap<>();
    final Map<Integer, Integer> eventsByThread = new LinkedHashMap<>();
    private final long[] peak = new long[5]; // heap anon file shared reserved
    private final Map<String, Long> filePeaks = new TreeMap<>();
    /** How it ended: {@code exited with 0}, {@code killed by SIGKILL}, {@code exec'd}, {@code detached}; null while running. */
    String end;

    private ProcessMemory(int pid, String image, AddressSpace space, long startBrk) {
        this.pid = pid;
        this.image = image;
        this.space = space;
        this.startBrk = startBrk;
        notePeaks();
    }

    /** The process as the kernel shows it now ({@code /proc/PID/maps}, {@code start_brk}). */
    static ProcessMemory fromProc(int pid, String image) {
        return new ProcessMemory(pid, image != null ? image : ProcFs.exe(pid), AddressSpace.of(ProcMaps.read(pid)),
                ProcFs.startBrk(pid));
    }

    Totals totals() {
        return space.totals();
    }

    void countEvent(int tid) {
        eventsByThread.merge(tid, 1, Integer::sum);
    }

    void notePeaks() {
        Totals t = totals();
        long[] now = {t.heap(), t.anon(), t.file(), t.shared(), t.reserved()};
        for (int i = 0; i < now.length; i++) {
            peak[i] = Math.max(peak[i], now[i]);
        }
        t.files().forEach((name, bytes) -> filePeaks.merge(name, bytes, Math::max));
    }

    /** The peak of each kind, and of each file, since the image started. */
    Totals peaks() {
        return new Totals(peak[0], peak[1], peak[2], peak[3], peak[4], filePeaks);
    }

    long peakOf(Kind kind) {
        return peaks().of(kind);
    }
}
