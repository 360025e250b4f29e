package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.tinylog.Logger;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.bindings.linux.Linux;
import simterpose.tracer.events.StopEvent;

import static simterpose.tracer.Ptrace.*;

/**
 * Seccomp user notification: the syscalls of {@link TracerOptions#notified()} are answered on
 * the filter's listener fd (SECCOMP_IOCTL_NOTIF_RECV / SEND) without a ptrace stop. Owner thread
 * only, but for {@link #wake} and the stop watcher.
 *
 * <p><b>How the owner waits on both.</b> Once a listener exists, the owner no longer blocks in
 * waitpid but in {@code poll} over the listeners and one eventfd. A platform "stop watcher"
 * thread blocks in {@code waitid(P_ALL, WEXITED|WSTOPPED|WNOWAIT|__WALL)}: without
 * {@code __WNOTHREAD} a sibling thread sees the reports of the owner's tracees, and WNOWAIT
 * leaves them there. It rings the eventfd and waits until the owner has reaped what is ready with
 * {@code waitpid(WNOHANG|__WNOTHREAD)}, so the owner keeps every ptrace and waitpid call. A
 * report the owner cannot reap (a launch shell of {@link ShellSpawner}, a child of the JVM) makes
 * the watcher back off a little before it looks again. Requests ring the same eventfd. A ptrace
 * stop so costs one hand-off more than in the waitpid loop, which is kept whenever no listener
 * exists (trace, record, run without notified calls). SIGCHLD through a signalfd was not chosen:
 * the JVM's other threads do not block SIGCHLD, so one of them may take (and drop) the signal.
 *
 * <p><b>Signals.</b> Filters are installed with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: once the
 * owner has received a notification, only a fatal signal ends the thread's wait. Other signals
 * stay pending (visible in /proc, as while a thread is held at a ptrace stop) and are delivered
 * as the answered call returns, as a ptrace signal-delivery stop. So an answer may come long after
 * (a handler answering DEFERRED, a blocked call), from the pending notification itself. A signal
 * that comes before the owner received the notification ends the wait with ERESTARTSYS (the call
 * is restarted after the handler when SA_RESTART, else EINTR: the kernel's own user-notification
 * rule; the window is the few microseconds before the owner's RECV).
 */
final class Notifications {
    /** seccomp(2) flags: a listener fd is returned; after RECV only fatal signals end the wait (Linux 5.19). */
    static final long FILTER_FLAGS = Linux.SECCOMP_FILTER_FLAG_NEW_LISTENER() | (1L << 5) /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */;
    /**
     * struct seccomp_notif {u64 id; u32 pid; u32 flags; struct seccomp_data {int nr; u32 arch;
     * u64 instruction_pointer; u64 args[6];}} and struct seccomp_notif_resp {u64 id; s64 val;
     * s32 error; u32 flags}: offsets as constants (NotificationsTest checks them against the
     * jextract layouts, whose VarHandles would cost the start-up milliseconds, as in BpfProgram).
     */
    static final int NOTIF_BYTES = 80, NOTIF_ID = 0, NOTIF_PID = 8, NOTIF_NR = 16, NOTIF_ARGS = 32;
    static final int RESP_BYTES = 24, RESP_ID = 0, RESP_VAL = 8, RESP_ERROR = 16, RESP_FLAGS = 20;
    private static final long RECV = Linux.SECCOMP_IOCTL_NOTIF_RECV(), SEND = Linux.SECCOMP_IOCTL_NOTIF_SEND();
    private static final int FLAG_CONTINUE = (int) Linux.SECCOMP_USER_NOTIF_FLAG_CONTINUE();
    private static final int POLLIN = 1, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;
    private static final int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    private static final int P_ALL = 0, WEXITED = 4, WSTOPPED = 2;
    private static final long MAX_BACKOFF_NANOS = 2_000_000;

    private final Arena arena;
    private final TracedThreads threads;
    private final PtraceCalls calls;
    private StopDispatch dispatch;
    private final MemorySegment notif;
    private final MemorySegment resp;
    private final MemorySegment word;
    /** The eventfd increment, never written after construction (any thread writes it to the eventfd). */
    private final MemorySegment one;
    private MemorySegment pollfds;
    private final List<Integer> listeners = new ArrayList<>();
    private boolean pollSetChanged = true;
    private volatile int wakeFd = -1;

