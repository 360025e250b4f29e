package simterpose.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import simterpose.tracer.Auxv;
import simterpose.tracer.ExitStatus;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Regs;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.MemoryEffects;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;

/**
 * Records a program's run at its syscalls: launched natively under the tracer with every syscall
 * stopped at entry and exit, the vDSO hidden (clock reads become syscalls), ASLR off (addresses
 * repeat, so a replay can check them) and {@code rdtsc} made to trap ({@code PR_SET_TSC}), it
 * writes to {@code DIR/recording.sim} ({@link RecordingFile}) the start (argv, environment,
 * initial stack, executable) and, in the order they happen, every syscall's arguments, result
 * and the bytes it wrote into the process ({@link MemoryEffects}, from the syscall table), the
 * signals delivered, the {@code rdtsc} values read and the threads' ends.
 *
 * <p>Thread rule: the handler runs on the tracer's owner thread (INLINE), which alone writes the
 * file.
 */
public final class Recorder implements StopHandler {
    /** What a recording ended with. */
    public record Result(int pid, int exitStatus, long events, long syscalls, long bytesWritten, long fileBytes,
                         Set<String> unknownEffects) {}

    static final int SIGSEGV = 11, PR_SET_TSC = 26, PR_TSC_SIGSEGV = 2;
    static final int NR_PRCTL = SyscallTable.number("prctl");
    private static final int NR_MMAP = SyscallTable.number("mmap"), MAP_ANONYMOUS = 0x20;
    /** The calls that write an fd at a position the kernel picks as they run (see {@link #fileWriter}). */
    private static final Set<Integer> FILE_WRITES = Set.of(SyscallTable.number("write"), SyscallTable.number("writev"),
            SyscallTable.number("pwrite64"), SyscallTable.number("pwritev"), SyscallTable.number("pwritev2"));

    private final Path dir;
    private RecordingFile.Writer writer;
    private IOException failure;
    /** Processes whose first syscall has not come yet: there PR_SET_TSC is injected (threads inherit it). */
    private final Set<Integer> tscPending = new HashSet<>();
    /** The syscall each thread is in (entered, not yet returned). */
    private final Map<Integer, long[]> entered = new HashMap<>();
    private final Set<String> unknownEffects = new TreeSet<>();
    private long syscalls, bytesWritten;
    private Header header;
    /** The thread in a write to a file or terminal (0: none), and the threads waiting to start one. */
    private int fileWriter;
    private final ArrayDeque<Stop> waitingToWrite = new ArrayDeque<>();

    private Recorder(Path dir) {
        this.dir = dir;
    }

    /** The tracer options both recording and replay use. */
    static TracerOptions options(int cpu) {
        TracerOptions o = TracerOptions.traceAll().withVdsoHidden().withoutAslr();
        return cpu >= 0 ? o.pinnedTo(cpu) : o;
    }

