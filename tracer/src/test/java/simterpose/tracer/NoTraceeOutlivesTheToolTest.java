package simterpose.tracer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import simterpose.bindings.LibC;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever ends the tracing JVM, its tracee is gone within a second. */
class NoTraceeOutlivesTheToolTest {
    static final int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void sigkillOfTheToolKillsTheTracee() throws Exception {
        endToolWith(SIGKILL);
    }

    @Test
    void sigtermOfTheToolKillsTheTracee() throws Exception {
        endToolWith(SIGTERM);
    }

    @Test
    void sigintOfTheToolKillsTheTracee() throws Exception {
        endToolWith(SIGINT);
    }

    @Test
    void closingTheTracerKillsTheTracee() throws Exception {
        Tracer tracer = Tracer.open(TracerOptions.traceAll());
        Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("sleeper"), "6000"), s -> Resume.CONTINUE);
        assertThat(TestApps.alive(t.pid())).isTrue();
        tracer.close();
        assertThat(t.waitFor(1, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Killed(SIGKILL));
        assertThat(TestApps.alive(t.pid())).isFalse();
    }

    @Test
    void killingATraceeEndsItsWholeTree() throws Exception {
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Tracee t = tracer.launch(LaunchSpec.of("/bin/sh", "-c", "\"$0\" 6000 & \"$0\" 6000; wait",
                    TestApps.path("sleeper")), s -> Resume.CONTINUE);
            Thread.sleep(100);
            t.kill();
            assertThat(t.waitFor(2, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Killed(SIGKILL));
        }
        assertThat(TestApps.stoppedTestApps()).isEmpty();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(TestApps.path("sleeper") + " 6000")))
                .isEmpty();
    }

    private static void endToolWith(int signal) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // The child JVM is not a tracee: ProcessBuilder is fine for it. It starts as from a terminal
        // (env resets SIGINT): a suite started in the background inherits SIGINT ignored.
        Process tool = new ProcessBuilder("env", "--default-signal=INT", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TraceForever.class.getName(), TestApps.path("sleeper"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int traceePid;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(tool.getInputStream(), StandardCharsets.UTF_8))) {
            traceePid = Integer.parseInt(r.readLine().trim());
            assertThat(TestApps.alive(traceePid)).isTrue();
            LibC.kill((int) tool.pid(), signal);
            assertThat(tool.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            tool.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (TestApps.alive(traceePid) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(TestApps.alive(traceePid)).as("tracee %d after signal %d to the tool", traceePid, signal).isFalse();
        assertThat(List.of(ProcessHandle.of(traceePid).isPresent() && TestApps.alive(traceePid))).containsOnly(false);
    }
}
