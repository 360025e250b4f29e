package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A live process's real fds probed from outside: whether a read of one would return at once. */
class RealFdProbeTest {
    @Test
    void aReadOfAnEmptyPipeWouldWaitUntilItHasBytesOrItsWriterIsGone() throws Exception {
        // stdin: a pipe whose writer is this JVM
        Process p = new ProcessBuilder("sleep", "30").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (RealFdProbe probe = new RealFdProbe((int) p.pid())) {
            assertThat(probe.readWouldNotWait(0)).as("empty, blocking").isFalse();
            p.getOutputStream().write('x');
            p.getOutputStream().flush();
            assertThat(probe.readWouldNotWait(0)).as("a byte in it").isTrue();
            assertThat(probe.readWouldNotWait(99)).as("not open: EBADF at once").isTrue();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
