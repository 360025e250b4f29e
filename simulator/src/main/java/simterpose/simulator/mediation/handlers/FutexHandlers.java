package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ETIMEDOUT;

import java.util.List;
import simterpose.simulator.kernel.FutexTable;
import simterpose.simulator.kernel.FutexTable.Key;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * futex(2) waits with a timeout, in simulated time. A program computes an absolute futex
 * deadline (FUTEX_WAIT_BITSET: sem_clockwait, pthread_cond_timedwait, pthread_mutex_clocklock)
 * from its clock, which is the simulated one: the real kernel would find it long past. So a
 * timed wait is never left to the kernel: it becomes a <em>simulated waiter</em>, blocked in the
 * simulation until a FUTEX_WAKE reaches it, its deadline (simulated), or a signal.
 *
 * <p><b>The two kinds of waiters.</b> A wait without a timeout (the common pthread_mutex_lock,
 * pthread_join, pthread_cond_wait) runs natively, as before: the kernel queues it, and the thread,
 * blocked natively, is parked by the run's watchdog; its exit stop is asked for
 * ({@link HandlerResult#NATIVE_WAIT}), so that a wake by another tracee (a FUTEX_WAKE, a thread's
 * exit clearing its tid) holds it there until its turn instead of letting it run beside the
 * running tracee. A wait with a timeout is simulated: at its
 * stop the handler reads the futex word (only one tracee runs at a time, and every FUTEX_WAKE
 * stops too, so the check and the queueing are atomic with respect to wakers), fails with EAGAIN
 * when it differs from the expected value, with ETIMEDOUT when the deadline has passed, and
 * otherwise queues the thread in the run's {@link FutexTable} (the virtual kernel's) under the
 * word's {@link Key} and blocks.
 *
 * <p><b>Keys.</b> As in Linux: a futex in private memory (or any futex op with
 * FUTEX_PRIVATE_FLAG) is its process and address; a futex op without the flag on memory mapped
 * MAP_SHARED (a sem_open semaphore, a multiprocessing lock, shared anonymous memory inherited
 * across fork) is the mapped object (device, inode from /proc/PID/maps) and its offset in it, so
 * a wake in one process reaches a simulated waiter in another (the maps are read for a
 * non-private timed wait, and for a non-private wake only while a shared waiter exists).
 *
 * <p><b>Wakes.</b> FUTEX_WAKE and FUTEX_WAKE_BITSET wake simulated waiters of the address first
 * (in the order they began waiting, bitsets matching), then the real call wakes native waiters
 * with what is left of the count, and the call returns the sum. The kernel's own order between
 * waiters is unspecified to the program (futex(2)), so taking the simulated ones first is one of
 * the orders Linux may show; it keeps the run deterministic. FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE wake simulated waiters, then move up to their count of the remaining ones to
 * the second address (in the table), and the real call does the same with the counts left.
 * FUTEX_WAKE_OP's operation on the second word runs natively; its condition is evaluated here
 * on the word as it is at the stop, to wake simulated waiters of the second address.
 *
 * <p><b>Ends of a simulated wait.</b> Woken: 0. Deadline: ETIMEDOUT. A signal that would
 * interrupt (caught, or fatal by default; see {@link PendingSignals}): EINTR, which is what Linux
 * gives a futex wait with a timeout after a handler (ERESTART_RESTARTBLOCK turns into EINTR then;
 * signals that do not interrupt leave the wait running, as Linux restarts it transparently).
 * The clock of an absolute deadline is CLOCK_MONOTONIC, or CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME; FUTEX_WAIT's timeout is relative (a monotonic interval).
 *
 * <p><b>Thread exit.</b> The kernel wakes the futex at a thread's clear_child_tid address
 * (CLONE_CHILD_CLEARTID, set_tid_address) itself, without a syscall, after writing 0 there:
 * pthread_timedjoin_np and pthread_clockjoin_np wait on it with a timeout. So when a thread of a
 * process ends, each simulated waiter of the process whose futex word no longer holds the value
 * it waited on is woken (returns 0). That may also wake a waiter whose word changed for another
 * reason: a spurious wake-up, which futex(2) tells every caller to expect.
 *
 * <p><b>Limits.</b> Private futexes are per traced process (the threads of one process share
 * them; a fork child has its own copy): a CLONE_VM child that is not a thread (vfork) has its own
 * keys, where Linux shares them. A private-flag op and a non-private op on one word meet here,
 * where in Linux they do not (a program mixing them is broken anyway). PI futexes (LOCK_PI,
 * LOCK_PI2, TRYLOCK_PI, UNLOCK_PI, WAIT_REQUEUE_PI, CMP_REQUEUE_PI: their timeouts stay
 * real-time), FUTEX_FD, futex_waitv and the futex_wait/futex_wake/futex_requeue syscalls run
 * natively and know nothing of simulated waiters. When a FUTEX_WAKE_OP's simulated wakes use all of a count, the real call still runs
 * (for its operation) with a count of 0, with which Linux wakes one native waiter: a spurious
 * wake-up.
 *
 * <p>Threading: the tracer's owner thread only.
 */
