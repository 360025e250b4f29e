package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.mediation.inputs.ReplayingInputs;

/**
 * {@code run --record=DIR} then {@code run --replay=DIR} on the README's example with the
 * measured CPU model, in fresh JVMs started from the repository root: the replay gives the
 * recorded report and output files; an unrecorded measured run gives another.
 */
class RunRecordReplayTest {
    @TempDir
    Path dir;

    private final RunEndToEndTest runs = new RunEndToEndTest();

    private RunEndToEndTest.Result example(String out, String... more) throws Exception {
        runs.dir = dir;
        List<String> args = new java.util.ArrayList<>(List.of("examples/two-hosts.xml", "examples/client-server.xml",
                "--cpu-model=measured", "--progress=0", "-o", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        return runs.run(args.toArray(String[]::new));
    }

    /** The report without its wall-time line (the one thing a replay does not repeat). */
    private static String withoutWallTime(String report) {
        return report.lines().filter(l -> !l.startsWith("wall time: ")).reduce("", (a, b) -> a + b + "\n");
    }

    private static String makespan(String report) {
        return report.lines().findFirst().orElseThrow();
    }

    private void assertSameFiles(Path a, Path b) throws Exception {
        try (Stream<Path> files = Files.list(a)) {
            List<Path> names = files.map(Path::getFileName).sorted().toList();
            assertThat(names).isNotEmpty();
            for (Path name : names) {
                assertThat(Files.readString(b.resolve(name))).as("%s", name).isEqualTo(Files.readString(a.resolve(name)));
            }
        }
        try (Stream<Path> files = Files.list(b)) {
            assertThat(files.count()).isEqualTo(Files.list(a).count());
        }
    }

    @Test
    void aMeasuredRunReplaysToTheRecordedReportAndOutputsAndAnUnrecordedOneDiffers() throws Exception {
        Path rec = dir.resolve("rec");
        RunEndToEndTest.Result recorded = example("out1", "--record=" + rec);
        assertThat(recorded.exit()).as(recorded.out() + recorded.err()).isZero();
        RunEndToEndTest.Result replayed = example("out2", "--replay=" + rec);
        assertThat(replayed.exit()).as(replayed.out() + replayed.err()).isZero();
        assertThat(withoutWallTime(replayed.out())).isEqualTo(withoutWallTime(recorded.out()));
        assertSameFiles(dir.resolve("out1"), dir.resolve("out2"));

        // Another measured run, not replayed: other CPU times, so another makespan (printed to
        // 1e-9 s); should it come out equal, its measured CPU samples at least are not the recorded ones.
        Path rec3 = dir.resolve("rec3");
        RunEndToEndTest.Result other = example("out3", "--record=" + rec3);
        assertThat(other.exit()).as(other.out() + other.err()).isZero();
        if (makespan(other.out()).equals(makespan(recorded.out()))) {
            assertThat(ReplayingInputs.describe(rec3).stream().filter(l -> l.startsWith("cpu nanos ")).toList())
                    .isNotEqualTo(ReplayingInputs.describe(rec).stream().filter(l -> l.startsWith("cpu nanos ")).toList());
        } else {
            assertThat(makespan(other.out())).isNotEqualTo(makespan(recorded.out()));
        }
    }

    @Test
    void aReplayOfAnotherRunStopsWithADivergenceAndExitStatus3() throws Exception {
        Path rec = dir.resolve("rec");
        assertThat(example("out1", "--record=" + rec).exit()).isZero();
        RunEndToEndTest.Result r = example("out2", "--replay=" + rec, "--local-speed=1Gf"); // no speed to measure
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("simterpose run: run --replay diverged at input #0: recorded a local speed, "
                + "the run asked for a cpu nanos");
    }

    @Test
    void aDirectoryWithoutARecordingIsOneErrorAndNothingRuns() throws Exception {
        RunEndToEndTest.Result r = example("out", "--replay=" + dir.resolve("none"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("simterpose: " + dir.resolve("none/run-inputs.sim")
                + ": no such file (expected a directory written by run --record)");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
