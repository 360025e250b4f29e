package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code trace}'s time and layout options against strace's: the same stamp before each line
 * (-t, -tt, -ttt, -r), the same duration after each result (-T), and the same
 * {@code <unfinished ...>} / {@code <... resumed>} pairs under -f when a parent waits for its child.
 */
class TraceTimesDifferentialTest {
    /** A parent waits (wait4) while its child sleeps 0.1 s: the wait is cut by the child's lines. */
    private static final List<String> COMMAND = List.of("sh", "-c", "sleep 0.1; echo a");

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    private static Path strace(Path dir, String... options) throws Exception {
        Path out = dir.resolve("strace.txt");
        List<String> argv = new ArrayList<>(List.of("strace", "-f", "-o", out.toString()));
        argv.addAll(List.of(options));
        argv.addAll(COMMAND);
        assertThat(TraceDifferentialTest.run(argv)).isZero();
        return out;
    }

    private static Path ours(Path dir, String... options) throws Exception {
        Path out = dir.resolve("ours.txt");
        List<String> argv = new ArrayList<>(TraceDifferentialTest.javaMain());
        argv.addAll(List.of("trace", "-f", "-o", out.toString()));
        argv.addAll(List.of(options));
        argv.add("--");
        argv.addAll(COMMAND);
        assertThat(TraceDifferentialTest.run(argv)).isZero();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "-t;   \\d\\d:\\d\\d:\\d\\d",
        "-tt;  \\d\\d:\\d\\d:\\d\\d\\.\\d{6}",
        "-ttt; \\d{10}\\.\\d{6}",
        "-r;   \\s*\\d+\\.\\d{6}"})
    void everyLineStartsWithTheSameStampAsStraceAndTheCallsAreTheSame(String option, String stamp,
                                                                     @TempDir Path dir) throws Exception {
        Pattern shape = Pattern.compile("^\\d+ +" + stamp + " (?:[a-z_0-9]+\\(|<\\.\\.\\. |--- |\\+\\+\\+ ).*");
        Path theirs = strace(dir, option);
        Path mine = ours(dir, option);
        assertThat(lines(theirs)).as("strace's own lines have the expected shape").allMatch(l -> shape.matcher(l).matches());
        assertThat(lines(mine)).allMatch(l -> shape.matcher(l).matches());
        assertThat(StraceLog.read(mine, TraceDifferentialTest.TIMING_INDEPENDENT).perProcess())
                .isEqualTo(StraceLog.read(theirs, TraceDifferentialTest.TIMING_INDEPENDENT).perProcess());
    }

    @Test
    void epochStampsAreTodaysDatesInOrderForOneThread(@TempDir Path dir) throws Exception {
        double before = System.currentTimeMillis() / 1000.0;
        Path mine = ours(dir, "-ttt", "-e", "trace=execve,clock_nanosleep,write,exit_group");
        double after = System.currentTimeMillis() / 1000.0;
        Pattern p = Pattern.compile("^(\\d+) +(\\d+\\.\\d{6}) ");
        List<String> lines = lines(mine);
        assertThat(lines).isNotEmpty();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            assertThat(m.find()).as(l).isTrue();
            assertThat(Double.parseDouble(m.group(2))).as(l).isBetween(before - 0.001, after + 0.001);
        }
    }

    @Test
    void dashTGivesTheTimeSpentInTheCall(@TempDir Path dir) throws Exception {
        Path mine = ours(dir, "-T", "-e", "trace=clock_nanosleep");
        String sleep = lines(mine).stream().filter(l -> l.contains("clock_nanosleep(")).findFirst().orElseThrow();
        Matcher m = Pattern.compile(" = 0 <(\\d+\\.\\d{6})>$").matcher(sleep);
        assertThat(m.find()).as(sleep).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isBetween(0.1, 2.0);
    }

    @Test
    void aWaitCutByTheChildsLinesIsUnfinishedThenResumedAsInStrace(@TempDir Path dir) throws Exception {
        String[] options = {"-e", "trace=wait4,clock_nanosleep"};
        List<String> theirs = lines(strace(dir, options)).stream().map(l -> l.replaceFirst("^\\d+ +", "")).toList();
        List<String> mine = lines(ours(dir, options)).stream().map(l -> l.replaceFirst("^\\d+ +", "")).toList();
        String unfinished = "wait4(-1,  <unfinished ...>";
        String resumed = "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = ";
        assertThat(theirs).as("strace itself").contains(unfinished).anyMatch(l -> l.startsWith(resumed));
        assertThat(mine).contains(unfinished).anyMatch(l -> l.startsWith(resumed));
        // The child's sleep may be entered before or after the parent's wait4 (both orders are strace's
        // under load), but some line of it must fall between the wait's two halves.
        int from = mine.indexOf(unfinished), to = indexOfPrefix(mine, resumed);
        assertThat(from).isLessThan(to);
        assertThat(mine.subList(from, to)).as("the child's lines cut the wait").anyMatch(l -> l.contains("clock_nanosleep"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh-kill", "signals"})
    void signalLinesCarryTheSameSiginfoAsStraces(String command, @TempDir Path dir) throws Exception {
        List<String> argv = command.equals("signals")
                ? List.of(TraceDifferentialTest.BIN.resolve("signals").toString())
                : List.of("sh", "-c", "sleep 0.1; kill -USR1 $$; echo");
        Path theirs = dir.resolve("strace.txt"), mine = dir.resolve("ours.txt");
        List<String> s = new ArrayList<>(List.of("strace", "-f", "-e", "trace=none", "-o", theirs.toString()));
        s.addAll(argv);
        List<String> o = new ArrayList<>(TraceDifferentialTest.javaMain());
        o.addAll(List.of("trace", "-f", "-e", "trace=none", "-o", mine.toString(), "--"));
        o.addAll(argv);
        assertThat(TraceDifferentialTest.run(o)).isEqualTo(TraceDifferentialTest.run(s));
        assertThat(signalLines(mine)).isNotEmpty().isEqualTo(signalLines(theirs));
    }

    @Test
    void theProgramReceivesArgvZeroAsTypedAsUnderStrace(@TempDir Path dir) throws Exception {
        Path theirs = dir.resolve("strace.txt"), mine = dir.resolve("ours.txt");
        List<String> command = List.of("sh", "-c", "cat /proc/$$/cmdline > " + dir.resolve("cmdline"));
        List<String> s = new ArrayList<>(List.of("strace", "-e", "trace=execve", "-o", theirs.toString()));
        s.addAll(command);
        assertThat(TraceDifferentialTest.run(s)).isZero();
        String native0 = Files.readString(dir.resolve("cmdline"));
        List<String> o = new ArrayList<>(TraceDifferentialTest.javaMain());
        o.addAll(List.of("trace", "-e", "trace=execve", "-o", mine.toString(), "--"));
        o.addAll(command);
        assertThat(TraceDifferentialTest.run(o)).isZero();
        assertThat(Files.readString(dir.resolve("cmdline"))).startsWith("sh\0-c\0").isEqualTo(native0);
        String env = ", 0x[0-9a-f]+ /\\* \\d+ vars \\*/\\)";
        assertThat(lines(mine).getFirst().replaceAll(env, ")")).isEqualTo(lines(theirs).getFirst().replaceAll(env, ")"));
    }

    /** The signal lines, with what differs between two runs (pids, CPU ticks) blanked. */
    private static List<String> signalLines(Path file) throws Exception {
        return lines(file).stream().map(l -> l.replaceFirst("^\\d+ +", ""))
                .filter(l -> l.startsWith("--- "))
                .map(l -> l.replaceAll("si_pid=\\d+", "si_pid=P").replaceAll("si_([us])time=\\d+( /\\* [0-9.]+ s \\*/)?", "si_$1time=T")
                        .replaceAll("si_addr=0x[0-9a-f]+", "si_addr=A"))
                .sorted().toList();
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
