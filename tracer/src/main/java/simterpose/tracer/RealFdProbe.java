package simterpose.tracer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.bindings.linux.Linux;

/**
 * The real kernel's readiness of one tracee process's real fds (files, pipes, eventfds,
 * terminals, AF_UNIX pairs, a real epoll instance), asked from outside the tracee: the fd is
 * duplicated into the JVM ({@code pidfd_getfd}: the same open file description) and polled, or
 * epoll_wait-ed, with timeout 0.
 *
 * <p>The duplicate is closed at once and never cached: a kept duplicate of a pipe's write end
 * would hide end-of-file from its reader, one of a socket would keep the connection open. Only
 * the process's pidfd is kept, opened at first need and closed by {@link #close()} when the
 * process ends.
 *
 * <p>Threading: one probe is used by one thread at a time (the pidfd is opened lazily); the
 * calls themselves need no ptrace, so any thread may make them.
 */
public final class RealFdProbe implements AutoCloseable {
    private static final int POLLNVAL = 0x20, POLLIN = 0x1, O_NONBLOCK = Linux.O_NONBLOCK();
    /** struct pollfd: int fd; short events; short revents. */
    private static final long POLLFD_SIZE = 8, POLLFD_EVENTS = 4, POLLFD_REVENTS = 6;
    /** struct epoll_event is packed on x86_64: u32 events; u64 data. */
    private static final long EPOLL_EVENT_SIZE = 12;

    private final int tgid;
    private int pidfd = -1;

    /** A probe of process {@code tgid}'s fds; opens nothing yet. */
    public RealFdProbe(int tgid) {
        this.tgid = tgid;
    }

    /**
     * The real revents of {@code fds} (each polled for {@code events[i]}, as poll(2) filters
     * them); POLLNVAL for an fd that is not open in the process.
     */
    public short[] revents(int[] fds, short[] events) {
        short[] out = new short[fds.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(POLLFD_SIZE * fds.length);
            int[] dups = new int[fds.length];
            try {
                for (int i = 0; i < fds.length; i++) {
                    dups[i] = duplicate(fds[i]);
                    set.set(JAVA_INT, POLLFD_SIZE * i, dups[i]); // -1: poll ignores it
                    set.set(JAVA_SHORT, POLLFD_SIZE * i + POLLFD_EVENTS, events[i]);
                }
                LibC.poll(set, fds.length, 0);
                for (int i = 0; i < fds.length; i++) {
                    out[i] = dups[i] < 0 ? POLLNVAL : set.get(JAVA_SHORT, POLLFD_SIZE * i + POLLFD_REVENTS);
                }
            } finally {
                for (int d : dups) {
                    if (d >= 0) {
                        LibC.close(d);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The ready events of the real epoll instance {@code epfd} (its real fds' interest list),
     * up to {@code max}, as packed struct epoll_event bytes; consumes edge-triggered and
     * one-shot state exactly as the tracee's own epoll_wait would.
     */
    public byte[] epollEvents(int epfd, int max) {
        int dup = duplicate(epfd);
        if (dup < 0 || max <= 0) {
            return new byte[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EPOLL_EVENT_SIZE * max);
            int n = LibC.epollWait(dup, events, max, 0);
            return events.asSlice(0, EPOLL_EVENT_SIZE * n).toArray(JAVA_BYTE);
        } catch (ErrnoException e) {
            return new byte[0];
        } finally {
            LibC.close(dup);
        }
    }

    /**
     * True when a read of {@code fd} would return at once: it has bytes, end of file or an error
     * to report (poll's POLLIN, POLLHUP, POLLERR), it is not open (EBADF), or it is non-blocking
     * (O_NONBLOCK: EAGAIN).
     */
    public boolean readWouldNotWait(int fd) {
        int dup = duplicate(fd);
        if (dup < 0) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(POLLFD_SIZE);
            set.set(JAVA_INT, 0, dup);
            set.set(JAVA_SHORT, POLLFD_EVENTS, (short) POLLIN);
            LibC.poll(set, 1, 0);
            return set.get(JAVA_SHORT, POLLFD_REVENTS) != 0 || (LibC.fileStatusFlags(dup) & O_NONBLOCK) != 0;
        } finally {
            LibC.close(dup);
        }
    }

    /** True when the real epoll instance {@code epfd} has events to report. */
    public boolean epollReady(int epfd) {
        return revents(new int[] {epfd}, new short[] {POLLIN})[0] != 0;
    }

    /** Closes the process's pidfd (if opened); the probe may open it again. */
    @Override
    public void close() {
        if (pidfd >= 0) {
            LibC.close(pidfd);
            pidfd = -1;
        }
    }

    /** A JVM duplicate of the process's fd {@code fd}, or -1 when it is not open there. */
    private int duplicate(int fd) {
        if (fd < 0) {
            return -1;
        }
        if (pidfd < 0) {
            pidfd = LibC.pidfdOpen(tgid);
        }
        try {
            return LibC.pidfdGetfd(pidfd, fd);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EBADF || e.errno() == Errno.ESRCH) {
                return -1;
            }
            throw e;
        }
    }
}
