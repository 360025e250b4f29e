package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --verify} as a user runs it (a fresh JVM in the repository root): every example
 * repeats call for call under {@code --cpu-model=none}; a run that reads the real world differs,
 * and the first difference is named; under {@code measured} the CPU-time reads make runs differ
 * unless the second run replays the first one's inputs ({@code --record}).
 */
class RunVerifyTest {
    static final Path ROOT = RunEndToEndTest.ROOT;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /**
     * PATH without a user's shims first: a shim such as pyenv's {@code python3} is a bash script that
     * forks, and a SIGCHLD reaching a process that runs natively at the same time lands at a
     * point that depends on real timing (see the README's {@code --verify} row).
     */
    Result run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(javaMain());
        argv.add("run");
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt"), err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("simterpose run --verify timed out");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Every deployment of examples/ with its platform (named in its opening comment: "Deployment for X.xml"). */
    static List<String[]> examples() throws Exception {
        List<String[]> pairs = new ArrayList<>();
        Pattern forPlatform = Pattern.compile("Deployment for ([\\w.-]+\\.xml)");
        try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
            for (Path f : files.sorted().toList()) {
                Matcher m = forPlatform.matcher(Files.readString(f));
                if (m.find()) {
                    pairs.add(new String[] {"examples/" + m.group(1), "examples/" + f.getFileName()});
                }
            }
        }
        return pairs;
    }

    @Test
    void everyExampleRepeatsCallForCallWithoutTheCpuModel() throws Exception {
        List<String[]> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (String[] e : examples) {
            Result r = run(e[0], e[1], "--verify", "--cpu-model=none", "-o", dir.resolve("out").toString());
            assertThat(r.exit()).as(e[1] + ": " + r.out() + r.err()).isZero();
            assertThat(r.out()).as(e[1]).containsPattern("verify: identical \\(two runs: [1-9]\\d* stopped syscalls each");
        }
    }

    @Test
    void aProgramThatReadsTheRealWorldDiffersAtTheCallThatShowsIt() throws Exception {
        Path platform = Files.writeString(dir.resolve("uptime.xml"), """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full"><host id="alice" speed="1Gf"/></zone>
                  <actor host="alice" function="/bin/cat"><argument value="/proc/uptime"/></actor>
                </platform>
                """);
        Result r = run(platform.toString(), "--verify", "--cpu-model=none", "-o", dir.resolve("out").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(RunVerification.DIFFER);
        // cat's write of what it read: the real machine's uptime, different in the second run
        assertThat(r.out()).containsPattern("verify: runs differ at actor cat \\(#1 of the deployment\\), thread 0, "
                + "syscall #\\d+ of that thread: bytes the call read or wrote .*second run: write\\(1, \"\\d+\\.\\d+ ");
        assertThat(r.out()).doesNotContain("--cpu-model=none gives");
    }

    @Test
    void underTheMeasuredCpuModelRunsDifferUnlessTheSecondReplaysTheFirstsInputs() throws Exception {
        String out = dir.resolve("out").toString();
        Result live = run("examples/two-hosts.xml", "examples/client-server.xml", "--verify", "-o", out);
        assertThat(live.exit()).as(live.out() + live.err()).isEqualTo(RunVerification.DIFFER);
        assertThat(live.out()).contains("CPU-time", "--cpu-model=none gives runs that repeat", "--record=DIR");

        Result replayed = run("examples/two-hosts.xml", "examples/client-server.xml", "--verify",
                "--record=" + dir.resolve("inputs"), "-o", out);
        assertThat(replayed.exit()).as(replayed.out() + replayed.err()).isZero();
        assertThat(replayed.out()).contains("verify: identical");
    }
}
