package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.kernel.EpollInstance;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.ProcessState;
import simterpose.tracer.abi.EpollEvent;

/**
 * epoll. The epoll fd itself is real (epoll_create runs natively); epoll_ctl on a virtual fd is
 * kept here, in the instance's virtual interest list, and never reaches the real kernel; on a
 * real fd it runs natively (the real instance watches it) and is only noted. epoll_wait is
 * simulated whenever the instance watches a virtual fd: the virtual entries' readiness comes
 * from the simulated kernel, the real entries' events from the real instance itself (a
 * duplicate waited on with timeout 0, which consumes their edge-triggered and one-shot state as
 * the tracee's own call would), and the wait is in simulated time ({@code IdleProbes} says when a
 * real-only change ends it). An instance with real fds only runs natively when waited for
 * forever (held at its exit stop once woken, until its turn); with a timeout it is simulated
 * (the timeout is simulated time; {@link SpinGuard}).
 *
 * <p>The interest lists and their rules (LT, ET, ONESHOT, RDHUP, EXCLUSIVE) are the virtual
 * kernel's ({@link EpollInstance}, {@link simterpose.simulator.kernel.EpollTable}: per process,
 * shared with forked children); this family reads and writes the tracee's structs around them.
 */
final class EpollHandlers {
    private EpollHandlers() {}


    /** epoll_wait and epoll_pwait: a timeout in milliseconds, negative for none. */
    static HandlerResult epollWait(Call c) {
        return await(c, c.intArg(3) < 0 ? -1 : c.intArg(3) / 1e3);
    }

    /**
     * A new instance may get the number of one closed without our close handler seeing it (by
     * exec's FD_CLOEXEC, close_range, dup2 over it): its simulated interest list is stale.
     */
    static HandlerResult create(Call c) {
        return new HandlerResult.NativeThen(fd -> {
            if (fd >= 0) {
                c.kernel().epolls().forget(c.proc(), (int) fd);
            }
            return fd;
        });
    }

    static HandlerResult ctl(Call c) {
        int epfd = c.intArg(0);
        int op = c.intArg(1);
        int fd = c.intArg(2);
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL); // a socket is not an epoll fd
        }
        EpollInstance in = c.kernel().epolls().instance(c.proc(), epfd);
        if (!c.virtualFd(2)) {
            in.controlReal(op, fd);
            return HandlerResult.NATIVE;
        }
        if (op == EpollInstance.EPOLL_CTL_DEL) {
            return c.answer(in.delete(fd));
        }
        byte[] raw = c.read(c.arg(3), EpollEvent.SIZE);
        if (raw == null) {
            return Call.fault();
        }
        EpollEvent event = EpollEvent.decode(raw);
        return c.answer(in.control(op, fd, event.events(), event.data()));
    }

    static HandlerResult pwait2(Call c) {
        if (c.arg(3) == 0) {
            return await(c, -1);
        }
        return c.withTimespec(c.arg(3), (sec, nsec) -> await(c, sec + nsec / 1e9));
    }

    private static HandlerResult await(Call c, double timeout) {
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL);
        }
        int epfd = c.intArg(0);
        EpollInstance in = c.kernel().epolls().existing(c.proc(), epfd);
        boolean virtual = in != null && in.watchesVirtual();
        if (!virtual && timeout < 0) {
            return HandlerResult.NATIVE_WAIT; // real fds only: the real kernel waits, forever; held at its exit once woken
        }
        boolean real = in == null || in.watchesReal();
        int max = c.intArg(2);
        if (max <= 0) {
            return HandlerResult.errno(EINVAL);
        }
        double now = c.now();
        if (!c.deadlineArmed()) {
            c.armTimeout(timeout);
        }
        ByteBuffer out = ByteBuffer.allocate(EpollEvent.SIZE * max).order(ByteOrder.LITTLE_ENDIAN);
        List<Signal> queues = new ArrayList<>();
        boolean realFirst = in != null && in.takeRealFirst();
        if (real && realFirst) {
            out.put(c.thread.process.realFds().epollEvents(epfd, max));
        }
        if (virtual) {
            for (EpollInstance.Event e : in.ready(c.proc().fds(), out.remaining() / EpollEvent.SIZE, queues)) {
                out.put(new EpollEvent(e.events(), e.data()).bytes());
            }
        }
        if (real && !realFirst) {
            out.put(c.thread.process.realFds().epollEvents(epfd, out.remaining() / EpollEvent.SIZE));
        }
        int ready = out.position() / EpollEvent.SIZE;
        double remaining = c.remaining();
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.position());
        boolean expired = c.deadlineOver();
        boolean spin = (ready > 0 || expired) && SpinGuard.spinning(c, ready, bytes);
        if (!spin && (ready > 0 || expired)) {
            return c.write(c.arg(1), bytes) ? HandlerResult.done(ready) : Call.fault();
        }
        if (real && !spin) { // a spinning call waits for the clock (real events cannot be peeked without taking them)
            ProcessState p = c.thread.process;
            queues.add(c.idleProbes().watch(() -> p.realFds().epollReady(epfd)));
        }
        return spin ? SpinGuard.waitFor(c, queues, expired ? -1 : remaining)
                : PendingSignals.waitOrInterrupt(c, PendingSignals.maskAddress(c), queues, remaining);
    }
}
