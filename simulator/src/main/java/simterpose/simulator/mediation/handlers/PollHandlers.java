package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;

import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.kernel.LinuxNet;
import simterpose.simulator.kernel.OpenFile;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.ProcessState;
import simterpose.tracer.abi.Pollfd;
import simterpose.tracer.abi.Timespec;
import simterpose.tracer.abi.Timeval;

/**
 * poll, ppoll, select and pselect6. Virtual sockets' readiness comes from the simulated kernel,
 * real fds' from the real kernel ({@link simterpose.tracer.RealFdProbe}: a duplicate polled with timeout 0), and the
 * wait is in simulated time: on every virtual file's wait queue at once, plus a probe of the
 * real fds at each idle point of the engine (the rule is in {@code IdleProbes}). A set of real
 * fds only waited for forever runs natively (the thread parks if it blocks, and its exit stop
 * holds it once another tracee made an fd ready, until its turn); with a timeout it
 * is simulated too, so the timeout is simulated time (and a zero-timeout spin is seen:
 * {@link SpinGuard}). An empty set is a sleep in simulated time. Signals: {@link PendingSignals}.
 */
final class PollHandlers {
    private PollHandlers() {}

    private static final int MAX_FDS = 4096;
    private static final int POLLNVAL = 0x20;

    static HandlerResult poll(Call c) {
        return poll(c, c.intArg(2) < 0 ? -1 : c.intArg(2) / 1e3);
    }

    /** select: the timeout is a timeval. */
    static HandlerResult select(Call c) {
        return select(c, 1000);
    }

    /** pselect6: the timeout is a timespec. */
    static HandlerResult pselect6(Call c) {
        return select(c, 1);
    }

