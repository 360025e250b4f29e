package simterpose.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The hand-written layer over libc for the calls whose errno matters. jextract's generated
 * downcalls (package {@code simterpose.bindings.linux}) do not capture errno, and errno read
 * after a downcall may already be overwritten by the JVM; here errno is captured with
 * {@code Linker.Option.captureCallState("errno")} so the value is the call's own.
 *
 * <p>Every function is one raw system call through a single downcall handle to libc's
 * {@code syscall(2)}: linking a handle costs the JVM about 3 ms of generated code at start-up
 * (each shape its own), and the tracer runs before anything else, so one handle instead of
 * twenty took that much off every start. The x86_64 numbers are the kernel's ABI.
 *
 * <p>Each method returns the raw result on success and throws {@link ErrnoException} when the
 * call fails. Thread rule: these functions are thread-agnostic, but the kernel accepts ptrace
 * requests on a tracee only from the thread that attached it; that rule is enforced in the
 * tracer, not here.
 */
public final class LibC {
    private LibC() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    /** Where errno is in the capture buffer: an offset, not a VarHandle (whose adapters cost a start several ms). */
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    /** Where in a thread's capture buffer the PEEK word goes (after errno, 8-aligned). */
    private static final long PEEK_WORD = (CAPTURE_LAYOUT.byteSize() + 7) & ~7L;
    /** One capture buffer (and one word for ptrace's PEEK results) per thread: the owner thread calls ptrace at a high rate. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(PEEK_WORD + 8, 8));

    /** A thread and its capture buffer: the last thread that asked keeps it without a ThreadLocal lookup. */
    private record LastCapture(Thread thread, MemorySegment buffer) {}

    /**
     * The last thread's buffer, replaced when another thread calls: the owner thread makes
     * almost every call, and a ThreadLocal lookup costs a VM call per syscall in C1-compiled code
     * (Reference.refersTo0, not an intrinsic there).
     */
    private static volatile LastCapture last;

    private static MemorySegment capture() {
        Thread me = Thread.currentThread();
        LastCapture l = last;
        if (l != null && l.thread == me) {
            return l.buffer;
        }
        MemorySegment buffer = CAPTURE.get();
        last = new LastCapture(me, buffer);
        return buffer;
    }

    /**
     * The process's one downcall handle: {@code long f(long, ...)} with six further long
     * arguments, errno captured, called with the function's address. Here f is libc's
     * {@code syscall(2)} (unused arguments are ignored by the kernel); {@link CCall} calls other
     * libc functions of at most six integer or pointer arguments through the same handle (as
     * variadic arguments, integers travel in the same registers), so that a start links one
     * handle, not two (each is generated code: about 10 ms of a start).
     */
    private static final MethodHandle CALL_ADDRESS = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private static final MemorySegment SYSCALL = LINKER.defaultLookup().findOrThrow("syscall");

