package simterpose.simulator.mediation.handlers;

import static simterpose.simulator.kernel.LinuxNet.FIONBIO;
import static simterpose.simulator.kernel.LinuxNet.O_CLOEXEC;

import simterpose.tracer.syscall.SyscallTable;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * Descriptors: close, dup, dup2, dup3 and fcntl run natively on the placeholder fds (and the
 * real random devices and timerfds, see {@link simterpose.simulator.kernel.RandomDevice} and
 * {@link simterpose.simulator.kernel.TimerFd}) and are mirrored in the virtual fd table (at
 * entry for close, at exit for the dups, whose new number the real kernel picks). fcntl's status
 * flags (O_NONBLOCK) on a virtual socket or timerfd, ioctl on a virtual socket and FIONBIO on a
 * timerfd are answered by the simulated kernel.
 */
final class FdHandlers {
    private FdHandlers() {}

    private static final int NR_DUP3 = SyscallTable.number("dup3");
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;

    static HandlerResult dup(Call c) {
        return c.trackedFd(0) ? dupAtExit(c, false) : HandlerResult.NATIVE;
    }

    static HandlerResult close(Call c) {
        c.realFdGone(0);
        c.kernel().epolls().forget(c.proc(), c.intArg(0)); // an epoll fd closed: its number may name a new instance later
        if (c.trackedFd(0)) {
            c.proc().fds().close(c.intArg(0)); // the real close of the placeholder cannot fail
        }
        return HandlerResult.NATIVE;
    }

    private static HandlerResult dupAtExit(Call c, boolean cloexec) {
        int old = c.intArg(0);
        return new HandlerResult.NativeThen(fd -> {
            if (fd >= 0) {
                c.proc().fds().dup(old, (int) fd, cloexec);
            }
            return fd;
        });
    }

    /** dup2/dup3: newfd may be a virtual fd that the call closes, oldfd a virtual one it copies. */
    static HandlerResult dup2(Call c) {
        c.realFdGone(1); // whatever newfd named is closed, if the call succeeds; read again at its next use
        if (!c.trackedFd(0) && !c.trackedFd(1)) {
            return HandlerResult.NATIVE;
        }
        int old = c.intArg(0);
        int target = c.intArg(1);
        boolean cloexec = c.nr == NR_DUP3 && (c.intArg(2) & O_CLOEXEC) != 0;
        return new HandlerResult.NativeThen(fd -> {
            if (fd >= 0 && old != target) {
                if (c.proc().fds().contains(old)) {
                    c.proc().fds().dup(old, target, cloexec);
                } else {
                    c.proc().fds().close(target);
                }
            }
            return fd;
        });
    }

    static HandlerResult fcntl(Call c) {
        if (!c.trackedFd(0)) {
            return HandlerResult.NATIVE;
        }
        int fd = c.intArg(0);
        return switch (c.intArg(1)) {
            case F_GETFL -> c.virtualFd(0) ? c.answer(c.kernel().sockets().getFileStatus(c.proc(), fd)) : HandlerResult.NATIVE;
            case F_SETFL -> c.virtualFd(0) ? c.answer(c.kernel().sockets().setFileStatus(c.proc(), fd, c.intArg(2))) : HandlerResult.NATIVE;
            case F_DUPFD -> dupAtExit(c, false);
            case F_DUPFD_CLOEXEC -> dupAtExit(c, true);
            case F_SETFD -> new HandlerResult.NativeThen(r -> {
                if (r == 0) {
                    c.proc().fds().setFdFlags(fd, c.intArg(2)); // the real flag matters: exec closes it
                }
                return r;
            });
            default -> HandlerResult.NATIVE; // F_GETFD, locks, owners: the placeholder answers
        };
    }

    static HandlerResult ioctl(Call c) {
        int request = c.intArg(1);
        if (c.timerFd(0) != null && request == FIONBIO) {
            int on = c.readInt(c.arg(2), Integer.MIN_VALUE);
            if (on == Integer.MIN_VALUE) {
                return Call.fault();
            }
            c.file(0).setNonBlocking(on != 0);
            return HandlerResult.done(0);
        }
        if (!c.socketFd(0)) {
            return HandlerResult.NATIVE; // a timerfd's other requests (TFD_IOC_SET_TICKS) reach its placeholder
        }
        if (request == FIONBIO) {
            int on = c.readInt(c.arg(2), Integer.MIN_VALUE);
            if (on == Integer.MIN_VALUE) {
                return Call.fault();
            }
            return c.answer(c.kernel().sockets().ioctl(c.proc(), c.intArg(0), request, on));
        }
        return c.answer(c.kernel().sockets().ioctl(c.proc(), c.intArg(0), request, 0),
                value -> c.writeInt(c.arg(2), value) ? HandlerResult.done(0) : Call.fault());
    }
}