    // ---- shared with the stop watcher ----
    private Thread watcher;
    private volatile boolean closed;
    /** The watcher saw a report: the owner is to reap what is ready, then release {@link #reaped}. */
    private final AtomicBoolean stopReported = new AtomicBoolean();
    private final Semaphore reaped = new Semaphore(0);
    /** The owner's last drain found nothing to reap (the report was not its child's). */
    private volatile boolean drainFoundNothing;

    /** Notifications answered (a test's and a benchmark's count). */
    private volatile long answered;

    Notifications(Arena arena, TracedThreads threads, PtraceCalls calls) {
        this.arena = arena;
        this.threads = threads;
        this.calls = calls;
        one = arena.allocate(8, 8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        notif = arena.allocate(NOTIF_BYTES, 8);
        resp = arena.allocate(RESP_BYTES, 8);
        word = arena.allocate(8, 8);
    }

    void dispatchTo(StopDispatch d) {
        this.dispatch = d;
    }

    /**
     * A listener was taken: the owner polls instead of waiting in waitpid, from then on (the
     * watcher and the eventfd stay, even once every listener is gone).
     */
    boolean active() {
        return watcher != null;
    }

    long answered() {
        return answered;
    }

    /** Owner: the listener fd (this process's duplicate) of a filter just installed. */
    void add(int fd) {
        if (wakeFd < 0) {
            wakeFd = LibC.eventfd(EFD_CLOEXEC | EFD_NONBLOCK);
            watcher = Thread.ofPlatform().name("ptrace-stop-watcher").daemon(true).start(this::watch);
        }
        listeners.add(fd);
        pollSetChanged = true;
    }

    /** Any thread: ends the owner's poll (a request was posted, or a ptrace stop is ready). */
    void wake() {
        int fd = wakeFd;
        if (fd < 0) {
            return;
        }
        try {
            LibC.write(fd, one, 8);
        } catch (ErrnoException e) {
            // EAGAIN: the counter is already non-zero, the owner will wake
        }
    }

    /**
     * Owner: blocks until a ptrace stop is ready (then reaps them all through {@code drainStops},
     * which returns whether it reaped any), a notification came (answered here through the
     * dispatch), or {@link #wake} was called.
     */
    void pollOnce(BooleanSupplier drainStops) {
        if (dispatchStashed()) {
            return;
        }
        int n = 1 + listeners.size();
        ensurePollSet();
        for (int i = 0; i < n; i++) {
            pollfds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
        }
        try {
            LibC.poll(pollfds, n, -1);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINTR) {
                return;
            }
            throw e;
        }
        if (pollfds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
            try {
                LibC.read(wakeFd, word, 8);
            } catch (ErrnoException e) {
                // EAGAIN: already read
            }
        }
        if (stopReported.getAndSet(false)) {
            drainFoundNothing = !drainStops.getAsBoolean();
            reaped.release();
        }
        List<Integer> gone = null;
        long aside = receivedAside;
        for (int i = 1; i < n; i++) {
            int revents = pollfds.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
            int fd = pollfds.get(ValueLayout.JAVA_INT, 8L * i);
            if (receivedAside != aside) {
                break; // a handler looked for pending notifications: these revents are stale
            }
            if ((revents & POLLIN) != 0) {
                Received r = receive(fd);
                if (r != null) {
                    dispatch(r);
                }
            } else if ((revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
                // every thread that used the filter is gone
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(fd);
            }
        }
        if (gone != null) {
            for (int fd : gone) {
                listeners.remove(Integer.valueOf(fd));
                closeQuietly(fd);
            }
            pollSetChanged = true;
        }
    }

    /** A notification received but not dispatched yet (see {@link #pendingFor}). */
    private record Received(int fd, long id, int pid, long nr, long[] args, long now) {}

    private final java.util.ArrayDeque<Received> stash = new java.util.ArrayDeque<>();
    /**
     * RECVs made by {@link #pendingFor}: a poll's readiness is stale once it changed (a RECV on a
     * listener with nothing pending would block the owner).
     */
    private long receivedAside;

    /** Owner: dispatches the notifications {@link #pendingFor} received; false if there were none. */
    boolean dispatchStashed() {
        if (stash.isEmpty()) {
            return false;
        }
        for (Received r; (r = stash.poll()) != null; ) {
            dispatch(r);
        }
        return true;
    }

    /**
     * Owner: whether thread {@code tid} waits in a notification the owner has not dispatched yet
     * (/proc shows it sleeping, but it is not blocked: its call is on its way, as a ptrace stop
     * not collected yet is). Receives what the listeners hold, without dispatching it: the
     * owner's loop dispatches it before its next poll.
     */
    boolean pendingFor(int tid) {
        if (!active() || listeners.isEmpty()) {
            return false;
        }
        for (Received r : stash) {
            if (r.pid == tid) {
                return true;
            }
        }
        ensurePollSet();
        int n = listeners.size();
        MemorySegment fds = pollfds.asSlice(8);
        boolean found = false;
        for (int round = 0; round < 64; round++) {
            for (int i = 0; i < n; i++) {
                fds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            int ready;
            try {
                ready = LibC.poll(fds, n, 0);
            } catch (ErrnoException e) {
                break;
            }
            boolean any = false;
            for (int i = 0; i < n && ready > 0; i++) {
                if ((fds.get(ValueLayout.JAVA_SHORT, 8L * i + 6) & POLLIN) != 0) {
                    Received r = receive(fds.get(ValueLayout.JAVA_INT, 8L * i));
                    receivedAside++;
                    if (r != null) {
                        stash.add(r);
                        any = true;
                        found |= r.pid == tid;
                    }
                }
            }
            if (!any) {
                break;
            }
        }
        return found;
    }

    /** pollfds: the eventfd, then every listener (rebuilt when they change). */
    private void ensurePollSet() {
        if (!pollSetChanged) {
            return;
        }
        int n = 1 + listeners.size();
        if (pollfds == null || pollfds.byteSize() < 8L * n) {
            pollfds = arena.allocate(8L * Math.max(n, 8) * 2, 8); // grows rarely: a launch adds one listener
        }
        pollfds.set(ValueLayout.JAVA_INT, 0, wakeFd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
        for (int i = 1; i < n; i++) {
            pollfds.set(ValueLayout.JAVA_INT, 8L * i, listeners.get(i - 1));
            pollfds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) POLLIN);
        }
        pollSetChanged = false;
    }

    /** One notification from listener {@code fd}, or null if its thread left the wait before we took it. */
    private Received receive(int fd) {
        notif.fill((byte) 0); // RECV wants a zeroed struct
        int r = LibC.ioctlRaw(fd, RECV, notif);
        if (r < 0) {
            if (r == -Errno.ENOENT || r == -Errno.EINTR) {
                return null; // the thread left its wait (a signal) before we took it
            }
            throw new ErrnoException("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", -r);
        }
        long[] args = new long[6];
        for (int i = 0; i < 6; i++) {
            args[i] = notif.get(ValueLayout.JAVA_LONG, NOTIF_ARGS + 8L * i);
        }
        return new Received(fd, notif.get(ValueLayout.JAVA_LONG, NOTIF_ID), notif.get(ValueLayout.JAVA_INT, NOTIF_PID),
                notif.get(ValueLayout.JAVA_INT, NOTIF_NR), args, System.nanoTime());
    }

    /** One notification: its thread's SyscallEntry, dispatched like a seccomp stop. */
    private void dispatch(Received r) {
        Tid t = threads.get(r.pid);
        if (t == null || t.detachPending) {
            // not ours (any more): a detached process keeps the filter; the kernel runs the call
            send(r.fd, r.id, 0, 0, FLAG_CONTINUE);
            return;
        }
        dispatch.dispatchNotification(t, new StopEvent.SyscallEntry(r.pid, r.now, r.nr, r.args, true), r.fd, r.id, r.now);
    }

    /**
     * Owner: the verdict of a notified stop. An emulated result is the call's answer; without one
     * the kernel runs the call (FLAG_CONTINUE: no exit stop follows).
     */
    void answer(Tid t, Stop stop) {
        t.answeredRestartSys = false;
        if (stop.regsChanged()) {
            Logger.error("{}: a notified call's registers cannot be changed; it fails with ENOSYS", stop);
            send(stop.listenerFd, stop.notificationId, 0, -Errno.ENOSYS, 0);
        } else if (stop.emulatedOnly()) {
            long result = stop.emulatedResult();
            boolean error = result < 0 && result >= -4095;
            send(stop.listenerFd, stop.notificationId, error ? 0 : result, error ? (int) result : 0, 0);
            t.answeredRestartSys = result == -Errno.ERESTARTSYS;
        } else {
            send(stop.listenerFd, stop.notificationId, 0, 0, FLAG_CONTINUE);
        }
        answered = answered + 1; // owner thread only writes it
        if (t.detachPending) {
            calls.ptraceQuiet(INTERRUPT, t.tid, 0); // detached at its next stop
        }
    }

    private void send(int fd, long id, long val, int error, int flags) {
        resp.set(ValueLayout.JAVA_LONG, RESP_ID, id);
        resp.set(ValueLayout.JAVA_LONG, RESP_VAL, val);
        resp.set(ValueLayout.JAVA_INT, RESP_ERROR, error);
        resp.set(ValueLayout.JAVA_INT, RESP_FLAGS, flags);
        int r = LibC.ioctlRaw(fd, SEND, resp);
        if (r < 0 && r != -Errno.ENOENT) { // ENOENT: the thread is gone (killed) meanwhile
            Logger.warn("ioctl(SECCOMP_IOCTL_NOTIF_SEND) failed: {}", Errno.name(-r));
        }
    }

    /**
     * Owner, at a signal-delivery stop of a thread whose filter has a listener: a notified call
     * that the signal ended before the owner received it (the wait is interruptible until then)
     * shows orig_rax = its number and rax = -ERESTARTSYS. The call had not begun for the
     * simulation, so it must not fail with EINTR after a handler without SA_RESTART (Linux never
     * interrupts clock_gettime): ERESTARTNOINTR makes the kernel restart it whatever the handler
     * (and a new notification comes). An ERESTARTSYS the simulation itself answered is left alone.
     */
    void signalStop(Tid t, java.util.Set<Integer> notified) {
        if (t.answeredRestartSys) {
            t.answeredRestartSys = false;
            return;
        }
        try {
            long nr = calls.peekRegister(t.tid, Regs.ORIG_RAX);
            if (nr >= 0 && nr < Integer.MAX_VALUE && notified.contains((int) nr)
                    && calls.peekRegister(t.tid, Regs.RAX) == -Errno.ERESTARTSYS) {
                calls.pokeRegister(t.tid, Regs.RAX, -Errno.ERESTARTNOINTR);
            }
        } catch (ErrnoException e) {
            // ESRCH: it is dying
        }
    }

    /** Owner, at its end: closes the listeners (the watcher closes the eventfd as it leaves). */
    void close() {
        closed = true;
        for (int fd : listeners) {
            closeQuietly(fd);
        }
        listeners.clear();
        reaped.release();
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (ErrnoException ignored) {
            // already closed
        }
    }

    // ------------------------------------------------------------------ the stop watcher

    private void watch() {
        MemorySegment info = Arena.ofAuto().allocate(128, 8);
        long backoff = 0;
        while (!closed) {
            try {
                LibC.waitid(P_ALL, 0, info, WEXITED | WSTOPPED | WNOWAIT | WALL);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ECHILD) {
                    LockSupport.parkNanos(1_000_000); // no child at all for now
                }
                continue;
            }
            if (closed) {
                break;
            }
            stopReported.set(true);
            wake();
            reaped.acquireUninterruptibly();
            if (drainFoundNothing) {
                // a report of a child the owner does not reap: let its reaper take it
                backoff = Math.min(MAX_BACKOFF_NANOS, Math.max(50_000, backoff * 2));
                LockSupport.parkNanos(backoff);
            } else {
                backoff = 0;
            }
        }
        int fd = wakeFd;
        wakeFd = -1;
        closeQuietly(fd);
    }
}
