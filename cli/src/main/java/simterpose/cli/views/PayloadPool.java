package simterpose.cli.views;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory TCP segments' payloads are copied into for {@code --pcap} (with the payload), given
 * back once both hosts' files hold the segment. Without it a capture of every byte sent
 * allocated as much as was sent: for 10 000 sends of 100 kB, a gigabyte of long[] that the
 * serial collector copied while the run stood still (12 pauses, 342 ms of a 2.45 s run). The
 * memory is native: pooled arrays on the heap outlived the young collections and were copied
 * into the old generation anyway (130-330 ms of pauses for a run of 1 GB, against 21 ms with
 * the headers only).
 *
 * <p>Taken on the run's thread, given back on the views' writer thread. Pieces come in
 * power-of-two numbers of 64-bit words (at least {@link #MIN_WORDS}), 8-byte aligned, one free
 * list per size; at most {@link #MAX_POOLED_WORDS} words wait in the lists, the rest is left to
 * the collector (each piece has an automatic arena of its own, freed once unreachable).
 *
 * <p>Each list is a stack: the piece given back last is taken first, still in the caches (the
 * writer thread has just read it), where the oldest one was in memory only: the run's copy into
 * it is on the run's critical path. When a size has no free piece, one of twice the size is
 * taken rather than new memory (zeroed and faulted in on the run's thread). New memory the run
 * had to take is made ahead by the writer thread ({@link #restock}): twice as many pieces of
 * that size as the run missed since the last time, so that a capture whose writer falls behind
 * (more payload in flight, more pieces) zeroes and faults them in off the run's thread.
 */
final class PayloadPool {
    static final int MIN_WORDS = 512;
    /** 128 MB: above what the views' queue lets wait (64 MB of payload) plus what is in flight. */
    static final long MAX_POOLED_WORDS = 16L << 20;
    /** Sizes up to 2^26 words (512 MB) are pooled; a longer payload gets memory of its own. */
    private static final int MAX_SHIFT = 26;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedDeque<MemorySegment>[] free = new ConcurrentLinkedDeque[MAX_SHIFT + 1];
    /** The pieces taken and not given back, by address (a payload is handed on as a slice of its piece). */
    private final ConcurrentHashMap<Long, MemorySegment> taken = new ConcurrentHashMap<>();
    private final AtomicLong pooledWords = new AtomicLong();
    /** Pieces of each size the run took as new memory since the last {@link #restock}. */
    private final AtomicIntegerArray missed = new AtomicIntegerArray(MAX_SHIFT + 1);

    PayloadPool() {
        for (int i = 0; i < free.length; i++) {
            free[i] = new ConcurrentLinkedDeque<>();
        }
    }

    /** Memory of at least {@code words} words (its content is anything). */
    MemorySegment take(int words) {
        int shift = shiftFor(words);
        if (shift > MAX_SHIFT) {
            return MemorySegment.ofArray(new long[words]);
        }
        MemorySegment m = free[shift].pollFirst();
        if (m == null && shift < MAX_SHIFT) {
            m = free[shift + 1].pollFirst(); // twice the size rather than new memory (zeroed, and faulted in on the run's thread)
        }
        if (m == null) {
            m = Arena.ofAuto().allocate(8L << shift, 8);
            missed.incrementAndGet(shift);
        } else {
            pooledWords.addAndGet(-(m.byteSize() / 8));
        }
        taken.put(m.address(), m);
        return m;
    }

    /** Gives back memory {@link #take} returned (or a slice of it from its start), which nobody reads any more. */
    void give(MemorySegment slice) {
        MemorySegment m = slice.isNative() ? taken.remove(slice.address()) : null;
        if (m == null) {
            return; // not one of ours
        }
        long words = m.byteSize() / 8;
        if (pooledWords.addAndGet(words) > MAX_POOLED_WORDS) {
            pooledWords.addAndGet(-words);
            return;
        }
        free[Long.numberOfTrailingZeros(words)].addFirst(m);
    }

    /**
     * Makes, on the calling thread (the writer's), twice as many pieces of each size as the run
     * took as new memory since the last call, within {@link #MAX_POOLED_WORDS}; they wait behind
     * the pieces given back (which are still in the caches).
     */
    void restock() {
        for (int shift = 0; shift <= MAX_SHIFT; shift++) {
            int n = missed.get(shift) == 0 ? 0 : missed.getAndSet(shift, 0);
            long words = 1L << shift;
            for (int i = 0; i < 2 * n; i++) {
                if (pooledWords.addAndGet(words) > MAX_POOLED_WORDS) {
                    pooledWords.addAndGet(-words);
                    return;
                }
                free[shift].addLast(Arena.ofAuto().allocate(8L << shift, 8));
            }
        }
    }

    /** Words waiting in the free lists. */
    long pooledWords() {
        return pooledWords.get();
    }

    private static int shiftFor(int words) {
        int n = Math.max(words, MIN_WORDS);
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
