package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/**
 * What a handler may change in a new image at its exec stop (the registers are there, rsp at
 * argc): the AT_RANDOM bytes; and launching without ASLR fixes the image's addresses.
 */
class ExecImageTest {
    static final int NR_GETPPID = SyscallTable.number("getppid");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    /** Runs the randomness app; {@code atRandom} (if not null) replaces its AT_RANDOM bytes. */
    private Map<String, String> randomness(TracerOptions options, byte[] atRandom) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("randomness")).withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.Exec && atRandom != null) {
                    assertThat(Auxv.replaceRandomBytes(stop.memory(), stop.regs().rsp(), atRandom)).isTrue();
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        Map<String, String> fields = new HashMap<>();
        for (String kv : Files.readString(out).strip().substring("RESULT ".length()).split(" ")) {
            fields.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return fields;
    }

    @Test
    void theAtRandomBytesAreTheOnesWrittenAtTheExecStop() throws Exception {
        byte[] bytes = new byte[Auxv.RANDOM_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0xa0 + i);
        }
        TracerOptions options = TracerOptions.filter(Set.of(NR_GETPPID));
        assertThat(randomness(options, bytes).get("at_random")).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
        assertThat(randomness(options, null).get("at_random")).isNotEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    }

    @Test
    void withoutAslrTheStackHeapAndLibrariesStayPutFromLaunchToLaunch() throws Exception {
        TracerOptions fixed = TracerOptions.filter(Set.of(NR_GETPPID)).withoutAslr();
        Map<String, String> a = randomness(fixed, null);
        Map<String, String> b = randomness(fixed, null);
        TracerOptions random = TracerOptions.filter(Set.of(NR_GETPPID));
        Map<String, String> c = randomness(random, null);
        Map<String, String> d = randomness(random, null);
        for (String address : new String[] {"stack", "heap", "libc"}) {
            assertThat(b.get(address)).as(address).isEqualTo(a.get(address));
            assertThat(d.get(address)).as(address).isNotEqualTo(c.get(address));
        }
    }
}
