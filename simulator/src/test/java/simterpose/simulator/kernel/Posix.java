package simterpose.simulator.kernel;

import java.util.function.Supplier;
import simterpose.simulator.engine.Actor;

/**
 * What libc does for a simulated program in these tests: it calls the kernel, waits in
 * simulated time when told to Block, and retries, the way the mediation layer will for a real
 * tracee. Return values follow the syscall convention: ≥ 0 or -errno. Fds are numbered from 3
 * upward, as a tracee's placeholders would be.
 */
final class Posix {
    final Kernel kernel;
    final VirtualProcess proc;
    final Actor self;
    private int nextFd = 3;
    /** Set when the last call asked for SIGPIPE. */
    boolean sigpipe;

    Posix(Kernel kernel, VirtualProcess proc, Actor self) {
        this.kernel = kernel;
        this.proc = proc;
        this.self = self;
    }

    SocketCalls calls() {
        return kernel.sockets();
    }

    /** Runs {@code op} until it is done or fails, waiting where it blocks. */
    <T> SysResult<T> call(Supplier<SysResult<T>> op) {
        while (true) {
            SysResult<T> r = op.get();
            if (!(r instanceof SysResult.Block<T> b)) {
                return r;
            }
            if (!self.waitFor(b.on(), b.timeout())) {
                return SysResult.errno(b.timeoutErrno());
            }
        }
    }

    private int intResult(SysResult<Integer> r) {
        sigpipe = false;
        return switch (r) {
            case SysResult.Done<Integer>(Integer v) -> v;
            case SysResult.Errno<Integer> e -> {
                sigpipe = e.raiseSigpipe();
                yield -e.errno();
            }
            case SysResult.Block<Integer> b -> throw new IllegalStateException("unexpected block");
        };
    }

    int socket(int type) {
        SysResult<SocketCalls.NewFile> r = calls().socket(proc, LinuxNet.AF_INET, type, 0);
        if (r instanceof SysResult.Errno<SocketCalls.NewFile> e) {
            return -e.errno();
        }
        int fd = nextFd++;
        proc.fds().install(fd, r.value().file(), r.value().cloexec());
        return fd;
    }

    int socket() {
        return socket(LinuxNet.SOCK_STREAM);
    }

    int bind(int fd, SockAddr a) {
        return intResult(calls().bind(proc, fd, a));
    }

    int listen(int fd, int backlog) {
        return intResult(calls().listen(proc, fd, backlog));
    }

    /** A listening socket on {@code port} (any address). */
    int server(int port) {
        int fd = socket();
        check(setInt(fd, LinuxNet.SOL_SOCKET, LinuxNet.SO_REUSEADDR, 1));
        check(bind(fd, new SockAddr(SockAddr.ANY, port)));
        check(listen(fd, 16));
        return fd;
    }

    int accept(int fd) {
        return accept(fd, 0);
    }

    int accept(int fd, int flags) {
        SysResult<SocketCalls.Accepted> r = call(() -> calls().accept(proc, fd, flags));
        if (r instanceof SysResult.Errno<SocketCalls.Accepted> e) {
            return -e.errno();
        }
        int nfd = nextFd++;
        proc.fds().install(nfd, r.value().file(), r.value().cloexec());
        return nfd;
    }

    int connect(int fd, SockAddr a) {
        return intResult(call(() -> calls().connect(proc, fd, a)));
    }

    /** A connected socket to {@code a}. */
    int client(SockAddr a) {
        int fd = socket();
        check(connect(fd, a));
        return fd;
    }

    /** write(2) as a blocking socket does it: every byte, waiting for send-buffer space. */
    int write(int fd, byte[] data, int flags) {
        int total = 0;
        while (true) {
            SysResult<Integer> r = calls().send(proc, fd, data, total, data.length - total, flags);
            if (r instanceof SysResult.Block<Integer> b) {
                total += (int) b.progress();
                if (!self.waitFor(b.on(), b.timeout())) {
                    return total > 0 ? total : -b.timeoutErrno();
                }
                continue;
            }
            int n = intResult(r);
            return n < 0 ? (total > 0 ? total : n) : total + n;
        }
    }

    int write(int fd, byte[] data) {
        return write(fd, data, 0);
    }

    /** read/recv: the bytes, or null with {@link #lastErrno} set. */
    byte[] read(int fd, int len, int flags) {
        SysResult<byte[]> r = call(() -> calls().recv(proc, fd, len, flags));
        if (r instanceof SysResult.Errno<byte[]> e) {
            lastErrno = e.errno();
            return null;
        }
        lastErrno = 0;
        return r.value();
    }

    int lastErrno;

    byte[] read(int fd, int len) {
        return read(fd, len, 0);
    }

    /** Reads until end of stream. */
    byte[] readAll(int fd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            byte[] b = read(fd, 1 << 16);
            if (b == null) {
                throw new IllegalStateException("read failed: errno " + lastErrno);
            }
            if (b.length == 0) {
                return out.toByteArray();
            }
            out.writeBytes(b);
        }
    }

    int shutdown(int fd, int how) {
        return intResult(calls().shutdown(proc, fd, how));
    }

    int close(int fd) {
        return intResult(proc.fds().close(fd));
    }

    int setInt(int fd, int level, int name, int value) {
        byte[] b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array();
        return intResult(calls().setsockopt(proc, fd, level, name, b));
    }

    /** getsockopt of an int option, or -errno. */
    int getInt(int fd, int level, int name) {
        SysResult<byte[]> r = calls().getsockopt(proc, fd, level, name);
        if (r instanceof SysResult.Errno<byte[]> e) {
            return -e.errno();
        }
        return java.nio.ByteBuffer.wrap(r.value()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    int ioctl(int fd, int request, int arg) {
        return intResult(calls().ioctl(proc, fd, request, arg));
    }

    void setNonBlocking(int fd) {
        check(ioctl(fd, LinuxNet.FIONBIO, 1));
    }

    Readiness poll(int fd) {
        return ((VirtualFile) proc.fds().get(fd).file()).readiness();
    }

    static int check(int r) {
        if (r < 0) {
            throw new IllegalStateException("call failed: " + simterpose.bindings.Errno.name(-r));
        }
        return r;
    }
}