    /**
     * Runs {@code spec} to its end, recording into {@code dir} (created if needed; an existing
     * recording there is replaced).
     *
     * @param cpu a CPU to pin the tracer and the program to, or -1
     */
    public static Result record(LaunchSpec spec, Path dir, int cpu) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Recorder recorder = new Recorder(dir);
        ExitStatus status;
        try (Tracer tracer = Tracer.open(options(cpu))) {
            Tracee tracee = tracer.launch(spec, recorder);
            status = tracee.waitFor();
        }
        if (recorder.failure != null) {
            throw recorder.failure;
        }
        if (recorder.writer == null) {
            throw new IOException("the program never started (no exec seen)");
        }
        recorder.writer.finish(status.shellCode());
        Path file = dir.resolve(RecordingFile.NAME);
        Result result = new Result(recorder.header.pid(), status.shellCode(), recorder.writer.events(), recorder.syscalls, recorder.bytesWritten,
                Files.size(file), recorder.unknownEffects);
        Files.writeString(dir.resolve("summary.txt"), summary(recorder.header, result), StandardCharsets.UTF_8);
        return result;
    }

    @Override
    public Resume onStop(Stop stop) {
        if (failure != null) {
            return Resume.CONTINUE;
        }
        try {
            return switch (stop.event()) {
                case StopEvent.Exec x -> exec(stop, x);
                case StopEvent.SyscallEntry e -> entry(stop, e);
                case StopEvent.SyscallExit x -> exit(stop, x);
                case StopEvent.SignalDelivery s -> signal(stop, s);
                case StopEvent.NewChild c -> {
                    if (c.kind() != StopEvent.NewChild.Kind.CLONE) {
                        tscPending.add(c.childTid());
                    }
                    yield Resume.CONTINUE;
                }
                case StopEvent.Exited x -> gone(x.tid(), x.status());
                case StopEvent.Killed k -> gone(k.tid(), 128 + k.signal());
                case StopEvent.GroupStop g -> Resume.CONTINUE;
                case StopEvent.Interrupted i -> Resume.CONTINUE; // the recorder never interrupts
            };
        } catch (IOException e) {
            failure = e;
            stop.tracee().kill();
            return Resume.CONTINUE;
        }
    }

    private Resume exec(Stop stop, StopEvent.Exec x) throws IOException {
        if (writer != null) {
            writer.write(new Event.Exec(x.tid(), x.path()));
            return Resume.CONTINUE;
        }
        // Armed here, at the program's exec stop, as the replayer does: armed by the launching
        // thread after launch() returned, it raced the program's first syscalls (under load the
        // recording then missed ld.so's rdtsc traps that the replay took: a divergence).
        tscPending.add(x.tid());
        long sp = stop.regs().rsp();
        header = StartImage.read(stop.memory(), x.tid(), sp, Executable.of(Path.of(x.path())),
                Path.of("/proc", Integer.toString(x.tid()), "cwd"));
        writer = new RecordingFile.Writer(dir.resolve(RecordingFile.NAME), header);
        return Resume.CONTINUE;
    }

    /**
     * Two threads writing the same file at once reach the file in the kernel's order, which the
     * order of their exit stops (the recording's order, the one a replay re-emits) need not be:
     * waitpid may report the later writer first. So writes to files and terminals, which never
     * wait for another thread, run one at a time; the others wait at their entry. Pipes and
     * sockets are left alone: a write there may wait for a reader that waits to write.
     */
    private Resume entry(Stop stop, StopEvent.SyscallEntry e) throws IOException {
        if (FILE_WRITES.contains((int) e.nr()) && !waitsForAReader(e.tid(), (int) e.args()[0])) {
            if (fileWriter != 0) {
                waitingToWrite.add(stop);
                return Resume.DEFERRED;
            }
            fileWriter = e.tid();
        }
        return entered(stop, e);
    }

    private static boolean waitsForAReader(int tid, int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), "fd", Integer.toString(fd))).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:");
        } catch (IOException | RuntimeException e) {
            return true; // no such fd: the call fails at once
        }
    }

    /** The file write in progress ended (returned, or its thread is gone): the next waiting one starts. */
    private void fileWriteEnded(int tid) throws IOException {
        if (tid != fileWriter) {
            return;
        }
        fileWriter = 0;
        Stop next;
        while (fileWriter == 0 && (next = waitingToWrite.poll()) != null) {
            fileWriter = next.tid();
            next.resume(entered(next, (StopEvent.SyscallEntry) next.event()));
        }
    }

    private Resume entered(Stop stop, StopEvent.SyscallEntry e) throws IOException {
        if (tscPending.remove(e.tid())) {
            stop.injectSyscall(NR_PRCTL, PR_SET_TSC, PR_TSC_SIGSEGV);
        }
        int nr = (int) e.nr();
        Syscall sc = SyscallTable.byNumber(nr).orElse(null);
        long[] args = sc == null ? e.args() : java.util.Arrays.copyOf(e.args(), sc.argCount());
        TraceeMemory mem = stop.memory();
        if (nr == NR_MMAP && (args[3] & MAP_ANONYMOUS) == 0 && (int) args[4] >= 0) {
            writer.write(mappedFile(e.tid(), (int) args[4]));
        }
        List<String> strings = sc == null ? List.of() : CallInputs.strings(sc, args, mem);
        int crc = sc == null ? 0 : CallInputs.crc(sc, args, mem);
        writer.write(new Event.Entry(e.tid(), nr, args, strings, crc));
        entered.put(e.tid(), e.args());
        syscalls++;
        return Resume.CONTINUE;
    }

    private static Event.MappedFile mappedFile(int tid, int fd) {
        Path link = Path.of("/proc", Integer.toString(tid), "fd", Integer.toString(fd));
        try {
            Path target = Files.readSymbolicLink(link);
            return new Event.MappedFile(tid, target.toString(), Files.size(link));
        } catch (IOException e) {
            return new Event.MappedFile(tid, "?", -1);
        }
    }

    private Resume exit(Stop stop, StopEvent.SyscallExit x) throws IOException {
        long[] args = entered.remove(x.tid());
        if (args == null) {
            args = x.args();
        }
        List<Event.Write> writes = new ArrayList<>();
        Syscall sc = SyscallTable.byNumber((int) x.nr()).orElse(null);
        if (sc != null) {
            if (!MemoryEffects.known(sc) && x.result() >= 0) {
                unknownEffects.add(sc.name());
            }
            TraceeMemory mem = stop.memory();
            for (MemoryEffects.Region r : MemoryEffects.written(sc, args, x.result(), mem)) {
                byte[] b = new byte[r.length()];
                int got = mem.read(r.address(), b, 0, b.length);
                if (got > 0) {
                    writes.add(new Event.Write(r.address(), got == b.length ? b : java.util.Arrays.copyOf(b, got)));
                    bytesWritten += got;
                }
            }
        }
        writer.write(new Event.Exit(x.tid(), x.result(), writes));
        fileWriteEnded(x.tid());
        return Resume.CONTINUE;
    }

    private Resume signal(Stop stop, StopEvent.SignalDelivery s) throws IOException {
        Regs regs = stop.regs();
        if (s.signal() == SIGSEGV && regs != null) {
            int length = Rdtsc.instructionLength(stop.memory(), regs.rip());
            if (length > 0) {
                long value = System.nanoTime();
                stop.setRegs(Rdtsc.emulate(regs, length, value));
                writer.write(new Event.Rdtsc(s.tid(), value));
                return Resume.SUPPRESS_SIGNAL;
            }
        }
        writer.write(new Event.Signal(s.tid(), s.signal(), regs == null ? 0 : regs.rip()));
        return Resume.CONTINUE;
    }

    private Resume gone(int tid, int status) throws IOException {
        if (writer != null) {
            writer.write(new Event.ThreadGone(tid, status));
        }
        waitingToWrite.removeIf(s -> s.tid() == tid);
        fileWriteEnded(tid);
        return Resume.CONTINUE;
    }

    private static String summary(Header h, Result r) {
        StringBuilder s = new StringBuilder();
        s.append("simterpose recording, format version ").append(RecordingFile.VERSION).append('\n');
        s.append("command: ").append(String.join(" ", h.argv())).append('\n');
        s.append("cwd: ").append(h.cwd()).append('\n');
        s.append("executable: ").append(h.executable().path()).append(", ").append(h.executable().size())
                .append(" bytes, sha256 ").append(h.executable().sha256())
                .append(h.executable().buildId().isEmpty() ? "" : ", build id " + h.executable().buildId()).append('\n');
        s.append("pid: ").append(h.pid()).append('\n');
        s.append("exit status: ").append(r.exitStatus()).append('\n');
        s.append("syscalls: ").append(r.syscalls()).append(", events: ").append(r.events())
                .append(", bytes written by syscalls: ").append(r.bytesWritten()).append('\n');
        if (!r.unknownEffects().isEmpty()) {
            s.append("syscalls whose memory effects the table does not know (replayed with their result only): ")
                    .append(String.join(", ", r.unknownEffects())).append('\n');
        }
        return s.toString();
    }
}
