package simterpose.simulator.mediation.handlers;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.simulator.mediation.tracee.ProcessState;

/**
 * The real kernel's side of a readiness wait that mixes virtual sockets with real fds (files,
 * pipes, eventfds, terminals, AF_UNIX pairs, a real epoll instance).
 *
 * <p><b>Readiness.</b> A real fd's readiness is the real kernel's: the tracee's fd is duplicated
 * into the JVM ({@code pidfd_getfd}: same open file description) and polled with timeout 0.
 * The duplicate is closed at once and never cached: a kept duplicate of a pipe's write end
 * would hide end-of-file from its reader, one of a socket would keep the connection open. Only
 * the process's pidfd is kept ({@link ProcessState#pidfd}).
 *
 * <p><b>Waiting.</b> When nothing is ready, the call blocks on its virtual files' wait queues
 * plus a probe of its real fds ({@code IdleProbes}): real fds change only when some tracee runs,
 * so the probe runs whenever the engine is idle, before the clock moves.
 *
 * <p>Threading: any thread (the JVM side of the calls is stateless).
 */
final class RealFds {
    private static final int POLLNVAL = 0x20;

    private RealFds() {}

    /**
     * The real revents of {@code fds} (each polled for {@code events[i]}, as poll(2) filters
     * them); POLLNVAL for an fd that is not open in the process.
     */
    static short[] revents(ProcessState p, int[] fds, short[] events) {
        short[] out = new short[fds.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(8L * fds.length);
            int[] dups = new int[fds.length];
            try {
                for (int i = 0; i < fds.length; i++) {
                    dups[i] = duplicate(p, fds[i]);
                    set.set(JAVA_INT, 8L * i, dups[i]); // -1: poll ignores it
                    set.set(JAVA_SHORT, 8L * i + 4, events[i]);
                }
                LibC.poll(set, fds.length, 0);
                for (int i = 0; i < fds.length; i++) {
                    out[i] = dups[i] < 0 ? POLLNVAL : set.get(JAVA_SHORT, 8L * i + 6);
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
    static byte[] epollEvents(ProcessState p, int epfd, int max) {
        int dup = duplicate(p, epfd);
        if (dup < 0 || max <= 0) {
            return new byte[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(12L * max);
            int n = LibC.epollWait(dup, events, max, 0);
            return events.asSlice(0, 12L * n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (ErrnoException e) {
            return new byte[0];
        } finally {
            LibC.close(dup);
        }
    }

    /** True when the real epoll instance {@code epfd} has events to report. */
    static boolean epollReady(ProcessState p, int epfd) {
        return revents(p, new int[] {epfd}, new short[] {0x1})[0] != 0; // POLLIN
    }

    /** A JVM duplicate of the process's fd {@code fd}, or -1 when it is not open there. */
    private static int duplicate(ProcessState p, int fd) {
        if (fd < 0) {
            return -1;
        }
        try {
            return LibC.pidfdGetfd(p.pidfd(), fd);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EBADF || e.errno() == Errno.ESRCH) {
                return -1;
            }
            throw e;
        }
    }
}