    /** libc's {@code function(a1, ..., a6)} through the one handle, its result as is (errno not read): see {@link CCall}. */
    static long callFunction(MemorySegment function, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) CALL_ADDRESS.invokeExact(function, capture(), a1, a2, a3, a4, a5, a6, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final long NR_READ = 0, NR_WRITE = 1, NR_IOCTL = 16, NR_OPENAT = 257, NR_SETNS = 308, NR_SCHED_SETSCHEDULER = 144;
    private static final long NR_CLOSE = 3, NR_POLL = 7, NR_KILL = 62, NR_WAIT4 = 61, NR_SETPGID = 109,
            NR_RT_SIGQUEUEINFO = 129, NR_PERSONALITY = 135, NR_PRCTL = 157, NR_PTRACE = 101,
            NR_SETPRIORITY = 141, NR_SCHED_SETAFFINITY = 203, NR_SCHED_GETAFFINITY = 204, NR_EPOLL_WAIT = 232, NR_TGKILL = 234,
            NR_RT_TGSIGQUEUEINFO = 297, NR_PROCESS_VM_READV = 310, NR_PROCESS_VM_WRITEV = 311,
            NR_PIDFD_OPEN = 434, NR_PIDFD_GETFD = 438, NR_WAITID = 247, NR_EVENTFD2 = 290,
            NR_UNSHARE = 272, NR_MOUNT = 165, NR_FCHDIR = 81, NR_FLOCK = 73,
            NR_CONNECT = 42, NR_BIND = 49, NR_LISTEN = 50, NR_GETSOCKNAME = 51, NR_GETPEERNAME = 52,
            NR_SETSOCKOPT = 54, NR_MMAP = 9, NR_MUNMAP = 11, NR_MADVISE = 28, NR_FCNTL = 72;
    private static final int F_GETFL = 3;
    /** A transparent huge page's size on x86_64. */
    public static final long HUGE_PAGE = 2L << 20;

    /** PTRACE_PEEKTEXT, PEEKDATA and PEEKUSER: the raw call stores the word at {@code data}. */
    private static final int PEEK_FIRST = 1, PEEK_LAST = 3;

    /**
     * Does nothing but make sure the downcall above is linked (class initialization): a
     * start-up may call it from a spare thread ahead of the first real call.
     */
    public static void link() {}

    /** The call's result, or -errno when it failed (the kernel's own convention). */
    private static long call(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment capture = capture();
        long r;
        try {
            r = (long) CALL_ADDRESS.invokeExact(SYSCALL, capture, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return r == -1 ? -capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : r;
    }

    private static long check(long r, String what) {
        if (r < 0) {
            throw new ErrnoException(what, (int) -r);
        }
        return r;
    }

    /** ptrace for every request but PEEK*: returns the result, throws on failure. */
    public static long ptrace(int request, int pid, long addr, long data) {
        long r = call(NR_PTRACE, request, pid, addr, data, 0, 0);
        return r < 0 ? check(r, "ptrace(" + request + ", " + pid + ")") : r;
    }

    /** PTRACE_PEEKTEXT/PEEKDATA/PEEKUSER: the word at {@code addr} (any value, -1 included). */
    public static long ptracePeek(int request, int pid, long addr) {
        if (request < PEEK_FIRST || request > PEEK_LAST) {
            throw new IllegalArgumentException("not a PEEK request: " + request);
        }
        MemorySegment word = capture().asSlice(PEEK_WORD, 8);
        check(call(NR_PTRACE, request, pid, addr, word.address(), 0, 0), "ptrace(PEEK " + request + ", " + pid + ")");
        return word.get(JAVA_LONG, 0);
    }

    /**
     * waitpid; {@code status} is a 4-byte segment (or NULL). Returns the pid, 0 with WNOHANG and
     * nothing ready; throws on failure (ECHILD when no child is left, EINTR on a signal).
     */
    public static int waitpid(int pid, MemorySegment status, int options) {
        long r = call(NR_WAIT4, pid, status.address(), options, 0, 0, 0);
        return (int) (r < 0 ? check(r, "waitpid(" + pid + ")") : r);
    }

    /**
     * waitid(idType, id, info, options) without rusage; {@code info} is a 128-byte siginfo_t,
     * whose si_signo is SIGCHLD when a child was reported and 0 when WNOHANG found none.
     * Throws on failure (ECHILD when no such child or tracee).
     */
    public static void waitid(int idType, int id, MemorySegment info, int options) {
        check(call(NR_WAITID, idType, id, info.address(), options, 0, 0), "waitid(" + idType + ", " + id + ")");
    }

    public static void kill(int pid, int signal) {
        check(call(NR_KILL, pid, signal, 0, 0, 0, 0), "kill(" + pid + ", " + signal + ")");
    }

    /**
     * Queues signal {@code signal} for thread {@code tid} of {@code tgid} with the given
     * 128-byte siginfo (rt_tgsigqueueinfo(2): another process accepts only a negative si_code,
     * such as SI_TIMER).
     */
    public static void rtTgsigqueueinfo(int tgid, int tid, int signal, MemorySegment siginfo) {
        check(call(NR_RT_TGSIGQUEUEINFO, tgid, tid, signal, siginfo.address(), 0, 0),
                "rt_tgsigqueueinfo(" + tgid + ", " + tid + ", " + signal + ")");
    }

    /** Queues signal {@code signal} for process {@code tgid} with the given siginfo (rt_sigqueueinfo(2)). */
    public static void rtSigqueueinfo(int tgid, int signal, MemorySegment siginfo) {
        check(call(NR_RT_SIGQUEUEINFO, tgid, signal, siginfo.address(), 0, 0, 0),
                "rt_sigqueueinfo(" + tgid + ", " + signal + ")");
    }

    public static void tgkill(int tgid, int tid, int signal) {
        check(call(NR_TGKILL, tgid, tid, signal, 0, 0, 0), "tgkill(" + tgid + ", " + tid + ", " + signal + ")");
    }

    /** process_vm_readv; returns bytes read (may be short at an unmapped page). */
    public static long processVmReadv(int pid, MemorySegment localIov, long liovcnt,
                                      MemorySegment remoteIov, long riovcnt) {
        long r = call(NR_PROCESS_VM_READV, pid, localIov.address(), liovcnt, remoteIov.address(), riovcnt, 0);
        return r < 0 ? check(r, "process_vm_readv(" + pid + ")") : r;
    }

    /** process_vm_writev; returns bytes written (may be short at an unmapped page). */
    public static long processVmWritev(int pid, MemorySegment localIov, long liovcnt,
                                       MemorySegment remoteIov, long riovcnt) {
        long r = call(NR_PROCESS_VM_WRITEV, pid, localIov.address(), liovcnt, remoteIov.address(), riovcnt, 0);
        return r < 0 ? check(r, "process_vm_writev(" + pid + ")") : r;
    }

    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return (int) check(call(NR_PRCTL, option, arg2, arg3, arg4, arg5, 0), "prctl(" + option + ")");
    }

    /** sched_setaffinity(pid, size, mask): pid 0 is the calling thread. */
    public static void schedSetaffinity(int pid, long size, MemorySegment mask) {
        check(call(NR_SCHED_SETAFFINITY, pid, size, mask.address(), 0, 0, 0), "sched_setaffinity(" + pid + ")");
    }

    /**
     * setpriority(PRIO_PROCESS, 0, nice): on Linux the nice value of the calling thread only
     * (not its process); raising it needs no privilege.
     */
    public static void niceThisThread(int nice) {
        check(call(NR_SETPRIORITY, 0, 0, nice, 0, 0, 0), "setpriority(PRIO_PROCESS, 0, " + nice + ")");
    }

    /**
     * {@code size} bytes (a multiple of {@link #HUGE_PAGE}) of new anonymous memory, aligned on a
     * huge page and advised {@code MADV_HUGEPAGE} before anything touches it, so that the kernel
     * backs it with transparent huge pages where it allows them ({@code enabled} = madvise or
     * always; elsewhere it stays in small pages, as any memory). Zeroed; unmapped when
     * {@code arena} closes.
     */
    public static MemorySegment hugePageMemory(long size, Arena arena) {
        if (size <= 0 || size % HUGE_PAGE != 0) {
            throw new IllegalArgumentException(size + " bytes: not a multiple of a huge page");
        }
        long mapped = size + HUGE_PAGE; // room to align
        long base = check(call(NR_MMAP, 0, mapped, 3 /* PROT_READ | PROT_WRITE */, 0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */,
                -1, 0), "mmap(" + mapped + ")");
        long aligned = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
        call(NR_MADVISE, aligned, size, 14 /* MADV_HUGEPAGE */, 0, 0, 0); // refused (EINVAL) without THP: small pages then
        return MemorySegment.ofAddress(aligned).reinterpret(size, arena, m -> call(NR_MUNMAP, base, mapped, 0, 0, 0, 0));
    }

    /** sched_getaffinity(pid, size, mask): fills the start of {@code mask} (the kernel's set size). */
    public static void schedGetaffinity(int pid, long size, MemorySegment mask) {
        check(call(NR_SCHED_GETAFFINITY, pid, size, mask.address(), 0, 0, 0), "sched_getaffinity(" + pid + ")");
    }

    /** personality(persona); 0xffffffff queries. Returns the previous persona. */
    public static int personality(long persona) {
        return (int) check(call(NR_PERSONALITY, persona, 0, 0, 0, 0, 0), "personality");
    }

    public static void setpgid(int pid, int pgid) {
        check(call(NR_SETPGID, pid, pgid, 0, 0, 0, 0), "setpgid(" + pid + ", " + pgid + ")");
    }

    /** pidfd_open(pid, 0): a file descriptor referring to process {@code pid} (O_CLOEXEC). */
    public static int pidfdOpen(int pid) {
        return (int) check(call(NR_PIDFD_OPEN, pid, 0, 0, 0, 0, 0), "pidfd_open(" + pid + ")");
    }

    /**
     * pidfd_getfd(pidfd, fd, 0): a duplicate, in this process, of file descriptor {@code fd} of
     * the process {@code pidfd} refers to (same open file description; O_CLOEXEC). EBADF when
     * {@code fd} is not open there, EPERM without ptrace rights on it.
     */
    public static int pidfdGetfd(int pidfd, int fd) {
        return (int) check(call(NR_PIDFD_GETFD, pidfd, fd, 0, 0, 0, 0), "pidfd_getfd(" + pidfd + ", " + fd + ")");
    }

    /** eventfd2(0, flags): a new eventfd counter (flags: EFD_CLOEXEC 0x80000, EFD_NONBLOCK 0x800). */
    public static int eventfd(int flags) {
        return (int) check(call(NR_EVENTFD2, 0, flags, 0, 0, 0, 0), "eventfd2");
    }

    /**
     * ioctl(fd, request, arg) with a pointer argument: the call's result, or -errno (no
     * exception: a seccomp notification answered after its thread went away fails with ENOENT,
     * an expected outcome on the owner's hot path).
     */
    public static int ioctlRaw(int fd, long request, MemorySegment arg) {
        return (int) call(NR_IOCTL, fd, request, arg.address(), 0, 0, 0);
    }

    /** fcntl(fd, F_GETFL): the open file description's status flags (O_NONBLOCK...). */
    public static int fileStatusFlags(int fd) {
        return (int) check(call(NR_FCNTL, fd, F_GETFL, 0, 0, 0, 0), "fcntl(" + fd + ", F_GETFL)");
    }

    /** bind(fd, addr, len) of the sockaddr in {@code addr}: throws on failure. */
    public static void bind(int fd, MemorySegment addr, int len) {
        check(call(NR_BIND, fd, addr.address(), len, 0, 0, 0), "bind(" + fd + ")");
    }

    /** listen(fd, backlog): throws on failure. */
    public static void listen(int fd, int backlog) {
        check(call(NR_LISTEN, fd, backlog, 0, 0, 0, 0), "listen(" + fd + ")");
    }

    /** connect(fd, addr, len): 0, or -errno (EINPROGRESS, EAGAIN... are the caller's to judge). */
    public static long connect(int fd, MemorySegment addr, int len) {
        return call(NR_CONNECT, fd, addr.address(), len, 0, 0, 0);
    }

    /** getsockname(fd) into {@code addr} ({@code lenp} holds its size, then the name's): throws on failure. */
    public static void getsockname(int fd, MemorySegment addr, MemorySegment lenp) {
        check(call(NR_GETSOCKNAME, fd, addr.address(), lenp.address(), 0, 0, 0), "getsockname(" + fd + ")");
    }

    /** getpeername(fd), as {@link #getsockname}. */
    public static void getpeername(int fd, MemorySegment addr, MemorySegment lenp) {
        check(call(NR_GETPEERNAME, fd, addr.address(), lenp.address(), 0, 0, 0), "getpeername(" + fd + ")");
    }

    /** setsockopt(fd, level, name, &value, 4) of an int option: throws on failure. */
    public static void setsockoptInt(int fd, int level, int name, MemorySegment value) {
        check(call(NR_SETSOCKOPT, fd, level, name, value.address(), 4, 0), "setsockopt(" + fd + ", " + name + ")");
    }

    /** poll(fds, n, timeoutMs) over an array of struct pollfd; returns the number of fds with revents. */
    public static int poll(MemorySegment fds, long n, int timeoutMs) {
        return (int) check(call(NR_POLL, fds.address(), n, timeoutMs, 0, 0, 0), "poll");
    }

    /** epoll_wait(epfd, events, max, timeoutMs) into packed struct epoll_event (12 bytes each). */
    public static int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        return (int) check(call(NR_EPOLL_WAIT, epfd, events.address(), max, timeoutMs, 0, 0), "epoll_wait(" + epfd + ")");
    }

    public static void close(int fd) {
        check(call(NR_CLOSE, fd, 0, 0, 0, 0, 0), "close(" + fd + ")");
    }

    /** read(fd, buf, count): bytes read (0 at end of file). */
    public static int read(int fd, MemorySegment buf, long count) {
        return (int) check(call(NR_READ, fd, buf.address(), Math.min(count, buf.byteSize()), 0, 0, 0), "read(" + fd + ")");
    }

    /** write(fd, buf, count): bytes written. */
    public static int write(int fd, MemorySegment buf, long count) {
        return (int) check(call(NR_WRITE, fd, buf.address(), Math.min(count, buf.byteSize()), 0, 0, 0), "write(" + fd + ")");
    }

    /** openat(AT_FDCWD, path, flags, mode) of a NUL-terminated path: the new fd. */
    public static int open(MemorySegment path, int flags, int mode) {
        return (int) check(call(NR_OPENAT, -100 /* AT_FDCWD */, path.address(), flags, mode, 0, 0),
                "open(" + path.getString(0) + ")");
    }

    /** flock(fd, operation): LOCK_SH 1, LOCK_EX 2, LOCK_UN 8 (| LOCK_NB 4); waits unless LOCK_NB. */
    public static void flock(int fd, int operation) {
        check(call(NR_FLOCK, fd, operation, 0, 0, 0, 0), "flock(" + fd + ", " + operation + ")");
    }

    /** ioctl(fd, request, arg) with a pointer argument: the call's result. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        return (int) check(call(NR_IOCTL, fd, request, arg.address(), 0, 0, 0), "ioctl(" + fd + ", 0x" + Long.toHexString(request) + ")");
    }

    /**
     * setns(fd, nstype): moves the calling thread into the namespace {@code fd} refers to. For a
     * network namespace only this thread moves (the rest of the JVM stays where it was), and a
     * process it spawns is born there.
     */
    public static void setns(int fd, int nstype) {
        check(call(NR_SETNS, fd, nstype, 0, 0, 0, 0), "setns(" + fd + ", 0x" + Integer.toHexString(nstype) + ")");
    }

    /**
     * unshare(flags): the calling thread leaves the namespaces (or the shared attributes, such as
     * CLONE_FS) {@code flags} names. CLONE_NEWPID moves only the thread's future children.
     */
    public static void unshare(long flags) {
        check(call(NR_UNSHARE, flags, 0, 0, 0, 0, 0), "unshare(0x" + Long.toHexString(flags) + ")");
    }

    /**
     * mount(source, target, type, flags, NULL) with NUL-terminated strings; a NULL segment for
     * source or type (e.g. to change a mount's propagation).
     */
    public static void mount(MemorySegment source, MemorySegment target, MemorySegment type, long flags) {
        check(call(NR_MOUNT, source.address(), target.address(), type.address(), flags, 0, 0),
                "mount(" + target.getString(0) + ")");
    }

    /** fchdir(fd): the calling thread's working directory becomes the directory {@code fd}. */
    public static void fchdir(int fd) {
        check(call(NR_FCHDIR, fd, 0, 0, 0, 0, 0), "fchdir(" + fd + ")");
    }

    /** openat(dirfd, path, flags, 0) of a NUL-terminated path relative to directory {@code dirfd}. */
    public static int openat(int dirfd, MemorySegment path, int flags) {
        return (int) check(call(NR_OPENAT, dirfd, path.address(), flags, 0, 0, 0), "openat(" + path.getString(0) + ")");
    }

    /**
     * sched_setscheduler(pid, policy, &amp;{priority}): pid 0 is the calling thread. SCHED_FIFO (1)
     * needs CAP_SYS_NICE.
     */
    public static void schedSetscheduler(int pid, int policy, int priority) {
        MemorySegment param = capture().asSlice(PEEK_WORD, 8);
        param.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, priority);
        check(call(NR_SCHED_SETSCHEDULER, pid, policy, param.address(), 0, 0, 0), "sched_setscheduler(" + pid + ")");
    }
}
