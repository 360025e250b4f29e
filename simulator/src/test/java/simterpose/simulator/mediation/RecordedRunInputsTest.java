package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.mediation.inputs.RecordingInputs;
import simterpose.simulator.mediation.inputs.ReplayingInputs;
import simterpose.simulator.mediation.inputs.RunInputs;
import simterpose.simulator.mediation.run.Runner;
import simterpose.simulator.platform.Platform;

/**
 * {@code run --record} / {@code run --replay} below the command line: a measured run whose
 * real-world inputs (CPU time, local speed, a pipe's readiness) are recorded, then replayed from
 * the recording to the same dates and outputs.
 */
class RecordedRunInputsTest {
    @TempDir
    Path dir;

    private static RunOptions measured(Path out) {
        return new RunOptions(out, RunOptions.CpuMode.MEASURED, Double.NaN, 1, RunOptions.DEFAULT_EPOCH, Map.of(), false,
                RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO);
    }

    private RunReport run(Platform p, Path out, RunInputs inputs) throws Exception {
        try (inputs) {
            RunReport r = Runner.run(p, p.deployment(), measured(out), new RunListener() {}, inputs);
            if (inputs instanceof ReplayingInputs replaying) {
                replaying.finish(); // inputs left unread are a divergence too
            }
            Scenario.assertNoneLeft(r);
            assertThat(r.success()).as("%s", r).isTrue();
            return r;
        }
    }

    @Test
    void aMeasuredRunWaitingOnAPipeAndASocketReplaysToTheSameDatesAndOutputs() throws Exception {
        // mixed_wait polls a pipe its writer thread fills every 50 ms and a simulated socket,
        // then a regular file: the pipe's and the file's readiness come from the real kernel.
        Platform p = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", Scenario.app("readiness"), 0, "server", "poll", "5000", "65536")
                .actor("alice", Scenario.app("mixed_wait"), 0.1, "poll", "10.0.0.2", "5000")
                .platform();
        Path rec = dir.resolve("rec");
        RunReport recorded = run(p, dir.resolve("out1"), new RecordingInputs(rec));
        List<String> inputs = ReplayingInputs.describe(rec);
        System.out.printf("recorded %d inputs in %d bytes%n", inputs.size(), Files.size(rec.resolve("run-inputs.sim")));
        assertThat(inputs.getFirst()).startsWith("local speed ");
        assertThat(inputs).anyMatch(l -> l.startsWith("cpu nanos "));
        assertThat(inputs).as("the pipe's and the file's readiness, as polled").anyMatch(l -> l.startsWith("revents "));

        ReplayingInputs replaying = new ReplayingInputs(rec);
        RunReport replayed = run(p, dir.resolve("out2"), replaying);
        assertThat(replaying.divergence()).isEmpty();
        assertThat(replayed.makespan()).isEqualTo(recorded.makespan());
        for (int i = 0; i < 2; i++) {
            assertThat(replayed.actors().get(i).end()).isEqualTo(recorded.actors().get(i).end());
            assertThat(Files.readString(replayed.actors().get(i).stdout()))
                    .isEqualTo(Files.readString(recorded.actors().get(i).stdout()));
        }
    }

    @Test
    void aReplayThatAsksForOtherInputsThanRecordedReportsTheDivergence() throws Exception {
        Platform p = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", Scenario.app("readiness"), 0, "server", "poll", "5000", "65536")
                .actor("alice", Scenario.app("mixed_wait"), 0.1, "poll", "10.0.0.2", "5000")
                .platform();
        Path rec = dir.resolve("rec");
        try (RunInputs none = new RecordingInputs(rec)) {
            assertThat(none.localSpeed(() -> 2e9)).isEqualTo(2e9); // a recording of one input only
        }
        ReplayingInputs replaying = new ReplayingInputs(rec);
        RunReport r;
        try (replaying) {
            r = Runner.run(p, p.deployment(), measured(dir.resolve("out")), new RunListener() {}, replaying);
        }
        Scenario.assertNoneLeft(r);
        assertThat(r.actors()).as("stopped where it diverged").anyMatch(a -> a.outcome() == RunReport.Outcome.INTERRUPTED);
        assertThat(replaying.divergence()).hasValueSatisfying(d -> assertThat(d)
                .startsWith("run --replay diverged at input #1: the run asked for a cpu nanos after the last recorded input"));
    }
}