    /**
     * select/pselect6: up to three fd_set bitmaps of {@code nfds} bits; the timeout is a timeval
     * (select, {@code unitNs} 1000) or a timespec (pselect6, 1); null means none.
     */
    private static HandlerResult select(Call c, long unitNs) {
        int nfds = c.intArg(0);
        if (nfds < 0 || nfds > MAX_FDS) {
            return HandlerResult.errno(EINVAL);
        }
        int bytes = (nfds + 63) / 64 * 8;
        long[] sets = {c.arg(1), c.arg(2), c.arg(3)};
        byte[][] in = new byte[3][];
        for (int k = 0; k < 3; k++) {
            if (sets[k] != 0 && bytes != 0) {
                in[k] = c.read(sets[k], bytes);
                if (in[k] == null) {
                    return Call.fault();
                }
            }
        }
        double timeout = -1;
        if (c.arg(4) != 0) {
            long sec, frac;
            if (unitNs == 1) {
                Timespec t = Timespec.read(c.mem(), c.arg(4));
                if (t == null) {
                    return Call.fault();
                }
                sec = t.sec();
                frac = t.nsec();
            } else {
                Timeval t = Timeval.read(c.mem(), c.arg(4));
                if (t == null) {
                    return Call.fault();
                }
                sec = t.sec();
                frac = t.usec();
            }
            if (sec < 0 || frac < 0 || frac * unitNs >= 1_000_000_000L) {
                return HandlerResult.errno(EINVAL);
            }
            timeout = sec + frac * unitNs / 1e9;
        }
        // the fds named in any set, with the poll events the sets ask for (fs/select.c)
        int[] asked = new int[nfds];
        boolean virtual = false;
        int reals = 0;
        for (int fd = 0; fd < nfds; fd++) {
            for (int k = 0; k < 3; k++) {
                if (in[k] != null && (in[k][fd >> 3] & (1 << (fd & 7))) != 0) {
                    asked[fd] |= SELECT_EVENTS[k];
                }
            }
            if (asked[fd] != 0) {
                if (c.proc().fds().contains(fd)) {
                    virtual = true;
                } else {
                    reals++;
                }
            }
        }
        if (!virtual && reals > 0 && timeout < 0) {
            return HandlerResult.NATIVE_WAIT; // the real kernel waits, forever: held at its exit once woken
        }
        int[] realFds = new int[reals];
        short[] realEvents = new short[reals];
        for (int fd = 0, r = 0; fd < nfds; fd++) {
            if (asked[fd] != 0 && !c.proc().fds().contains(fd)) {
                realEvents[r] = (short) asked[fd];
                realFds[r++] = fd;
            }
        }
        double now = c.now();
        if (!c.deadlineArmed()) {
            c.armTimeout(timeout);
        }
        int[] mask = new int[nfds];
        List<Signal> queues = new ArrayList<>();
        short[] real = reals == 0 ? new short[0] : c.thread.process.realFds().revents(realFds, realEvents);
        for (int r = 0; r < reals; r++) {
            if ((real[r] & POLLNVAL) != 0) {
                return HandlerResult.errno(EBADF);
            }
            mask[realFds[r]] = real[r];
        }
        for (int fd = 0; fd < nfds; fd++) {
            if (asked[fd] != 0 && c.proc().fds().contains(fd)) {
                OpenFile f = c.proc().fds().get(fd);
                mask[fd] = f.file().readiness().pollMask();
                if (!queues.contains(f.file().changed())) {
                    queues.add(f.file().changed());
                }
            }
        }
        byte[][] out = new byte[3][];
        int ready = 0;
        for (int k = 0; k < 3; k++) {
            if (in[k] == null) {
                continue;
            }
            out[k] = new byte[bytes];
            for (int fd = 0; fd < nfds; fd++) {
                if ((in[k][fd >> 3] & (1 << (fd & 7))) != 0 && (mask[fd] & SELECT_READY[k]) != 0) {
                    out[k][fd >> 3] |= (byte) (1 << (fd & 7));
                    ready++;
                }
            }
        }
        double remaining = c.remaining();
        boolean expired = c.deadlineOver();
        boolean spin = (ready > 0 || expired) && SpinGuard.spinning(c, ready, concat(out));
        if (!spin && (ready > 0 || expired)) {
            for (int k = 0; k < 3; k++) {
                if (out[k] != null && !c.write(sets[k], out[k])) {
                    return Call.fault();
                }
            }
            if (c.arg(4) != 0) { // Linux writes the time left back (fs/select.c poll_select_finish)
                long left = Math.max(0, Math.round(remaining * 1e9));
                long sec = left / 1_000_000_000L, nsec = left % 1_000_000_000L;
                boolean written = unitNs == 1 ? new Timespec(sec, nsec).write(c.mem(), c.arg(4))
                        : new Timeval(sec, nsec / 1000).write(c.mem(), c.arg(4));
                if (!written) {
                    return Call.fault();
                }
            }
            return HandlerResult.done(ready);
        }
        if (reals > 0) {
            ProcessState p = c.thread.process;
            queues.add(realProbe(c, spin, real, () -> p.realFds().revents(realFds, realEvents)));
        }
        return spin ? SpinGuard.waitFor(c, queues, expired ? -1 : remaining)
                : PendingSignals.waitOrInterrupt(c, PendingSignals.maskAddress(c), queues, remaining);
    }

    /** The poll events select asks for per set (read, write, except), and those that make an fd ready in it. */
    private static final int[] SELECT_EVENTS = {LinuxNet.POLLIN, LinuxNet.POLLOUT, LinuxNet.POLLPRI};
    private static final int[] SELECT_READY = {LinuxNet.POLLIN | LinuxNet.POLLHUP | LinuxNet.POLLERR,
        LinuxNet.POLLOUT | LinuxNet.POLLERR, LinuxNet.POLLPRI};

    /**
     * What ends a wait as far as its real fds go: one of them ready (nothing was); for a
     * spinning call ({@link SpinGuard}), their answer no longer being {@code seen}.
     */
    private static Signal realProbe(Call c, boolean spin, short[] seen, java.util.function.Supplier<short[]> now) {
        return c.idleProbes().watch(spin ? () -> !java.util.Arrays.equals(now.get(), seen) : () -> anySet(now.get()));
    }

