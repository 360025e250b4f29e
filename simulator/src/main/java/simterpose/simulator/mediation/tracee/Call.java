package simterpose.simulator.mediation.tracee;

import static simterpose.bindings.Errno.EFAULT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.kernel.Kernel;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.kernel.OpenFile;
import simterpose.simulator.kernel.RandomDevice;
import simterpose.simulator.kernel.SysResult;
import simterpose.simulator.kernel.TcpSocket;
import simterpose.simulator.kernel.TimerFd;
import simterpose.simulator.kernel.UdpSocket;
import simterpose.simulator.kernel.VirtualProcess;
import simterpose.tracer.Stop;
import simterpose.tracer.abi.Timespec;
import simterpose.tracer.memory.TraceeMemory;

/**
 * One syscall being mediated: its thread, its entry stop, its arguments, and what it achieved
 * across retries (a blocking send that took part of its bytes before waiting). Lives from the
 * entry stop to the verdict, on the tracer's owner thread.
 */
public final class Call {
    public final TracedThread thread;
    public final Stop stop;
    public final int nr;
    public final long[] args;
    /** Bytes (or messages) already done by previous attempts of this call. */
    public long progress;
    /** Of {@code progress}, the bytes already written into the real stream ({@code --mediation=address}). */
    public long pushed;
    /**
     * When the run's calls are observed: the first bytes a handler moved between the tracee and a
     * simulated socket (see {@link #moved}) and their address in the tracee, else null.
     */
    byte[] movedBytes;
    long movedAddress;

    public Call(TracedThread thread, Stop stop, int nr, long[] args) {
        this.thread = thread;
        this.stop = stop;
        this.nr = nr;
        this.args = args;
    }

    public long arg(int i) { return args[i]; }

    /**
     * A handler moved {@code count} bytes, {@code bytes}, between the start ({@code from} 0) of
     * the tracee's iovec list {@code iov} ({base, len, ...}) and a simulated socket: when the
     * run's calls are observed, their first bytes are kept, so that the call's strace line shows
     * them without reading the tracee again ({@link ObservedCalls}).
     */
    public void moved(long[] iov, long from, MemorySegment bytes, long count) {
        if (from == 0 && thread.run.calls() != null) {
            moved(iov, List.of(bytes), count);
        }
    }

    /** As above for bytes moved in {@code parts}, in order, from the start of {@code iov}. */
    public void moved(long[] iov, List<MemorySegment> parts, long count) {
        ObservedCalls calls = thread.run.calls();
        if (calls == null || iov.length < 2) {
            return;
        }
        byte[] head = new byte[(int) Math.max(0, Math.min(Math.min(count, iov[1]), calls.shownBytes()))];
        int at = 0;
        for (MemorySegment part : parts) {
            int n = (int) Math.min(part.byteSize(), head.length - at);
            MemorySegment.copy(part, ValueLayout.JAVA_BYTE, 0, head, at, n);
            at += n;
            if (at == head.length) {
                break;
            }
        }
        movedAddress = iov[0];
        movedBytes = head;
    }

    public int intArg(int i) { return (int) args[i]; }

    public VirtualProcess proc() { return thread.process.virtual; }

    /** The virtual kernel: sockets, fd tables, epoll, futexes, timers. */
    public Kernel kernel() { return thread.run.kernel(); }

    public Simulation sim() { return thread.run.sim(); }

    /** The simulated date, in seconds. */
    public double now() { return thread.run.sim().now(); }

    public IdleProbes idleProbes() { return thread.run.idleProbes(); }

    public RunOptions options() { return thread.run.options(); }

    /** CLOCK_REALTIME at simulated date 0, in nanoseconds. */
    public long epochNanos() { return thread.run.epochNanos(); }

    /** The run's seeded generator. */
    public java.util.SplittableRandom random() { return thread.run.random(); }

    public HostFiles hostFiles() { return thread.run.hostFiles(); }

    /** The run's real streams ({@code --mediation=address}). */
    public RealStreams realStreams() { return thread.run.realStreams(); }

    /**
     * The call ends cut short (a signal, a timeout) without its handler: returns what it gives
     * the tracee, its progress if any, else {@code errno}; under {@code --mediation=address} the
     * bytes a waiting send took go into the real stream first.
     */
    public long cutShort(long errno) {
        thread.run.realStreams().flush(this);
        return progress > 0 ? progress : errno;
    }

    /** True under {@code --mediation=address}. */
    public boolean addressMode() { return thread.run.options().mediation() == RunOptions.Mediation.ADDRESS; }

    /** True when {@code tid} is a thread (or process) of this run. */
    public boolean traces(int tid) { return thread.run.traces(tid); }
    /** See {@link RunContext#hostTid}: a pid or tid an argument names, as the tracer knows it. */
    public int hostTid(int visibleTid) { return thread.run.hostTid(visibleTid); }

    /** This call names a simulated socket in a syscall the simulation does not mediate: reported once, then failed or passed. */
    public HandlerResult unmediated() { return thread.run.unmediated(this); }

    public TraceeMemory mem() { return stop.memory(); }

    /**
     * True when fd argument {@code i} names a virtual file whose readiness is simulated: a
     * simulated socket or timerfd of this process (not a random device, which the real kernel
     * polls).
     */
    public boolean virtualFd(int i) {
        OpenFile f = file(i);
        return f != null && !(f.file() instanceof RandomDevice);
    }

    /**
     * True when fd argument {@code i} is in this process's virtual fd table: a simulated socket
     * or a random device, whose dup, close and CLOEXEC the table follows.
     */
    public boolean trackedFd(int i) {
        return file(i) != null;
    }

