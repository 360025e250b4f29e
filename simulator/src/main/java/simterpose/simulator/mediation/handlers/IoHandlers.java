package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.EIO;
import static simterpose.bindings.Errno.EMSGSIZE;
import static simterpose.simulator.kernel.LinuxNet.MSG_DONTWAIT;
import static simterpose.simulator.kernel.LinuxNet.MSG_TRUNC;
import static simterpose.simulator.kernel.LinuxNet.MSG_WAITALL;
import static simterpose.simulator.kernel.LinuxNet.MSG_WAITFORONE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import simterpose.simulator.kernel.SockAddr;
import simterpose.simulator.kernel.SocketCalls;
import simterpose.simulator.kernel.SendSource;
import simterpose.simulator.kernel.SysResult;
import simterpose.tracer.abi.Iovec;
import simterpose.tracer.abi.Msghdr;
import simterpose.tracer.abi.Sockaddr;
import simterpose.tracer.abi.Timespec;
import simterpose.tracer.syscall.SyscallTable;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * Data on virtual sockets: read/write/readv/writev/sendto/recvfrom/sendmsg/recvmsg become the
 * simulated kernel's send/recv, and so does sendfile from a file to a virtual socket; bytes move
 * with process_vm_readv/writev, one call per send or receive. On a stream they go straight
 * between the tracee's iovecs and the socket queue's native chunks (no Java array between), and
 * a send reads only the bytes the socket takes. On real fds they run
 * natively; reads of a random device come from the seeded generator ({@link RandomHandlers}), reads
 * of a timerfd from its simulated timer ({@link TimerFdHandlers}).
 * On a UDP socket a send is one datagram (its bytes gathered at once) and a receive one
 * datagram, with its source address and MSG_TRUNC reported as recvfrom/recvmsg do.
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
    private static final int NR_LSEEK = SyscallTable.number("lseek");
    private static final int SEEK_CUR = 1;
    /** sizeof(struct mmsghdr): a msghdr, its msg_len, padding. */
    private static final int MMSGHDR_SIZE = 64;
    /** Bytes gathered for one datagram: one more than any IP packet holds, so longer sends fail with EMSGSIZE. */
    private static final int DATAGRAM_LIMIT = 65536;

    static HandlerResult read(Call c) {
        return c.randomFd(0) ? RandomHandlers.read(c)
                : c.timerFd(0) != null ? TimerFdHandlers.read(c, new long[] {c.arg(1), c.arg(2)})
                : realStream(c) ? RealStreamHandlers.recv(c, 0, Source.NONE.address(), Source.NONE.lengthPointer())
                : c.realFdMayBlock(0) ? readAtItsTurn(c)
                : onSocket(c, () -> recv(c, new long[] {c.arg(1), c.arg(2)}, 0, Source.NONE));
    }

    /**
     * read or readv of a real fd that may block (a pipe, a socket, a terminal): the real kernel
     * runs it only once it will return at once (bytes, end of file, an error, O_NONBLOCK), so that
     * it reads, at its turn, what the tracees before it wrote. Until then the thread waits in the
     * simulation, its fd looked at whenever the engine is idle. Left to block natively, a reader
     * woken by a writer's first bytes would take them at once, in the middle of the writer's turn,
     * and how many it got would depend on the real scheduler.
     */
    private static HandlerResult readAtItsTurn(Call c) {
        int fd = c.intArg(0);
        var realFds = c.thread.process.realFds();
        if (realFds.readWouldNotWait(fd)) {
            return HandlerResult.NATIVE;
        }
        return new HandlerResult.Block(c.idleProbes().watch(() -> realFds.readWouldNotWait(fd)), -1, 0);
    }

    static HandlerResult write(Call c) {
        return realStream(c) ? RealStreamHandlers.send(c, 0)
                : onSocket(c, () -> send(c, new long[] {c.arg(1), c.arg(2)}, 0, null));
    }

    static HandlerResult recvfrom(Call c) {
        return realStream(c) ? RealStreamHandlers.recv(c, c.intArg(3), c.arg(4), c.arg(5))
                : c.realFdMayBlock(0) ? receiveAtItsTurn(c, c.intArg(3))
                : onSocket(c, () -> recv(c, new long[] {c.arg(1), c.arg(2)}, c.intArg(3), new Source(c.arg(4), c.arg(5), 0)));
    }

    /**
     * recvfrom or recvmsg of a real socket (AF_UNIX, an unmediated family): as {@link
     * #readAtItsTurn}, unless MSG_DONTWAIT makes it return at once anyway. With MSG_WAITALL the
     * real call may still wait for more once it runs: it then asks for its exit stop.
     */
    private static HandlerResult receiveAtItsTurn(Call c, int flags) {
        if ((flags & MSG_DONTWAIT) != 0) {
            return HandlerResult.NATIVE;
        }
        HandlerResult atItsTurn = readAtItsTurn(c);
        return atItsTurn == HandlerResult.NATIVE && (flags & MSG_WAITALL) != 0 ? HandlerResult.NATIVE_WAIT : atItsTurn;
    }

    static HandlerResult sendto(Call c) {
        // a connected TCP socket ignores the destination (tcp_sendmsg), as the simulated one does
        return realStream(c) ? RealStreamHandlers.send(c, c.intArg(3))
                : onSocket(c, () -> withDestination(c, c.arg(4), c.arg(4) == 0 ? 0 : c.intArg(5),
                to -> send(c, new long[] {c.arg(1), c.arg(2)}, c.intArg(3), to)));
    }

    /** True when fd argument 0 is a TCP socket whose bytes a real stream carries ({@code --mediation=address}). */
    private static boolean realStream(Call c) {
        return c.addressMode() && c.socketFd(0) && RealStreamHandlers.carried(c) != null;
    }

    static HandlerResult readv(Call c) {
        return c.randomFd(0) ? RandomHandlers.readVector(c)
                : c.timerFd(0) != null ? vector(c, c.arg(1), c.intArg(2), iov -> TimerFdHandlers.read(c, iov))
                : realStream(c) ? vector(c, c.arg(1), c.intArg(2), iov -> RealStreamHandlers.recvVector(c, iov, 0, 0, 0))
                : c.realFdMayBlock(0) ? readAtItsTurn(c)
                : onSocket(c, () -> vector(c, c.arg(1), c.intArg(2), iov -> recv(c, iov, 0, Source.NONE)));
    }

    static HandlerResult writev(Call c) {
        return realStream(c) ? vector(c, c.arg(1), c.intArg(2), iov -> RealStreamHandlers.sendVector(c, iov, 0))
                : onSocket(c, () -> vector(c, c.arg(1), c.intArg(2), iov -> send(c, iov, 0, null)));
    }

    static HandlerResult sendmsg(Call c) {
        return onSocket(c, () -> message(c, c.arg(1), c.intArg(2), false));
    }

    static HandlerResult recvmsg(Call c) {
        return c.realFdMayBlock(0) ? receiveAtItsTurn(c, c.intArg(2))
                : onSocket(c, () -> message(c, c.arg(1), c.intArg(2), true));
    }

    static HandlerResult sendmmsg(Call c) {
        return onSocket(c, () -> messages(c, false));
    }

    /**
     * recvmmsg: with a timeout (a struct timespec, checked as Linux does: after each datagram,
     * never cutting the wait for one), the call ends once a datagram finds it expired; the time
     * left is written back when a datagram came.
     */
    static HandlerResult recvmmsg(Call c) {
        if (c.arg(4) == 0) {
            return onSocket(c, () -> messages(c, true));
        }
        return onSocket(c, () -> c.withTimespec(c.arg(4), (sec, nsec) -> {
            if (!c.deadlineArmed()) {
                c.armDeadline(Math.round(c.now() * 1e9)
                        + (Math.multiplyHigh(sec, 1_000_000_000L) != 0 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec));
            }
            HandlerResult r = messages(c, true, true);
            if (r instanceof HandlerResult.Done(long n) && n > 0) {
                long left = Math.max(0, c.deadlineNanos() - Math.round(c.now() * 1e9));
                return new Timespec(left / 1_000_000_000L, left % 1_000_000_000L).write(c.mem(), c.arg(4)) ? r : Call.fault();
            }
            return r;
        }));
    }

    static HandlerResult sendfile(Call c) {
        return onSocket(c, () -> sendFromFile(c));
    }

    /**
     * Where a receive reports what it got: the sockaddr buffer and its length pointer
     * (recvfrom's, or recvmsg's msg_name and &msg_namelen), and recvmsg's msghdr for msg_flags
     * and msg_controllen (0 for recvfrom).
     */
    private record Source(long address, long lengthPointer, long msghdr) {
        static final Source NONE = new Source(0, 0, 0);
    }

    /**
     * {@code op} on a simulated socket; else the real kernel runs the call, held at its exit
     * stop when the fd may block (a pipe, an unmediated socket, a terminal): woken by another
     * tracee's write or read, the thread then waits there for its turn instead of running
     * beside the running tracee. A regular file's I/O never blocks that way and pays no exit stop.
     */
    private static HandlerResult onSocket(Call c, java.util.function.Supplier<HandlerResult> op) {
        return c.socketFd(0) ? op.get() : c.realFdMayBlock(0) ? HandlerResult.NATIVE_WAIT : HandlerResult.NATIVE;
    }

    /**
     * Reads a destination sockaddr the caller passed (null when {@code length} is 0), as
     * move_addr_to_kernel does for every protocol: a length outside 0–128 is EINVAL, an
     * unreadable buffer EFAULT. The bytes are read as a datagram's destination (a stream
     * socket ignores it, errors included).
     */
    private static HandlerResult withDestination(Call c, long address, int length,
                                                 java.util.function.Function<SysResult<SockAddr>, HandlerResult> op) {
        if (length == 0) {
            return op.apply(null);
        }
        if (length < 0 || length > Sockaddr.MAX_SIZE) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = c.read(address, length);
        return raw == null ? Call.fault() : op.apply(SocketAddresses.destination(raw));
    }

    /** Reads an iovec array into {base, len, base, len...}. */
    static HandlerResult vector(Call c, long iovAddress, int count, java.util.function.Function<long[], HandlerResult> op) {
        if (count < 0 || count > IOV_MAX) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = c.read(iovAddress, Iovec.SIZE * count);
        if (raw == null) {
            return Call.fault();
        }
        long[] iov = new long[2 * count];
        for (int i = 0; i < count; i++) {
            Iovec v = Iovec.decode(raw, i);
            iov[2 * i] = v.base();
            iov[2 * i + 1] = v.len();
        }
        return op.apply(iov);
    }

    /** sendmsg/recvmsg's struct msghdr at {@code msghdr}. */
    private static HandlerResult message(Call c, long msghdr, int flags, boolean receive) {
        Msghdr m = Msghdr.read(c.mem(), msghdr);
        if (m == null) {
            return Call.fault();
        }
        long name = m.name();
        int nameLength = m.namelen();
        long iov = m.iov();
        long iovlen = m.iovlen();
        if (iovlen < 0 || iovlen > IOV_MAX) {
            return HandlerResult.errno(EMSGSIZE);
        }
        if (realStream(c)) { // a connected TCP socket ignores a destination (tcp_sendmsg)
            return vector(c, iov, (int) iovlen, v -> receive ? RealStreamHandlers.recvVector(c, v, flags, msghdr, name)
                    : RealStreamHandlers.sendVector(c, v, flags));
        }
        if (receive) {
            return vector(c, iov, (int) iovlen, v -> recv(c, v, flags, new Source(name, msghdr + Msghdr.NAMELEN, msghdr)));
        }
        return withDestination(c, name, name == 0 ? 0 : nameLength,
                to -> vector(c, iov, (int) iovlen, v -> send(c, v, flags, to)));
    }

    /**
     * sendmmsg/recvmmsg on a UDP socket: one sendmsg/recvmsg per struct mmsghdr (a msghdr and
     * the msg_len the call fills), {@link Call#progress} counting the messages done across waits.
     * The call returns how many went through, or the first one's error. recvmmsg waits for
     * every message unless MSG_WAITFORONE (then only for the first); its timeout is ignored
     * (Linux checks it only between datagrams). On a TCP socket they are reported unmediated.
     */
    private static HandlerResult messages(Call c, boolean receive) {
        return messages(c, receive, false);
    }

    /** As above; {@code timed}: a receive stops after the datagram that finds the call's deadline over. */
    private static HandlerResult messages(Call c, boolean receive, boolean timed) {
        if (!c.kernel().sockets().isDatagram(c.proc(), c.intArg(0))) {
            return c.unmediated();
        }
        long count = Math.min(c.arg(2) & 0xFFFFFFFFL, IOV_MAX);
        int flags = c.intArg(3);
        while (c.progress < count) {
            long entry = c.arg(1) + MMSGHDR_SIZE * c.progress;
            boolean onlyOne = receive && c.progress > 0 && (flags & MSG_WAITFORONE) != 0;
            HandlerResult r = message(c, entry, onlyOne ? flags | MSG_DONTWAIT : flags, receive);
            if (!(r instanceof HandlerResult.Done(long length))) {
                return r instanceof HandlerResult.Errno && c.progress > 0 ? HandlerResult.done(c.progress) : r;
            }
            if (!c.writeInt(entry + Msghdr.SIZE, (int) length)) { // mmsghdr's msg_len follows its msghdr
                return c.progress > 0 ? HandlerResult.done(c.progress) : Call.fault();
            }
            c.progress++;
            if (timed && c.deadlineOver()) {
                break; // recvmmsg's timeout is up: what came so far
            }
        }
        return HandlerResult.done(c.progress);
    }

    /** The bytes an iovec list {base, len...} holds, or -1 if a length is negative. */
    static long total(long[] iov) {
        long t = 0;
        for (int i = 1; i < iov.length; i += 2) {
            if (iov[i] < 0) {
                return -1;
            }
            t += iov[i];
        }
        return t;
    }

    /** The first {@code len} bytes of the iovec list, or null if any is unreadable. */
    private static byte[] gather(Call c, long[] iov, int len) {
        byte[] out = new byte[len];
        return c.mem().read(iov, 0, MemorySegment.ofArray(out)) == len ? out : null;
    }

    static boolean scatter(Call c, long[] iov, byte[] data) {
        return c.mem().write(List.of(MemorySegment.ofArray(data)), iov) == data.length;
    }

    /**
     * A send of the iovec's bytes, to {@code to} (the destination given, or the errno its bytes
     * earned, or null for none). On a stream the socket's queue is filled straight from the
     * tracee, only with the bytes it takes.
     */
    private static HandlerResult send(Call c, long[] iov, int flags, SysResult<SockAddr> to) {
        long total = total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        if (c.kernel().sockets().isDatagram(c.proc(), c.intArg(0))) {
            // one datagram: anything longer than an IP packet gets EMSGSIZE from the kernel
            int len = (int) Math.min(total, DATAGRAM_LIMIT);
            byte[] data = gather(c, iov, len);
            if (data != null) {
                c.moved(iov, 0, MemorySegment.ofArray(data), len);
            }
            return data == null ? Call.fault()
                    : c.answer(c.kernel().sockets().sendto(c.proc(), c.intArg(0), data, 0, len, flags, to));
        }
        return send(c, total, (from, into) -> {
            long n = copied(c, c.mem().read(iov, from, into));
            c.moved(iov, from, into, n); // the line's first bytes, for the views
            return n;
        }, flags);
    }

    /**
     * Where the bytes of a stream send come from: fills {@code into} with the bytes at offset
     * {@code from}; returns how many (fewer at a fault: the socket then takes none of them).
     */
    @FunctionalInterface
    interface ByteSource {
        long fill(long from, MemorySegment into);
    }

    /** A source that fills nothing (a real stream carries the bytes): the simulated socket keeps their count only. */
    @FunctionalInterface
    interface Uncopied extends ByteSource {}

    /** Counts {@code n} payload bytes copied through the tool (the run's report shows the total). */
    private static long copied(Call c, long n) {
        c.realStreams().countCopied(Math.max(0, n));
        return n;
    }

    /** Sends {@code total} bytes of {@code source} on the virtual socket of fd argument 0. */
    static HandlerResult send(Call c, long total, ByteSource source, int flags) {
        while (c.progress < total || total == 0) {
            int chunk = (int) Math.min(SEND_CHUNK, total - c.progress);
            long from = c.progress;
            SendSource fill = source instanceof Uncopied ? (SendSource.Uncopied) into -> source.fill(from, into)
                    : into -> source.fill(from, into);
            SysResult<Integer> r = c.kernel().sockets().sendto(c.proc(), c.intArg(0), chunk, fill, flags, null);
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
    private static HandlerResult sendFromFile(Call c) {
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
            r = realStream(c) ? RealStreamHandlers.sendfile(c, available, file, start)
                    : send(c, available, (from, into) -> TraceeFiles.read(file, start + from, into), 0);
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

    /**
     * A receive into the iovec. The call returns the bytes copied, or with MSG_TRUNC the
     * message's full length; the source address and msg_flags (MSG_TRUNC when a datagram was cut)
     * go where {@code source} says. TCP reports no address (length 0).
     */
    private static HandlerResult recv(Call c, long[] iov, int flags, Source source) {
        long total = total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        int len = (int) Math.min(total, RECV_MAX);
        return c.answer(c.kernel().sockets().recvmsg(c.proc(), c.intArg(0), len, flags, parts -> {
                    long n = copied(c, c.mem().write(parts, iov));
                    c.moved(iov, parts, n); // the line's first bytes, for the views
                    return n;
                }),
                got -> report(c, source, got) ? HandlerResult.done((flags & MSG_TRUNC) != 0 ? got.length() : got.count())
                        : Call.fault());
    }

    private static boolean report(Call c, Source where, SocketCalls.Delivered got) {
        if (where.address() != 0 && where.lengthPointer() != 0) {
            boolean written = got.source() != null
                    ? SocketHandlers.writeAddress(c, where.address(), where.lengthPointer(), got.source())
                    : c.writeInt(where.lengthPointer(), 0);
            if (!written) {
                return false;
            }
        }
        if (where.msghdr() != 0) {
            return c.writeLongs(where.msghdr() + Msghdr.CONTROLLEN, 0) && c.writeInt(where.msghdr() + Msghdr.FLAGS, got.flags());
        }
        return true;
    }
}
