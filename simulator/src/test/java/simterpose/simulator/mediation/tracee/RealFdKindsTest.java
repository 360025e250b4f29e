package simterpose.simulator.mediation.tracee;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which real fds of a live process a read or write may block on, read from its /proc/…/fd. */
class RealFdKindsTest {
    @TempDir
    Path dir;

    @Test
    void aPipeMayBlockButARegularFileAndDevNullDoNotAndAClosedFdIsForgotten() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        // stdin a pipe from this JVM, stdout a regular file, stderr /dev/null
        Process p = new ProcessBuilder("sleep", "30").redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            RealFdKinds kinds = new RealFdKinds((int) p.pid());
            assertThat(kinds.mayBlock(0)).as("a pipe").isTrue();
            assertThat(kinds.mayBlock(1)).as("a regular file").isFalse();
            assertThat(kinds.mayBlock(2)).as("/dev/null").isFalse();
            assertThat(kinds.mayBlock(99)).as("not open").isFalse();
            assertThat(kinds.mayBlock(0)).as("kept").isTrue();

            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            assertThat(kinds.mayBlock(0)).as("still the pipe it was, until forgotten").isTrue();
            kinds.forget(0);
            assertThat(kinds.mayBlock(0)).as("read again: the process is gone").isFalse();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