    /**
     * True when fd argument {@code i} is a real fd (not in the virtual table) whose reads or
     * writes may block until another process acts: a pipe, a socket, a terminal ({@link RealFdKinds}).
     */
    public boolean realFdMayBlock(int i) {
        return file(i) == null && thread.process.realFdKinds.mayBlock((int) args[i]);
    }

    /** Real fd argument {@code i} was closed or replaced: its kind is read again at its next use. */
    public void realFdGone(int i) {
        thread.process.realFdKinds.forget((int) args[i]);
    }

    /** True when fd argument {@code i} is an open /dev/urandom or /dev/random (reads are seeded). */
    public boolean randomFd(int i) {
        OpenFile f = file(i);
        return f != null && f.file() instanceof RandomDevice;
    }

    /** The simulated timerfd fd argument {@code i} refers to, or null. */
    public TimerFd timerFd(int i) {
        OpenFile f = file(i);
        return f != null && f.file() instanceof TimerFd t ? t : null;
    }

    /** True when fd argument {@code i} is a simulated socket (not a random device nor a timerfd). */
    public boolean socketFd(int i) {
        OpenFile f = file(i);
        return f != null && (f.file() instanceof TcpSocket || f.file() instanceof UdpSocket);
    }

    public OpenFile file(int i) {
        long fd = args[i];
        return fd >= 0 && fd <= Integer.MAX_VALUE ? proc().fds().get((int) fd) : null;
    }

    /** Reads {@code len} bytes, or null if any is unreadable (the call then fails with EFAULT). */
    public byte[] read(long address, int len) {
        if (len == 0) {
            return new byte[0];
        }
        return mem().readFully(address, len);
    }

    public boolean write(long address, byte[] bytes) {
        return bytes.length == 0 || mem().write(address, bytes, 0, bytes.length) == bytes.length;
    }

    /** A 32-bit int at {@code address}, or {@code fallback} if unreadable. */
    public int readInt(long address, int fallback) {
        byte[] b = read(address, 4);
        return b == null ? fallback : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** What a handler does with a struct timespec it was given. */
    @FunctionalInterface
    public interface TimespecUse {
        HandlerResult apply(long seconds, long nanoseconds);
    }

    /**
     * Reads the struct timespec at {@code address} and hands it on; as Linux does, an unreadable
     * one fails the call with EFAULT and a negative or non-normalised one with EINVAL.
     */
    public HandlerResult withTimespec(long address, TimespecUse use) {
        Timespec t = Timespec.read(mem(), address);
        if (t == null) {
            return fault();
        }
        return t.valid() ? use.apply(t.sec(), t.nsec()) : HandlerResult.errno(simterpose.bindings.Errno.EINVAL);
    }

    public boolean writeInt(long address, int value) {
        return write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    public boolean writeLongs(long address, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return write(address, b.array());
    }

    /** A kernel integer answer as a handler result: its value is the call's return value. */
    public HandlerResult answer(SysResult<Integer> r) {
        return answer(r, v -> HandlerResult.done(v));
    }

    /**
     * The one mapping from a kernel answer to a handler result: a Done value goes to
     * {@code done} (which writes out what the call returns through memory); an Errno fails the
     * call (raising SIGPIPE when the kernel asks); a Block waits on the kernel's signal with its
     * timeout, the progress it made kept in {@link #progress}.
     */
    public <T> HandlerResult answer(SysResult<T> r, java.util.function.Function<? super T, HandlerResult> done) {
        return switch (r) {
            case SysResult.Done<T>(T v) -> done.apply(v);
            case SysResult.Errno<T> e -> failed(e);
            case SysResult.Block<T> b -> {
                progress += b.progress();
                yield new HandlerResult.Block(b.on(), b.timeout(), b.timeoutErrno());
            }
        };
    }

    /** An errno answer; raises SIGPIPE on the thread when the kernel asks for it. */
    public HandlerResult failed(SysResult.Errno<?> e) {
        if (e.raiseSigpipe()) {
            thread.raiseSigpipe();
        }
        return HandlerResult.errno(e.errno());
    }

    /** No deadline armed yet: the call's first attempt. */
    private static final long UNARMED = Long.MIN_VALUE;
    /** Armed without a deadline: the call may wait forever. */
    private static final long NONE = Long.MAX_VALUE;
    /** The simulated date (ns) a waiting call gives up at, armed by its first attempt. */
    private long deadlineNanos = UNARMED;

    /** True once the call's first attempt armed its deadline (a later attempt only looks at it). */
    public boolean deadlineArmed() {
        return deadlineNanos != UNARMED;
    }

    /** Arms the deadline {@code seconds} from now (negative: none). */
    public void armTimeout(double seconds) {
        deadlineNanos = seconds < 0 ? NONE : Math.round((now() + seconds) * 1e9);
    }

    /** Arms the deadline at the simulated date {@code nanos}. */
    public void armDeadline(long nanos) {
        deadlineNanos = nanos;
    }

    /** The deadline armed, as a simulated date in nanoseconds (Long.MAX_VALUE: none). */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Seconds left to the deadline (at or below 0 once over), or -1 when there is none. */
    public double remaining() {
        return deadlineNanos == NONE ? -1 : deadlineNanos / 1e9 - now();
    }

    /**
     * True once the deadline has come. The seconds left may come out a hair below zero
     * (rounding), which means "over", not "no deadline".
     */
    public boolean deadlineOver() {
        return deadlineNanos != NONE && remaining() <= 1e-9;
    }


    public static HandlerResult fault() {
        return HandlerResult.errno(EFAULT);
    }
}