final class FutexHandlers {
    private FutexHandlers() {}

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    static final int FUTEX_BITSET_MATCH_ANY = -1;

    static HandlerResult futex(Call c) {
        int op = c.intArg(1);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        return switch (cmd) {
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> c.arg(3) == 0 && !c.deadlineArmed() ? HandlerResult.NATIVE_WAIT
                    : timedWait(c, cmd == FUTEX_WAIT_BITSET, realtime);
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> realtime ? HandlerResult.NATIVE
                    : wake(c, cmd == FUTEX_WAKE_BITSET ? c.intArg(5) : FUTEX_BITSET_MATCH_ANY);
            case FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -> realtime ? HandlerResult.NATIVE : requeue(c, cmd == FUTEX_CMP_REQUEUE);
            case FUTEX_WAKE_OP -> realtime ? HandlerResult.NATIVE : wakeOp(c);
            default -> HandlerResult.NATIVE;
        };
    }

    private static FutexTable table(Call c) {
        return c.kernel().futexes();
    }

    /** The calling thread as the futex table sees it: waiting while this call is its blocked one. */
    private static FutexTable.Sleeper sleeper(Call c) {
        return new FutexTable.Sleeper() {
            @Override
            public boolean waiting() {
                return c.thread.blockedIn == c && !c.thread.dying;
            }

            @Override
            public int readWord(long address, int fallback) {
                return c.readInt(address, fallback);
            }
        };
    }

    /**
     * The key of the futex at {@code address} for {@code op}: private unless the op lacks
     * FUTEX_PRIVATE_FLAG and the word lies in a MAP_SHARED mapping. Reads the mappings only when
     * it must: for a wait, or for a wake while some waiter waits on a shared futex.
     */
    private static Key key(Call c, int op, long address, boolean waiting) {
        Key own = new Key(c.thread.process, address);
        if ((op & FUTEX_PRIVATE_FLAG) != 0 || (!waiting && !table(c).anyShared())) {
            return own;
        }
        Key shared = sharedKey(c.thread.process.tgid, address);
        return shared != null ? shared : own;
    }

    /** The mapped object and offset of {@code address} when a MAP_SHARED mapping holds it, else null. */
    static Key sharedKey(int tgid, long address) {
        List<String> maps;
        try {
            maps = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Integer.toString(tgid), "maps"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null;
        }
        for (String line : maps) {
            // start-end perms offset dev inode [path]
            String[] f = line.split("\\s+", 6);
            if (f.length < 5) {
                continue;
            }
            int dash = f[0].indexOf('-');
            long start = Long.parseUnsignedLong(f[0], 0, dash, 16);
            long end = Long.parseUnsignedLong(f[0], dash + 1, f[0].length(), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                if (f[1].length() < 4 || f[1].charAt(3) != 's') {
                    return null;
                }
                return new Key(f[3] + ":" + f[4], Long.parseUnsignedLong(f[2], 16) + (address - start));
            }
        }
        return null;
    }

    /**
     * A wait with a timeout. The first attempt checks the call as the kernel does (timeout,
     * alignment, bitset, word), arms the call's deadline
     * and queues the waiter; each later attempt (the wait fired) sees how it ended.
     */
    private static HandlerResult timedWait(Call c, boolean bitsetOp, boolean realtime) {
        if (c.deadlineArmed()) {
            return waitMore(c);
        }
        return c.withTimespec(c.arg(3), (sec, nsec) -> {
            long address = c.arg(0);
            int bitset = bitsetOp ? c.intArg(5) : FUTEX_BITSET_MATCH_ANY;
            if ((address & 3) != 0 || bitset == 0) {
                return HandlerResult.errno(EINVAL);
            }
            byte[] word = c.read(address, 4);
            if (word == null) {
                return Call.fault();
            }
            int value = java.nio.ByteBuffer.wrap(word).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            if (value != c.intArg(2)) {
                return HandlerResult.errno(EAGAIN);
            }
            long request = Math.multiplyHigh(sec, 1_000_000_000L) != 0 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
            long nowNs = Math.round(c.now() * 1e9);
            long delta = bitsetOp ? request - TimeHandlers.clockNanos(c,
                    realtime ? TimeHandlers.CLOCK_REALTIME : TimeHandlers.CLOCK_MONOTONIC) : request;
            if (delta <= 0) {
                return HandlerResult.errno(ETIMEDOUT);
            }
            c.armDeadline(Math.max(nowNs, nowNs + delta));
            table(c).add(new FutexTable.Waiter(c.thread, c.thread.process, c, sleeper(c), key(c, c.intArg(1), address, true),
                    address, bitset, value));
            return waitMore(c);
        });
    }

