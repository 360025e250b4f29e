package simterpose.simulator.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import simterpose.simulator.engine.Signal;

/**
 * The run's simulated futex waiters (futex waits with a timeout, in simulated time), by
 * {@link Key}, each queue in waiting order: what Linux's futex hash table holds, for the waits
 * the simulation answers. Wakes take waiters in the order they began waiting, bitsets matching;
 * requeues move them to another key; a thread's exit wakes the waiters of its process whose word
 * changed (the kernel clears and wakes clear_child_tid without a syscall). Who a waiter is (a
 * traced thread, its process, its call) is the caller's: the table only compares them.
 *
 * <p>Threading: the tracer's owner thread only (it runs the simulation).
 */
public final class FutexTable {
    /**
     * What identifies a futex: {@code space} is the waiter's process for private memory, or
     * "dev:inode" of a MAP_SHARED mapping; {@code offset} the address, or the offset in that object.
     */
    public record Key(Object space, long offset) {
        public boolean shared() {
            return space instanceof String;
        }
    }

    /** What the table asks of a waiting thread. */
    public interface Sleeper {
        /** Still waiting: not ended by a kill, its process's end, or another call. */
        boolean waiting();

        /** The 32-bit word at {@code address} in its memory, or {@code fallback} if unreadable. */
        int readWord(long address, int fallback);
    }

    /** One thread waiting in the simulation. */
    public static final class Waiter {
        final Object thread;
        final Object process;
        /** The call that waits: a later call of the same thread is another wait. */
        public final Object call;
        final Sleeper sleeper;
        /** The futex it waits on; a requeue changes it. */
        Key address;
        /** The word's address in the waiter's memory; a requeue changes it. */
        long word;
        final int bitset;
        final int value;
        /** Fires when the waiter is woken. */
        public final Signal wake = new Signal();
        boolean woken;

        public Waiter(Object thread, Object process, Object call, Sleeper sleeper, Key address, long word, int bitset,
                      int value) {
            this.thread = thread;
            this.process = process;
            this.call = call;
            this.sleeper = sleeper;
            this.address = address;
            this.word = word;
            this.bitset = bitset;
            this.value = value;
        }

        /** True once a wake, requeue-wake or thread exit reached it. */
        public boolean woken() {
            return woken;
        }

        private boolean live() {
            return sleeper.waiting();
        }
    }

    private final Map<Key, ArrayDeque<Waiter>> byAddress = new HashMap<>();
    private final Map<Object, Waiter> byThread = new HashMap<>();
    /** Waiters on MAP_SHARED futexes: while none, a wake needs no look at the mappings. */
    private int shared;

    public boolean isEmpty() {
        return byThread.isEmpty();
    }

    /** True when some waiter waits on a MAP_SHARED futex (a wake must then find its shared key). */
    public boolean anyShared() {
        return shared > 0;
    }

    /** Queues {@code w} last on its key. */
    public void add(Waiter w) {
        byAddress.computeIfAbsent(w.address, a -> new ArrayDeque<>()).add(w);
        byThread.put(w.thread, w);
        if (w.address.shared()) {
            shared++;
        }
    }

    /** The wait of {@code thread}, or null. */
    public Waiter waiterOf(Object thread) {
        return byThread.get(thread);
    }

    private void drop(Waiter w) {
        if (byThread.remove(w.thread, w) && w.address.shared()) {
            shared--;
        }
    }

    private void unqueue(Waiter w) {
        ArrayDeque<Waiter> q = byAddress.get(w.address);
        if (q != null) {
            q.remove(w);
            if (q.isEmpty()) {
                byAddress.remove(w.address);
            }
        }
    }

    /** Forgets {@code thread}'s wait (ended or the thread is gone). */
    public void forget(Object thread) {
        Waiter w = byThread.get(thread);
        if (w != null) {
            unqueue(w);
            drop(w);
        }
    }

    /** True when someone waits on {@code address}. */
    public boolean has(Key address) {
        return byAddress.containsKey(address);
    }

    /** Wakes up to {@code n} waiters of {@code address} whose bitset meets {@code bitset}; returns how many. */
    public int wake(Key address, int bitset, int n) {
        ArrayDeque<Waiter> q = byAddress.get(address);
        int woken = 0;
        if (q == null) {
            return 0;
        }
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && woken < n; ) {
            Waiter w = it.next();
            if (!w.live()) {
                it.remove();
                drop(w);
            } else if ((w.bitset & bitset) != 0) {
                it.remove();
                w.woken = true;
                w.wake.signalAll(WakeCause.FUTEX_WAKE);
                woken++;
            }
        }
        if (q.isEmpty()) {
            byAddress.remove(address);
        }
        return woken;
    }

    /** Moves up to {@code n} waiters of {@code from} to {@code to} (word {@code toWord}), in order; returns how many. */
    public int requeue(Key from, Key to, long toWord, int n) {
        ArrayDeque<Waiter> q = byAddress.get(from);
        List<Waiter> moved = new ArrayList<>();
        if (q == null || from == to) {
            return 0;
        }
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && moved.size() < n; ) {
            Waiter w = it.next();
            it.remove();
            if (w.live()) {
                moved.add(w);
            } else {
                drop(w);
            }
        }
        if (q.isEmpty()) {
            byAddress.remove(from);
        }
        for (Waiter w : moved) {
            shared += (to.shared() ? 1 : 0) - (w.address.shared() ? 1 : 0);
            w.address = to;
            w.word = toWord;
            byAddress.computeIfAbsent(to, a -> new ArrayDeque<>()).add(w);
        }
        return moved.size();
    }

    /**
     * A thread of {@code process} ended: the kernel may have cleared and woken its
     * clear_child_tid word. Wakes each waiter of the process whose word no longer holds its value.
     */
    public void threadEnded(Object process) {
        if (byThread.isEmpty()) {
            return;
        }
        for (Waiter w : List.copyOf(byThread.values())) {
            if (w.process == process && !w.woken && w.live() && w.sleeper.readWord(w.word, w.value) != w.value) {
                unqueue(w);
                w.woken = true;
                w.wake.signalAll(WakeCause.FUTEX_WAKE);
            }
        }
    }
}
