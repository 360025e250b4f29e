package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.EOPNOTSUPP;
import static simterpose.simulator.kernel.LinuxNet.MSG_DONTWAIT;
import static simterpose.simulator.kernel.LinuxNet.MSG_NOSIGNAL;
import static simterpose.simulator.kernel.LinuxNet.MSG_PEEK;

import java.lang.foreign.MemorySegment;
import simterpose.simulator.kernel.TcpSocket;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.RealStreams;
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
 * <p>readv/writev/sendmsg/recvmsg/sendfile on such a socket are not covered yet: they fail with
 * EOPNOTSUPP, reported once per process and call.
 */
final class RealStreamHandlers {
    private RealStreamHandlers() {}

    private static final int NR_SENDTO = SyscallTable.number("sendto");
    private static final int NR_RECVFROM = SyscallTable.number("recvfrom");
    /** Largest single receive handed to the simulated kernel, as under full mediation. */
    private static final int RECV_MAX = 4 << 20;

    /** The TCP socket of fd argument 0 when a real stream carries it, else null. */
    static TcpSocket carried(Call c) {
        return c.file(0).file() instanceof TcpSocket s && c.realStreams().carries(s) ? s : null;
    }

    /** write(fd, buf, len) or sendto(fd, buf, len, flags, ...): the model times it, the real stream carries it. */
    static HandlerResult send(Call c, int flags) {
        long buf = c.arg(1);
        long len = c.arg(2);
        if (len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        HandlerResult r = IoHandlers.send(c, len, (from, into) -> into.byteSize(), flags);
        if (!(r instanceof HandlerResult.Done(long n)) || n == 0) {
            return r;
        }
        RealStreams streams = c.realStreams();
        streams.ensureConnected(carried(c));
        c.stop.setRegs(c.stop.regs().withNr(NR_SENDTO).withArg(1, buf).withArg(2, n)
                .withArg(3, MSG_DONTWAIT | MSG_NOSIGNAL).withArg(4, 0).withArg(5, 0));
        return new HandlerResult.NativeThen(sent -> {
            streams.countNative(Math.max(0, sent));
            return sent;
        });
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
        return c.answer(c.kernel().sockets().recvmsg(c.proc(), c.intArg(0), cap, flags, RealStreamHandlers::count), got -> {
            int n = got.count();
            if (address != 0 && lengthPointer != 0 && !c.writeInt(lengthPointer, 0)) {
                return Call.fault();
            }
            if (n == 0) {
                return HandlerResult.done(0); // end of stream, or a zero-length read
            }
            RealStreams streams = c.realStreams();
            streams.ensureConnected(carried(c));
            c.stop.setRegs(c.stop.regs().withNr(NR_RECVFROM).withArg(1, buf).withArg(2, n)
                    .withArg(3, (flags & MSG_PEEK) | MSG_DONTWAIT).withArg(4, 0).withArg(5, 0));
            return new HandlerResult.NativeThen(read -> {
                streams.countNative(Math.max(0, read));
                return read;
            });
        });
    }

    /** A sink that takes every byte offered without copying any. */
    private static long count(java.util.List<MemorySegment> parts) {
        long n = 0;
        for (MemorySegment p : parts) {
            n += p.byteSize();
        }
        return n;
    }

    /** A data call address mode does not cover yet: EOPNOTSUPP, reported once per process and call. */
    static HandlerResult refuse(Call c) {
        if (c.realStreams().firstRefusal(c.thread.process.tgid, c.nr)) {
            c.thread.run.listener().diagnostic("actor " + c.thread.process.owner.name + ": " + SyscallTable.name(c.nr)
                    + " on a TCP socket is not supported with --mediation=address yet (read, write, send, recv, sendto,"
                    + " recvfrom are); it fails with EOPNOTSUPP (reported once). Use --mediation=full for this program.");
        }
        return HandlerResult.errno(EOPNOTSUPP);
    }
}
