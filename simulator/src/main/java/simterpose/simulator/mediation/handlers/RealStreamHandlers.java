package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;
import static simterpose.simulator.kernel.LinuxNet.MSG_DONTWAIT;
import static simterpose.simulator.kernel.LinuxNet.MSG_NOSIGNAL;
import static simterpose.simulator.kernel.LinuxNet.MSG_PEEK;

import java.lang.foreign.MemorySegment;
import simterpose.simulator.kernel.TcpSocket;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.RealStreams;
import simterpose.tracer.abi.Msghdr;
import simterpose.tracer.syscall.SyscallTable;

/**
 * read/write/recvfrom/sendto (and so send/recv) on a TCP socket whose bytes a real stream
 * carries ({@code run --mediation=address}, {@link RealStreams}). The simulated socket decides
 * everything but the bytes' values, exactly as under full mediation: how many bytes a send
 * takes and when, how many a receive gets and when (blocking, MSG_WAITALL, MSG_PEEK, timeouts,
 * EOF, resets). Its queue then holds counts only: the send source and the receive sink copy
 * nothing. Once the simulated call is done, the stopped call is rewritten into a native
 * sendto/recvfrom of exactly that many bytes on the real stream, with MSG_DONTWAIT (the real
 * stream already holds the bytes a receive is given, and its buffers are larger than any
 * simulated window, so neither waits).
 *
 * <p>readv/writev/sendmsg/recvmsg become a native sendmsg/recvmsg of the first n bytes of their
 * iovecs (a cut copy of the iovec array, written on the tracee's stack); sendfile into such a
 * socket runs natively with its count cut to what the simulated socket took. Other data calls
 * (sendmmsg, recvmmsg, splice...) keep their full-mediation answer (unmediated on TCP).
 */
final class RealStreamHandlers {
    private RealStreamHandlers() {}

    private static final int NR_SENDTO = SyscallTable.number("sendto");
    private static final int NR_RECVFROM = SyscallTable.number("recvfrom");
    private static final int NR_SENDMSG = SyscallTable.number("sendmsg");
    private static final int NR_RECVMSG = SyscallTable.number("recvmsg");
    /** The x86-64 ABI's red zone: the 128 bytes below the stack pointer a leaf function may use. */
    private static final long RED_ZONE = 128;
    private static final long PAGE = 4096;
    /** Largest single receive handed to the simulated kernel, as under full mediation. */
    private static final int RECV_MAX = 4 << 20;

    /** The TCP socket of fd argument 0 when a real stream carries it, else null. */
    static TcpSocket carried(Call c) {
        return c.file(0).file() instanceof TcpSocket s && c.realStreams().carries(s) ? s : null;
    }

    /** write(fd, buf, len) or sendto(fd, buf, len, flags, ...): the model times it, the real stream carries it. */
    static HandlerResult send(Call c, int flags) {
        return sendVector(c, new long[] {c.arg(1), c.arg(2)}, flags);
    }

