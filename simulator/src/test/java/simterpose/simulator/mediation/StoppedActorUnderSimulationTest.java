package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An actor stopped by SIGSTOP is blocked until SIGCONT, as on Linux: the other actors go on
 * meanwhile (the run does not freeze), and a run where nobody continues it is a deadlock that
 * names the stop.
 */
class StoppedActorUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStoppedActorWaitsForSigcontWhileTheOthersGoOn() {
        Path pid = dir.resolve("pid");
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("alice", "/bin/sh", 0, "-c", "echo $$ > " + pid + "; kill -STOP $$; echo resumed")
                .actor("bob", "/bin/sh", 0.5, "-c", "sleep 2; kill -CONT $(cat " + pid + "); echo continued it");
        RunReport r = s.run();
        assertThat(Scenario.text(r.actors().get(0).stdout())).isEqualTo("resumed\n");
        assertThat(Scenario.text(r.actors().get(1).stdout())).isEqualTo("continued it\n");
        // bob's two simulated seconds passed while alice was stopped; she ended after them
        assertThat(r.actors().get(0).end()).isGreaterThanOrEqualTo(2.5);
        assertThat(r.actors()).allSatisfy(a -> assertThat(a.exitCode()).isZero());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anActorStoppedForEverIsADeadlockThatSaysSo() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("alice", "/bin/sh", 0, "-c", "kill -STOP $$; echo never")
                .actor("bob", "/bin/sh", 0, "-c", "sleep 1; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo done");
        java.util.List<RunListener.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunOptions every5ms = new RunOptions(dir.resolve("out"), RunOptions.CpuMode.NONE, Double.NaN, 1, RunOptions.DEFAULT_EPOCH,
                java.util.Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, java.time.Duration.ofMillis(5));
        RunReport r = s.run(every5ms, new RunListener() {
            @Override
            public void progress(Progress p) {
                progress.add(p);
            }
        });
        assertThat(Scenario.text(r.actors().get(1).stdout())).isEqualTo("done\n");
        // while bob counted (natively, tens of ms), the progress line showed alice stopped
        assertThat(progress).anySatisfy(p -> assertThat(p.threadsStopped()).isEqualTo(1));
        assertThat(r.deadlock()).isPresent();
        assertThat(r.deadlock().orElseThrow().blocked()).singleElement()
                .satisfies(b -> assertThat(b.syscall()).isEqualTo("stopped by a signal (SIGSTOP or SIGTSTP), waiting for SIGCONT"));
    }
}
