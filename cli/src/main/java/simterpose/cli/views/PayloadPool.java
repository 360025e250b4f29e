package simterpose.cli.views;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arrays TCP segments' payloads are copied into for {@code --pcap} (with the payload), given
 * back once both hosts' files hold the segment. Without it a capture of every byte sent
 * allocated as much as was sent: for 10 000 sends of 100 kB, a gigabyte of long[] that the
 * serial collector copied while the run stood still (12 pauses, 342 ms of a 2.45 s run).
 *
 * <p>Taken on the run's thread, given back on the views' writer thread. Arrays come in
 * power-of-two lengths (at least {@link #MIN_WORDS}), one free list per length; at most
 * {@link #MAX_POOLED_WORDS} words wait in the lists, the rest is left to the collector.
 */
final class PayloadPool {
    static final int MIN_WORDS = 512;
    /** 128 MB: above what the views' queue lets wait (64 MB of payload) plus what is in flight. */
    static final long MAX_POOLED_WORDS = 16L << 20;
    /** Lengths up to 2^26 words (512 MB) are pooled; a longer payload gets an array of its own. */
    private static final int MAX_SHIFT = 26;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<long[]>[] free = new ConcurrentLinkedQueue[MAX_SHIFT + 1];
    private final AtomicLong pooledWords = new AtomicLong();

    PayloadPool() {
        for (int i = 0; i < free.length; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** An array of at least {@code words} words (its content is anything). */
    long[] take(int words) {
        int shift = shiftFor(words);
        if (shift > MAX_SHIFT) {
            return new long[words];
        }
        long[] a = free[shift].poll();
        if (a == null) {
            return new long[1 << shift];
        }
        pooledWords.addAndGet(-a.length);
        return a;
    }

    /** Gives back an array {@link #take} returned, which nobody reads any more. */
    void give(long[] a) {
        int shift = Integer.numberOfTrailingZeros(a.length);
        if (Integer.bitCount(a.length) != 1 || shift > MAX_SHIFT || a.length < MIN_WORDS) {
            return; // not one of ours
        }
        if (pooledWords.addAndGet(a.length) > MAX_POOLED_WORDS) {
            pooledWords.addAndGet(-a.length);
            return;
        }
        free[shift].add(a);
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
