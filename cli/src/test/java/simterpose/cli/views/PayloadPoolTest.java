package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The payload arrays a capture reuses: lengths, reuse, and the bound on what waits. */
class PayloadPoolTest {
    @Test
    void anArrayGivenBackIsTheNextOfItsLengthAndOthersAreNew() {
        PayloadPool pool = new PayloadPool();
        long[] a = pool.take(12_500); // 100 kB
        assertThat(a).hasSize(16_384);
        assertThat(pool.take(1)).hasSize(PayloadPool.MIN_WORDS);
        pool.give(a);
        assertThat(pool.pooledWords()).isEqualTo(16_384);
        assertThat(pool.take(9_000)).isSameAs(a);
        assertThat(pool.pooledWords()).isZero();
        assertThat(pool.take(16_384)).isNotSameAs(a).hasSize(16_384);
        assertThat(pool.take(16_385)).hasSize(32_768);
    }

    @Test
    void arraysNotOfThePoolAreDroppedAndTheFreeListsStayBounded() {
        PayloadPool pool = new PayloadPool();
        pool.give(new long[1000]); // not a power of two
        pool.give(new long[256]); // below the least length
        assertThat(pool.pooledWords()).isZero();
        int big = 1 << 22;
        for (int i = 0; i < 5; i++) {
            pool.give(new long[big]);
        }
        assertThat(pool.pooledWords()).isEqualTo(PayloadPool.MAX_POOLED_WORDS).isEqualTo(4L * big);
        assertThat(pool.take(big)).hasSize(big);
        assertThat(pool.pooledWords()).isEqualTo(3L * big);
    }
}
