package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's runs that repeat bit for bit: the run's processes live in a PID namespace of their
 * own, so a program that seeds its generator with its pid prints the same bytes every run, and
 * its pids are small numbers given in creation order (pid 1 is the namespace's init).
 */
class OwnPidsUnderSimulationTest {
    @TempDir
    Path dir;

    private List<String> runTwice(String name, java.util.function.Function<Scenario, Scenario> actors) throws Exception {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path runDir = java.nio.file.Files.createDirectories(dir.resolve(name + i));
            Scenario s = actors.apply(new Scenario(runDir, "CM02", "10MBps", "5ms"));
            RunReport r = s.run(Scenario.options(runDir.resolve("out")), new RunListener() {});
            assertThat(r.deadlock()).isEmpty();
            StringBuilder all = new StringBuilder();
            for (RunReport.ActorReport a : r.actors()) {
                assertThat(a.exitCode()).as(a.name() + " exit").isZero();
                all.append(a.name()).append(":\n").append(Scenario.text(a.stdout())).append(Scenario.text(a.stderr()));
            }
            outputs.add(all.toString());
        }
        assertThat(outputs.get(1)).as(name + ": the second run's output").isEqualTo(outputs.get(0));
        return List.of(outputs.get(0).split("\n"));
    }

    @Test
    void aForkingProgramSeesTheSameSmallPidsAndPrintsTheSameBytesEveryRun() throws Exception {
        List<String> lines = runTwice("family", s -> s.actor("alice", Scenario.app("pid_family"), 0, "3"));
        // pid 1 is the init; the actor is pid 2, its thread 3, then each child in fork order
        assertThat(lines).contains(
                "parent pid=2 ppid=0 tid=2 proc_self=2 stat_pid=2 rand=" + randSeededWith(2),
                "thread tid=3",
                "child0 pid=4 ppid=2 tid=4 proc_self=4 stat_pid=4 rand=" + randSeededWith(4),
                "parent forked 4 reaped 4 status 0",
                "parent forked 6 reaped 6 status 2",
                "child2 forked 7",
                "grandchild pid=7 ppid=1 tid=7 proc_self=7 stat_pid=7 rand=" + randSeededWith(7));
    }

    @Test
    void aPythonProgramSeededWithItsPidRepeats() throws Exception {
        List<String> lines = runTwice("python", s -> s
                .actor("alice", "/usr/bin/python3", 0, "-c",
                        "import os, random; random.seed(os.getpid()); print(os.getpid(), os.getppid(), random.random())")
                .actor("bob", "/usr/bin/python3", 0.5, "-c",
                        "import os; print(os.getpid(), os.path.realpath('/proc/self'), sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))"));
        assertThat(lines.get(1)).startsWith("2 0 ");
        // the second actor is the run's next process, and sees only the run's processes in /proc
        assertThat(lines.get(3)).isEqualTo("3 /proc/3 [1, 3]");
    }

    /** glibc's rand() after srand(seed), computed the way glibc's TYPE_3 generator does. */
    private static int randSeededWith(int seed) {
        int[] r = new int[344];
        r[0] = seed;
        for (int i = 1; i < 31; i++) {
            long hi = r[i - 1] / 127773, lo = r[i - 1] % 127773;
            long word = 16807 * lo - 2836 * hi;
            if (word < 0) {
                word += 2147483647;
            }
            r[i] = (int) word;
        }
        for (int i = 31; i < 34; i++) {
            r[i] = r[i - 31];
        }
        for (int i = 34; i < 344; i++) {
            r[i] = r[i - 31] + r[i - 3];
        }
        return (r[344 - 31] + r[344 - 3]) >>> 1; // the first output: r[344] >> 1
    }
}