    /**
     * read(fd, buf, len) or recvfrom(fd, buf, len, flags, addr, addrlen): the model says how
     * many bytes have arrived; the real stream gives exactly those. TCP reports no source
     * address (*addrlen = 0).
     */
    static HandlerResult recv(Call c, int flags, long address, long lengthPointer) {
        long buf = c.arg(1);
        long len = c.arg(2);
        if (len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        int cap = (int) Math.min(len, RECV_MAX);
        long[] iov = {buf, len};
        return c.answer(c.kernel().sockets().recvmsg(c.proc(), c.intArg(0), cap, flags,
                parts -> touchable(c, iov, 0, count(parts), true)), got -> {
            int n = got.count();
            if (address != 0 && lengthPointer != 0 && !c.writeInt(lengthPointer, 0)) {
                return Call.fault();
            }
            if (n == 0) {
                return HandlerResult.done(0); // end of stream, or a zero-length read
            }
            RealStreams streams = c.realStreams();
            streams.ensureConnected(carried(c));
            streams.beforeReceive(carried(c), n);
            c.stop.setRegs(c.stop.regs().withSyscall(NR_RECVFROM, 1, buf, n, (flags & MSG_PEEK) | MSG_DONTWAIT, 0, 0));
            return HandlerResult.NATIVE_MEDIATED; // its result is the tracee's: no exit stop
        });
    }

    /**
     * write/send/sendto/writev/sendmsg over the iovec list {base, len...}. The bytes go natively
     * when the call is done: a sendto of one buffer, or a sendmsg of the iovecs' remaining bytes.
     * While it waits, the bytes already taken stay in the tracee's buffer unless the peer is
     * given some of them meanwhile: then the tool pushes those ({@link RealStreams#sendWaits}).
     */
    static HandlerResult sendVector(Call c, long[] iov, int flags) {
        long total = IoHandlers.total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        TcpSocket s = carried(c);
        RealStreams streams = c.realStreams();
        HandlerResult r = IoHandlers.send(c, total,
                (IoHandlers.Uncopied) (from, into) -> touchable(c, iov, from, into.byteSize(), false), flags);
        if (r instanceof HandlerResult.Block) {
            streams.sendWaits(s, c, (from, into) -> c.mem().read(iov, from, into));
            return r;
        }
        streams.sendDone(s);
        long pushed = c.pushed;
        if (!(r instanceof HandlerResult.Done(long n)) || n == pushed) {
            return r;
        }
        streams.ensureConnected(s);
        if (iov.length == 2) {
            c.stop.setRegs(c.stop.regs().withSyscall(NR_SENDTO, 1, iov[0] + pushed, n - pushed,
                    MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0));
            return after(pushed);
        }
        return nativeMessage(c, iov, pushed, n - pushed, NR_SENDMSG, MSG_DONTWAIT | MSG_NOSIGNAL, pushed);
    }

    /**
     * The native call's result, after {@code pushed} bytes of it went before: the native result
     * as it is when none did (no exit stop: the common case costs one stop, as under full
     * mediation), else added to them at the exit stop.
     */
    private static HandlerResult after(long pushed) {
        return pushed == 0 ? HandlerResult.NATIVE_MEDIATED
                : new HandlerResult.NativeThen(moved -> moved < 0 ? pushed : pushed + moved);
    }

    /**
     * readv/recvmsg: as {@link #recv}, over the iovec list; {@code msghdr} (recvmsg's, else 0)
     * gets msg_namelen 0 (TCP has no source), msg_controllen 0 and the msg_flags.
     */
    static HandlerResult recvVector(Call c, long[] iov, int flags, long msghdr, long name) {
        long total = IoHandlers.total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        int cap = (int) Math.min(total, RECV_MAX);
        return c.answer(c.kernel().sockets().recvmsg(c.proc(), c.intArg(0), cap, flags,
                parts -> touchable(c, iov, 0, count(parts), true)), got -> {
            if (msghdr != 0 && !((name == 0 || c.writeInt(msghdr + Msghdr.NAMELEN, 0))
                    && c.writeLongs(msghdr + Msghdr.CONTROLLEN, 0) && c.writeInt(msghdr + Msghdr.FLAGS, got.flags()))) {
                return Call.fault();
            }
            if (got.count() == 0) {
                return HandlerResult.done(0);
            }
            c.realStreams().ensureConnected(carried(c));
            c.realStreams().beforeReceive(carried(c), got.count());
            return nativeMessage(c, iov, 0, got.count(), NR_RECVMSG, (flags & MSG_PEEK) | MSG_DONTWAIT, 0);
        });
    }

    /**
     * Rewrites the stopped call into sendmsg/recvmsg(fd, msg, flags) of the {@code n} bytes at
     * offset {@code skip} of the iovec list: the msghdr and the cut iovec array are written on the
     * tracee's stack, below its red zone (free while it is stopped in the call). The call then
     * returns {@code before} plus the bytes it moved.
     */
    private static HandlerResult nativeMessage(Call c, long[] iov, long skip, long n, int nr, int flags, long before) {
        java.util.List<long[]> cut = slice(iov, skip, n);
        int size = Msghdr.SIZE + 16 * cut.size();
        long scratch = (c.stop.regs().rsp() - RED_ZONE - size) & ~15L;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(0).putLong(scratch + Msghdr.SIZE).putLong(cut.size()).putLong(0).putLong(0).putLong(0);
        for (long[] v : cut) {
            b.putLong(v[0]).putLong(v[1]);
        }
        if (!c.write(scratch, b.array())) {
            return Call.fault();
        }
        c.stop.setRegs(c.stop.regs().withSyscall(nr, 1, scratch, flags));
        return after(before);
    }

    /**
     * sendfile(socket, file, offset, count): the simulated socket takes {@code available} bytes
     * (what the file holds from {@code start}, at most count) as a write would. When it took them
     * all without waiting, the real kernel runs sendfile itself for exactly those bytes (moving
     * *offset or the file position); when the call had to wait, the tool pushes what was taken
     * as it goes (the peer may be given it meanwhile) and returns Done for the caller to finish
     * the call as under full mediation.
     */
    static HandlerResult sendfile(Call c, long available, java.nio.channels.FileChannel file, long start) {
        TcpSocket s = carried(c);
        RealStreams streams = c.realStreams();
        HandlerResult r = IoHandlers.send(c, available, (IoHandlers.Uncopied) (from, into) -> into.byteSize(), 0);
        long end = r instanceof HandlerResult.Done(long n) ? n : r instanceof HandlerResult.Block ? c.progress : c.pushed;
        if (end > c.pushed && (c.pushed > 0 || r instanceof HandlerResult.Block)) {
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment taken = arena.allocate(end - c.pushed);
                if (TraceeFiles.read(file, start + c.pushed, taken) < taken.byteSize()) {
                    throw new IllegalStateException("--mediation=address: the file sendfile reads shrank while it waited");
                }
                streams.push(s, taken);
            }
            c.pushed = end;
            return r;
        }
        if (!(r instanceof HandlerResult.Done(long n)) || n == 0) {
            return r;
        }
        streams.ensureConnected(s);
        c.stop.setRegs(c.stop.regs().withArg(3, n));
        return after(0);
    }