    /** Woken: 0; deadline reached: ETIMEDOUT; a signal: EINTR; else blocked on until one comes. */
    private static HandlerResult waitMore(Call c) {
        FutexTable t = table(c);
        FutexTable.Waiter w = t.waiterOf(c.thread);
        if (w == null || w.call != c) {
            return HandlerResult.done(0); // forgotten: cannot happen while the call waits
        }
        if (w.woken()) {
            t.forget(c.thread);
            return HandlerResult.done(0);
        }
        double remaining = c.remaining();
        if (remaining <= 1e-9) {
            t.forget(c.thread);
            return HandlerResult.errno(ETIMEDOUT);
        }
        HandlerResult r = PendingSignals.waitOrInterrupt(c, 0, List.of(w.wake), remaining);
        if (!(r instanceof HandlerResult.BlockAny)) {
            t.forget(c.thread); // EINTR
        }
        return r;
    }

    /** FUTEX_WAKE(_BITSET): simulated waiters first, then native ones with the count left. */
    private static HandlerResult wake(Call c, int bitset) {
        FutexTable t = table(c);
        if (bitset == 0 || t.isEmpty()) {
            return HandlerResult.NATIVE;
        }
        Key address = key(c, c.intArg(1), c.arg(0), false);
        if (!t.has(address)) {
            return HandlerResult.NATIVE; // EINVAL, or nothing simulated to wake
        }
        int n = Math.max(c.intArg(2), 1); // Linux wakes one for a count of 0 or less
        int woken = t.wake(address, bitset, n);
        if (woken >= n) {
            return HandlerResult.done(woken);
        }
        c.stop.setRegs(c.stop.regs().withArg(2, n - woken));
        return sumAtExit(woken);
    }

    private static HandlerResult sumAtExit(int woken) {
        if (woken == 0) {
            return HandlerResult.NATIVE;
        }
        return new HandlerResult.NativeThen(result -> result < 0 ? result : result + woken);
    }

    /**
     * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wake up to val simulated waiters of uaddr, move up to
     * val2 of the others to uaddr2, then the real call does the same for native waiters with the
     * counts left. The return value adds the simulated ones (woken, plus requeued for
     * CMP_REQUEUE, as Linux counts).
     */
    private static HandlerResult requeue(Call c, boolean compare) {
        FutexTable t = table(c);
        int nWake = c.intArg(2);
        int nRequeue = (int) c.arg(3);
        if (t.isEmpty() || nWake < 0 || nRequeue < 0 || (c.arg(0) & 3) != 0 || (c.arg(4) & 3) != 0) {
            return HandlerResult.NATIVE;
        }
        Key address = key(c, c.intArg(1), c.arg(0), false);
        if (!t.has(address)) {
            return HandlerResult.NATIVE;
        }
        if (compare) {
            byte[] word = c.read(c.arg(0), 4);
            if (word == null || c.readInt(c.arg(0), 0) != c.intArg(5)) {
                return HandlerResult.NATIVE; // EFAULT or EAGAIN from the kernel
            }
        }
        int woken = t.wake(address, FUTEX_BITSET_MATCH_ANY, nWake);
        int moved = t.requeue(address, key(c, c.intArg(1), c.arg(4), true), c.arg(4), nRequeue);
        c.stop.setRegs(c.stop.regs().withArg(2, nWake - woken).withArg(3, nRequeue - moved));
        return sumAtExit(compare ? woken + moved : woken);
    }

    /**
     * FUTEX_WAKE_OP: the operation runs natively; its comparison is made here on the second word
     * as the stop finds it, to wake simulated waiters of both addresses with the counts.
     */
    private static HandlerResult wakeOp(Call c) {
        FutexTable t = table(c);
        if (t.isEmpty()) {
            return HandlerResult.NATIVE;
        }
        Key address = key(c, c.intArg(1), c.arg(0), false), address2 = key(c, c.intArg(1), c.arg(4), false);
        if (!t.has(address) && !t.has(address2)) {
            return HandlerResult.NATIVE;
        }
        byte[] word = c.read(c.arg(4), 4);
        if (word == null) {
            return HandlerResult.NATIVE; // EFAULT from the kernel
        }
        int old = c.readInt(c.arg(4), 0);
        int encoded = c.intArg(5);
        int n = Math.max(c.intArg(2), 1), n2 = Math.max((int) c.arg(3), 1);
        int woken = t.wake(address, FUTEX_BITSET_MATCH_ANY, n);
        int woken2 = wakeOpHolds(encoded, old) ? t.wake(address2, FUTEX_BITSET_MATCH_ANY, n2) : 0;
        c.stop.setRegs(c.stop.regs().withArg(2, n - woken).withArg(3, n2 - woken2));
        return sumAtExit(woken + woken2);
    }

    /** The comparison of a FUTEX_WAKE_OP (futex(2): cmp in bits 24-27, cmparg in bits 0-11, signed). */
    static boolean wakeOpHolds(int encoded, int old) {
        int cmp = (encoded >>> 24) & 0xf;
        int arg = (encoded << 20) >> 20;
        return switch (cmp) {
            case 0 -> old == arg;
            case 1 -> old != arg;
            case 2 -> old < arg;
            case 3 -> old <= arg;
            case 4 -> old > arg;
            case 5 -> old >= arg;
            default -> false; // ENOSYS from the kernel
        };
    }
}
