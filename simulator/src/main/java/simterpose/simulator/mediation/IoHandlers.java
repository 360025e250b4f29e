package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.EIO;
import static simterpose.bindings.Errno.EMSGSIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Map;
import simterpose.simulator.kernel.SysResult;

/**
 * Data on virtual sockets: read/write/readv/writev/sendto/recvfrom/sendmsg/recvmsg become the
 * simulated kernel's send/recv, and so does sendfile from a file to a virtual socket; bytes move with process_vm_readv/writev. On real fds they run
 * natively.
 *
 * <p>A blocking send takes what fits and waits for the rest, returning only when every byte was
 * taken (or an error/timeout cuts it short: then the bytes taken so far), as Linux does; the
 * bytes already taken live in {@link Call#progress} across the waits.
 */
final class IoHandlers {
    private IoHandlers() {}

    /** Bytes copied from the tracee per kernel call (a 100 MB write never sits in memory at once). */
    private static final int SEND_CHUNK = 1 << 20;
    /** Largest single read handed to the kernel (recv may return less anyway). */
    private static final int RECV_MAX = 4 << 20;
    private static final int IOV_MAX = 1024;
    private static final int NR_LSEEK = 8;
    private static final int SEEK_CUR = 1;

    static Map<String, Handler> handlers() {
        return Map.of(
                "read", c -> onSocket(c, () -> recv(c, new long[] {c.arg(1), c.arg(2)}, 0, 0)),
                "write", c -> onSocket(c, () -> send(c, new long[] {c.arg(1), c.arg(2)}, 0)),
                "recvfrom", c -> onSocket(c, () -> recv(c, new long[] {c.arg(1), c.arg(2)}, c.intArg(3), c.arg(5))),
                "sendto", c -> onSocket(c, () -> send(c, new long[] {c.arg(1), c.arg(2)}, c.intArg(3))),
                "readv", c -> onSocket(c, () -> vector(c, c.arg(1), c.intArg(2), iov -> recv(c, iov, 0, 0))),
                "writev", c -> onSocket(c, () -> vector(c, c.arg(1), c.intArg(2), iov -> send(c, iov, 0))),
                "sendmsg", c -> onSocket(c, () -> message(c, false)),
                "recvmsg", c -> onSocket(c, () -> message(c, true)),
                "sendfile", c -> onSocket(c, () -> sendfile(c)));
    }

    private static HandlerResult onSocket(Call c, java.util.function.Supplier<HandlerResult> op) {
        return SocketHandlers.onSocket(c, op);
    }

    /** Reads an iovec array into {base, len, base, len...}. */
    private static HandlerResult vector(Call c, long iovAddress, int count,
                                        java.util.function.Function<long[], HandlerResult> op) {
        if (count < 0 || count > IOV_MAX) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = c.read(iovAddress, 16 * count);
        if (raw == null) {
            return Call.fault();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] iov = new long[2 * count];
        for (int i = 0; i < iov.length; i++) {
            iov[i] = b.getLong();
        }
        return op.apply(iov);
    }

    /** struct msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags. */
    private static HandlerResult message(Call c, boolean receive) {
        byte[] raw = c.read(c.arg(1), 56);
        if (raw == null) {
            return Call.fault();
        }
        ByteBuffer m = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long iov = m.getLong(16);
        long iovlen = m.getLong(24);
        if (iovlen < 0 || iovlen > IOV_MAX) {
            return HandlerResult.errno(EMSGSIZE);
        }
        int flags = c.intArg(2);
        return vector(c, iov, (int) iovlen, v -> {
            if (!receive) {
                return send(c, v, flags);
            }
            HandlerResult r = recv(c, v, flags, 0);
            if (r instanceof HandlerResult.Done) {
                // TCP fills no source address, no control data, no flags.
                c.writeInt(c.arg(1) + 8, 0);
                c.writeLongs(c.arg(1) + 40, 0);
                c.writeInt(c.arg(1) + 48, 0);
            }
            return r;
        });
    }

    private static long total(long[] iov) {
        long t = 0;
        for (int i = 1; i < iov.length; i += 2) {
            if (iov[i] < 0) {
                return -1;
            }
            t += iov[i];
        }
        return t;
    }

    /** Gathers {@code len} bytes of the iovec list starting at stream offset {@code from}. */
    private static byte[] gather(Call c, long[] iov, long from, int len) {
        byte[] out = new byte[len];
        int filled = 0;
        long skip = from;
        for (int i = 0; i < iov.length && filled < len; i += 2) {
            long base = iov[i];
            long size = iov[i + 1];
            if (skip >= size) {
                skip -= size;
                continue;
            }
            int n = (int) Math.min(size - skip, len - filled);
            if (c.mem().read(base + skip, out, filled, n) != n) {
                return null;
            }
            filled += n;
            skip = 0;
        }
        return out;
    }

