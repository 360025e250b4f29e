package simterpose.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The hand-written layer over libc for the calls whose errno matters. jextract's generated
 * downcalls (package {@code simterpose.bindings.linux}) do not capture errno, and errno read
 * after a downcall may already be overwritten by the JVM; these handles use
 * {@code Linker.Option.captureCallState("errno")} so the value is the call's own.
 *
 * <p>Each method returns the raw result on success and throws {@link ErrnoException} when
 * libc reports failure, except where noted ({@link #ptracePeek}, whose -1 may be data).
 * Thread rule: these functions are thread-agnostic, but the kernel accepts ptrace requests on a
 * tracee only from the thread that attached it; that rule is enforced in the tracer, not here.
 */
public final class LibC {
    private LibC() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** One capture buffer per thread: the owner thread calls ptrace at a high rate. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, options);
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    // long ptrace(enum __ptrace_request request, ...): pid, addr and data are variadic.
    private static final MethodHandle PTRACE = downcall("ptrace",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle WAITPID = downcall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = downcall("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle TGKILL = downcall("tgkill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PROCESS_VM_READV = downcall("process_vm_readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PROCESS_VM_WRITEV = downcall("process_vm_writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    // int prctl(int option, ...): the four further arguments are unsigned long.
    private static final MethodHandle PRCTL = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SCHED_SETAFFINITY = downcall("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = downcall("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle PERSONALITY = downcall("personality",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle SETPGID = downcall("setpgid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // long syscall(long number, ...): for pidfd_open/pidfd_getfd, which older glibc lacks.
    private static final MethodHandle SYSCALL2 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL3 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final long NR_PIDFD_OPEN = 434, NR_PIDFD_GETFD = 438;

    /** ptrace for every request but PEEK*: returns the result, throws on -1. */
    public static long ptrace(int request, int pid, long addr, long data) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) PTRACE.invokeExact(capture, request, pid, addr, data);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("ptrace(" + request + ", " + pid + ")", errno(capture));
        }
        return r;
    }

    /**
     * PTRACE_PEEKDATA/PEEKUSER: a word of -1 is valid data, so failure is told by errno only.
     * Throws when errno is set.
     */
    public static long ptracePeek(int request, int pid, long addr) {
        MemorySegment capture = CAPTURE.get();
        ERRNO_HANDLE.set(capture, 0L, 0);
        long r;
        try {
            r = (long) PTRACE.invokeExact(capture, request, pid, addr, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1 && errno(capture) != 0) {
            throw new ErrnoException("ptrace(PEEK " + request + ", " + pid + ")", errno(capture));
        }
        return r;
    }

    /**
     * waitpid; {@code status} is a 4-byte segment (or NULL). Returns the pid, 0 with WNOHANG and
     * nothing ready; throws on -1 (ECHILD when no child is left, EINTR on a signal).
     */
    public static int waitpid(int pid, MemorySegment status, int options) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) WAITPID.invokeExact(capture, pid, status, options);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("waitpid(" + pid + ")", errno(capture));
        }
        return r;
    }

    public static void kill(int pid, int signal) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) KILL.invokeExact(capture, pid, signal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("kill(" + pid + ", " + signal + ")", errno(capture));
        }
    }

    private static final long NR_RT_TGSIGQUEUEINFO = 297;
    private static final MethodHandle SYSCALL4 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    /**
     * Queues signal {@code signal} for thread {@code tid} of {@code tgid} with the given
     * 128-byte siginfo (rt_tgsigqueueinfo(2): another process accepts only a negative si_code,
     * such as SI_TIMER). No glibc wrapper exists, hence syscall(2).
     */
    public static void rtTgsigqueueinfo(int tgid, int tid, int signal, MemorySegment siginfo) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) SYSCALL4.invokeExact(capture, NR_RT_TGSIGQUEUEINFO, (long) tgid, (long) tid, (long) signal,
                    siginfo.address());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("rt_tgsigqueueinfo(" + tgid + ", " + tid + ", " + signal + ")", errno(capture));
        }
    }

    private static final long NR_RT_SIGQUEUEINFO = 129;

    /** Queues signal {@code signal} for process {@code tgid} with the given siginfo (rt_sigqueueinfo(2)). */
    public static void rtSigqueueinfo(int tgid, int signal, MemorySegment siginfo) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) SYSCALL3.invokeExact(capture, NR_RT_SIGQUEUEINFO, (long) tgid, (long) signal, siginfo.address());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("rt_sigqueueinfo(" + tgid + ", " + signal + ")", errno(capture));
        }
    }

    public static void tgkill(int tgid, int tid, int signal) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) TGKILL.invokeExact(capture, tgid, tid, signal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("tgkill(" + tgid + ", " + tid + ", " + signal + ")", errno(capture));
        }
    }

    /** process_vm_readv; returns bytes read (may be short at an unmapped page). */
    public static long processVmReadv(int pid, MemorySegment localIov, long liovcnt,
                                      MemorySegment remoteIov, long riovcnt) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) PROCESS_VM_READV.invokeExact(capture, pid, localIov, liovcnt, remoteIov, riovcnt, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("process_vm_readv(" + pid + ")", errno(capture));
        }
        return r;
    }

    /** process_vm_writev; returns bytes written (may be short at an unmapped page). */
    public static long processVmWritev(int pid, MemorySegment localIov, long liovcnt,
                                       MemorySegment remoteIov, long riovcnt) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) PROCESS_VM_WRITEV.invokeExact(capture, pid, localIov, liovcnt, remoteIov, riovcnt, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("process_vm_writev(" + pid + ")", errno(capture));
        }
        return r;
    }

    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) PRCTL.invokeExact(capture, option, arg2, arg3, arg4, arg5);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("prctl(" + option + ")", errno(capture));
        }
        return r;
    }

    /** sched_setaffinity(pid, size, mask): pid 0 is the calling thread. */
    public static void schedSetaffinity(int pid, long size, MemorySegment mask) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) SCHED_SETAFFINITY.invokeExact(capture, pid, size, mask);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("sched_setaffinity(" + pid + ")", errno(capture));
        }
    }

    public static void schedGetaffinity(int pid, long size, MemorySegment mask) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) SCHED_GETAFFINITY.invokeExact(capture, pid, size, mask);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("sched_getaffinity(" + pid + ")", errno(capture));
        }
    }

    /** personality(persona); 0xffffffff queries. Returns the previous persona. */
    public static int personality(long persona) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) PERSONALITY.invokeExact(capture, persona);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("personality", errno(capture));
        }
        return r;
    }

    public static void setpgid(int pid, int pgid) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) SETPGID.invokeExact(capture, pid, pgid);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("setpgid(" + pid + ", " + pgid + ")", errno(capture));
        }
    }

    /** pidfd_open(pid, 0): a file descriptor referring to process {@code pid} (O_CLOEXEC). */
    public static int pidfdOpen(int pid) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) SYSCALL2.invokeExact(capture, NR_PIDFD_OPEN, (long) pid, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("pidfd_open(" + pid + ")", errno(capture));
        }
        return (int) r;
    }

    /**
     * pidfd_getfd(pidfd, fd, 0): a duplicate, in this process, of file descriptor {@code fd} of
     * the process {@code pidfd} refers to (same open file description; O_CLOEXEC). EBADF when
     * {@code fd} is not open there, EPERM without ptrace rights on it.
     */
    public static int pidfdGetfd(int pidfd, int fd) {
        MemorySegment capture = CAPTURE.get();
        long r;
        try {
            r = (long) SYSCALL3.invokeExact(capture, NR_PIDFD_GETFD, (long) pidfd, (long) fd, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("pidfd_getfd(" + pidfd + ", " + fd + ")", errno(capture));
        }
        return (int) r;
    }

    /** poll(fds, n, timeoutMs) over an array of struct pollfd; returns the number of fds with revents. */
    public static int poll(MemorySegment fds, long n, int timeoutMs) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) POLL.invokeExact(capture, fds, n, timeoutMs);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("poll", errno(capture));
        }
        return r;
    }

    /** epoll_wait(epfd, events, max, timeoutMs) into packed struct epoll_event (12 bytes each). */
    public static int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) EPOLL_WAIT.invokeExact(capture, epfd, events, max, timeoutMs);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("epoll_wait(" + epfd + ")", errno(capture));
        }
        return r;
    }

    public static void close(int fd) {
        MemorySegment capture = CAPTURE.get();
        int r;
        try {
            r = (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r == -1) {
            throw new ErrnoException("close(" + fd + ")", errno(capture));
        }
    }
}
