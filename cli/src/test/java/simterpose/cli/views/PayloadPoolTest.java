package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload memory a capture reuses: sizes, alignment, reuse, and the bound on what waits. */
class PayloadPoolTest {
    @Test
    void memoryGivenBackIsTheNextOfItsSizeAndOthersAreNew() {
        PayloadPool pool = new PayloadPool();
        MemorySegment a = pool.take(12_500); // 100 kB
        assertThat(a.byteSize()).isEqualTo(8 * 16_384);
        assertThat(a.isNative()).isTrue();
        assertThat(a.address() % 8).isZero();
        assertThat(pool.take(1).byteSize()).isEqualTo(8 * PayloadPool.MIN_WORDS);
        pool.give(a.asSlice(0, 100_000)); // a payload is handed on as a slice of its memory
        assertThat(pool.pooledWords()).isEqualTo(16_384);
        assertThat(pool.take(9_000)).isEqualTo(a);
        assertThat(pool.pooledWords()).isZero();
        assertThat(pool.take(16_384).address()).isNotEqualTo(a.address());
        assertThat(pool.take(16_385).byteSize()).isEqualTo(8 * 32_768);
    }

    @Test
    void theMemoryGivenBackLastIsTakenFirstAndADoubleSizeBeforeNewMemory() {
        PayloadPool pool = new PayloadPool();
        MemorySegment first = pool.take(12_500);
        MemorySegment second = pool.take(12_500);
        MemorySegment third = pool.take(12_500);
        pool.give(first);
        pool.give(second);
        pool.give(third);
        // the writer read the last one just now: the run's copy into it finds it in the caches
        assertThat(pool.take(12_500)).isEqualTo(third);
        assertThat(pool.take(12_500)).isEqualTo(second);
        MemorySegment half = pool.take(5_000); // 8192 words: none free, one of 16384 is
        assertThat(half).isEqualTo(first);
        assertThat(pool.pooledWords()).isZero();
        pool.give(half.asSlice(0, 40_000));
        assertThat(pool.pooledWords()).as("back in the list of its own size").isEqualTo(16_384);
        assertThat(pool.take(4_000).address()).as("four times the size is not taken: new memory")
                .isNotEqualTo(first.address());
        assertThat(pool.pooledWords()).isEqualTo(16_384);
        assertThat(pool.take(16_000)).isEqualTo(first);
    }

    @Test
    void theWriterMakesAheadTwiceTheNewMemoryTheRunHadToTake() {
        PayloadPool pool = new PayloadPool();
        pool.restock();
        assertThat(pool.pooledWords()).as("nothing missed: nothing made").isZero();
        MemorySegment given = pool.take(12_500);
        pool.take(12_500);
        pool.take(600);
        pool.give(given);
        pool.restock();
        assertThat(pool.pooledWords()).isEqualTo(16_384 + 4 * 16_384 + 2 * 1024);
        assertThat(pool.take(12_500)).as("the piece given back first: it is in the caches").isEqualTo(given);
        for (int i = 0; i < 4; i++) {
            assertThat(pool.take(12_500).byteSize()).isEqualTo(8 * 16_384);
        }
        assertThat(pool.pooledWords()).isEqualTo(2 * 1024);
        pool.restock();
        assertThat(pool.pooledWords()).as("taken from the stock: nothing missed").isEqualTo(2 * 1024);
    }

    @Test
    void memoryNotOfThePoolIsDroppedAndTheFreeListsStayBounded() {
        PayloadPool pool = new PayloadPool();
        pool.give(MemorySegment.ofArray(new long[1024])); // on the heap: not ours
        MemorySegment once = pool.take(600);
        pool.give(once);
        pool.give(once); // given back twice: kept once
        assertThat(pool.pooledWords()).isEqualTo(1024);
        pool = new PayloadPool();
        int big = 1 << 22;
        List<MemorySegment> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(pool.take(big));
        }
        taken.forEach(pool::give);
        assertThat(pool.pooledWords()).isEqualTo(PayloadPool.MAX_POOLED_WORDS);
        assertThat(pool.take(big).byteSize()).isEqualTo(8L * big);
        assertThat(pool.pooledWords()).isEqualTo(PayloadPool.MAX_POOLED_WORDS - big);
    }
}