    /**
     * {@code n} when the {@code n} bytes at offset {@code from} of the iovec list can be read
     * (and with {@code write}, written) by the tracee's native call, else 0: so that a buffer
     * running into unmapped memory fails with EFAULT before the simulated socket takes or gives
     * anything, as under full mediation. Touches one byte per page (read, and written back
     * unchanged), not the payload, and only for memory not already known usable
     * ({@link simterpose.simulator.mediation.tracee.ProbedMemory}: programs reuse their buffers).
     */
    private static long touchable(Call c, long[] iov, long from, long n, boolean write) {
        java.util.List<long[]> pieces = slice(iov, from, n);
        var probed = c.realStreams().probed();
        if (probed.covers(c.thread.process, pieces, write)) {
            return n;
        }
        java.util.List<Long> pages = new java.util.ArrayList<>();
        for (long[] v : pieces) {
            for (long a = v[0]; a < v[0] + v[1]; a = (a & -PAGE) + PAGE) {
                pages.add(a);
            }
        }
        if (pages.isEmpty()) {
            return n;
        }
        long[] probe = new long[2 * pages.size()];
        for (int i = 0; i < pages.size(); i++) {
            probe[2 * i] = pages.get(i);
            probe[2 * i + 1] = 1;
        }
        MemorySegment bytes = MemorySegment.ofArray(new byte[pages.size()]);
        if (c.mem().read(probe, 0, bytes) < pages.size()
                || write && c.mem().write(java.util.List.of(bytes), probe) < pages.size()) {
            return 0;
        }
        probed.remember(c.thread.process, pieces, write);
        return n;
    }

    /**
     * The {@code n} bytes at offset {@code skip} of an iovec list ({@code iov}: base, length
     * pairs) as {address, length} pieces, empty pieces left out.
     */
    private static java.util.List<long[]> slice(long[] iov, long skip, long n) {
        java.util.List<long[]> pieces = new java.util.ArrayList<>();
        long left = n;
        long toSkip = skip;
        for (int i = 0; i + 1 < iov.length && left > 0; i += 2) {
            long len = iov[i + 1];
            if (toSkip >= len) {
                toSkip -= len;
                continue;
            }
            long take = Math.min(len - toSkip, left);
            if (take > 0) {
                pieces.add(new long[] {iov[i] + toSkip, take});
                left -= take;
            }
            toSkip = 0;
        }
        return pieces;
    }

    /** The bytes a list of segments holds. */
    private static long count(java.util.List<MemorySegment> parts) {
        long n = 0;
        for (MemorySegment p : parts) {
            n += p.byteSize();
        }
        return n;
    }
}