    private static byte[] concat(byte[][] sets) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] set : sets) {
            if (set != null) {
                all.writeBytes(set);
            }
            all.write(set == null ? 0 : 1);
        }
        return all.toByteArray();
    }

    private static boolean anySet(short[] revents) {
        for (short r : revents) {
            if (r != 0) {
                return true;
            }
        }
        return false;
    }

    static HandlerResult ppoll(Call c) {
        if (c.arg(2) == 0) {
            return poll(c, -1);
        }
        return c.withTimespec(c.arg(2), (sec, nsec) -> poll(c, sec + nsec / 1e9));
    }

    /**
     * @param timeout seconds, negative for none; the deadline is fixed at the first attempt and
     *                armed in the {@link Call} (its deadline)
     */
    private static HandlerResult poll(Call c, double timeout) {
        long n = c.arg(1);
        if (n < 0 || n > MAX_FDS) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = n == 0 ? new byte[0] : c.read(c.arg(0), (int) (Pollfd.SIZE * n));
        if (raw == null) {
            return Call.fault();
        }
        Pollfd[] polled = new Pollfd[(int) n];
        for (int i = 0; i < n; i++) {
            polled[i] = Pollfd.decode(raw, i);
        }
        int[] realAt = new int[(int) n]; // the entries naming real fds
        int reals = 0;
        boolean virtual = false;
        for (int i = 0; i < n; i++) {
            int fd = polled[i].fd();
            if (fd >= 0) {
                if (c.proc().fds().contains(fd)) {
                    virtual = true;
                } else {
                    realAt[reals++] = i;
                }
            }
        }
        if (!virtual && reals > 0 && timeout < 0) {
            return HandlerResult.NATIVE_WAIT; // the real kernel waits, forever: held at its exit once woken
        }
        int[] realFds = new int[reals];
        short[] realEvents = new short[reals];
        for (int k = 0; k < reals; k++) {
            realFds[k] = polled[realAt[k]].fd();
            realEvents[k] = polled[realAt[k]].events();
        }
        double now = c.now();
        if (!c.deadlineArmed()) {
            c.armTimeout(timeout);
        }
        int ready = 0;
        List<Signal> queues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int fd = polled[i].fd();
            short revents = 0;
            if (fd >= 0 && c.proc().fds().contains(fd)) {
                OpenFile f = c.proc().fds().get(fd);
                int events = polled[i].events() & 0xFFFF;
                int mask = f.file().readiness().pollMask() & (events | LinuxNet.POLLERR | LinuxNet.POLLHUP | POLLNVAL);
                revents = (short) mask;
                if (!queues.contains(f.file().changed())) {
                    queues.add(f.file().changed());
                }
            }
            Pollfd.putRevents(raw, i, revents);
        }
        short[] real = reals == 0 ? new short[0] : c.thread.process.realFds().revents(realFds, realEvents);
        for (int k = 0; k < reals; k++) {
            Pollfd.putRevents(raw, realAt[k], real[k]);
        }
        for (int i = 0; i < n; i++) {
            if (Pollfd.decode(raw, i).revents() != 0) {
                ready++;
            }
        }
        double remaining = c.remaining();
        boolean expired = c.deadlineOver();
        boolean spin = (ready > 0 || expired) && SpinGuard.spinning(c, ready, raw);
        if (!spin && (ready > 0 || expired)) {
            return c.write(c.arg(0), raw) ? HandlerResult.done(ready) : Call.fault();
        }
        if (reals > 0) {
            ProcessState p = c.thread.process;
            queues.add(realProbe(c, spin, real, () -> p.realFds().revents(realFds, realEvents)));
        }
        return spin ? SpinGuard.waitFor(c, queues, expired ? -1 : remaining)
                : PendingSignals.waitOrInterrupt(c, PendingSignals.maskAddress(c), queues, remaining);
    }
}
