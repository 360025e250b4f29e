package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The views' threads yield to the run: their own nice value is raised, not their process's. */
class ViewThreadsTest {
    @Test
    void aViewsThreadRunsAtNiceTenAndTheOtherThreadsKeepTheirs() throws Exception {
        int before = ViewThreads.niceOfThisThread();
        AtomicInteger seen = new AtomicInteger(Integer.MIN_VALUE);
        Thread views = Thread.ofPlatform().start(() -> {
            ViewThreads.yieldToTheRun();
            try {
                seen.set(ViewThreads.niceOfThisThread());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        views.join();
        assertThat(seen.get()).isEqualTo(Math.max(before, ViewThreads.NICE)); // a nicer caller stays as nice
        assertThat(ViewThreads.niceOfThisThread()).isEqualTo(before);
    }
}