    private static boolean scatter(Call c, long[] iov, byte[] data) {
        int done = 0;
        for (int i = 0; i < iov.length && done < data.length; i += 2) {
            int n = (int) Math.min(iov[i + 1], data.length - done);
            if (n > 0 && c.mem().write(iov[i], data, done, n) != n) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** Where the bytes of a send come from: {@code len} bytes at stream offset {@code from}, or null (EFAULT). */
    @FunctionalInterface
    private interface Source {
        byte[] bytes(long from, int len);
    }

    private static HandlerResult send(Call c, long[] iov, int flags) {
        long total = total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        return send(c, total, (from, len) -> gather(c, iov, from, len), flags);
    }

    /** Sends {@code total} bytes of {@code source} on the virtual socket of fd argument 0. */
    private static HandlerResult send(Call c, long total, Source source, int flags) {
        while (c.progress < total || total == 0) {
            int chunk = (int) Math.min(SEND_CHUNK, total - c.progress);
            byte[] data = source.bytes(c.progress, chunk);
            if (data == null) {
                return c.progress > 0 ? HandlerResult.done(c.progress) : Call.fault();
            }
            SysResult<Integer> r = c.kernel().sockets().send(c.proc(), c.intArg(0), data, 0, data.length, flags);
            switch (r) {
                case SysResult.Done<Integer>(Integer n) -> {
                    c.progress += n;
                    if (n < chunk || total == 0) {
                        return HandlerResult.done(c.progress);
                    }
                }
                case SysResult.Errno<Integer> e -> {
                    if (c.progress > 0) {
                        return HandlerResult.done(c.progress);
                    }
                    return c.failed(e);
                }
                case SysResult.Block<Integer> b -> {
                    c.progress += b.progress();
                    return new HandlerResult.Block(b.on(), b.timeout(), b.timeoutErrno());
                }
            }
        }
        return HandlerResult.done(c.progress);
    }

    /**
     * sendfile(out_fd, in_fd, offset, count) with a virtual socket as out_fd: the bytes come
     * from in_fd, a regular file the tracee has open, read through /proc/PID/fd at the
     * offset the call names (*offset, or in_fd's file position). The socket takes them as a
     * write would (blocking until all are taken, or what fits when non-blocking); a short file
     * ends the call early. Then *offset is advanced, or else in_fd's file position: the stopped
     * call becomes lseek(in_fd, sent, SEEK_CUR), whose result is replaced by the byte count.
     */
    private static HandlerResult sendfile(Call c) {
        int inFd = c.intArg(1);
        long offsetPointer = c.arg(2);
        long count = c.arg(3);
        if (c.virtualFd(1)) {
            return HandlerResult.errno(EINVAL); // a socket cannot be sendfile's source
        }
        if (count < 0) {
            return HandlerResult.errno(EINVAL);
        }
        long start;
        if (offsetPointer != 0) {
            byte[] raw = c.read(offsetPointer, 8);
            if (raw == null) {
                return Call.fault();
            }
            start = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (start < 0) {
                return HandlerResult.errno(EINVAL);
            }
        } else {
            // unchanged while the call waits: the position moves only when it ends
            start = TraceeFiles.position(c.thread.process.tgid, inFd);
            if (start < 0) {
                return HandlerResult.errno(EBADF);
            }
        }
        HandlerResult r;
        try (FileChannel file = TraceeFiles.open(c.thread.process.tgid, inFd)) {
            if (file == null) {
                return HandlerResult.errno(EBADF);
            }
            long available = Math.max(0, Math.min(count, file.size() - start));
            r = send(c, available, (from, len) -> TraceeFiles.read(file, start + from, len), 0);
        } catch (IOException e) {
            return HandlerResult.errno(EIO);
        }
        if (!(r instanceof HandlerResult.Done(long sent))) {
            return r;
        }
        if (offsetPointer != 0) {
            return c.writeLongs(offsetPointer, start + sent) ? r : Call.fault();
        }
        c.stop.setRegs(c.stop.regs().withNr(NR_LSEEK).withArg(0, inFd).withArg(1, sent).withArg(2, SEEK_CUR));
        return new HandlerResult.NativeThen(position -> position < 0 ? position : sent);
    }

    private static HandlerResult recv(Call c, long[] iov, int flags, long addrLenPointer) {
        long total = total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        int len = (int) Math.min(total, RECV_MAX);
        SysResult<byte[]> r = c.kernel().sockets().recv(c.proc(), c.intArg(0), len, flags);
        return switch (r) {
            case SysResult.Done<byte[]>(byte[] data) -> {
                if (!scatter(c, iov, data)) {
                    yield Call.fault();
                }
                if (addrLenPointer != 0) {
                    c.writeInt(addrLenPointer, 0); // TCP reports no source address
                }
                yield HandlerResult.done(data.length);
            }
            case SysResult.Errno<byte[]> e -> c.failed(e);
            case SysResult.Block<byte[]> b -> new HandlerResult.Block(b.on(), b.timeout(), b.timeoutErrno());
        };
    }
}
