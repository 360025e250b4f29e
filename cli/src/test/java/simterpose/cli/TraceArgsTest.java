package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceArgs} parses {@code trace}'s plain command lines without picocli: whatever it
 * takes, picocli must parse to the same fields (else it must decline and leave the line to
 * picocli). Hand-picked lines plus seeded random ones built from trace's options and
 * near-misses.
 */
class TraceArgsTest {
    private static final PicocliOracle<TraceCommand> ORACLE = new PicocliOracle<>("trace", TraceArgs::parse, TraceArgsTest::fields);

    static String fields(TraceCommand t) {
        return String.join(" | ", "f=" + t.follow, "e=" + t.expression, "o=" + t.output, "s=" + t.strsize,
                "t=" + t.timeOfDay.length, "r=" + t.relative, "T=" + t.spent, "c=" + t.summary, "step=" + t.step,
                "cpu=" + t.cpu, "p=" + t.target.pid, "help=" + t.target.help, "cmd=" + t.target.command);
    }

    @Test
    void plainLinesAreTakenAndParseAsPicocliDoes() {
        List<List<String>> lines = List.of(
                List.of("--", "true"), List.of("true"), List.of("-o", "/dev/null", "--", "true"),
                List.of("-f", "-e", "trace=getppid", "-o", "out.txt", "--", "app", "-x", "--y", "z"),
                List.of("-c", "-r", "-T", "-t", "ls", "-l", "-o", "x"), List.of("-tt", "-t", "-s", "80", "cat", "/etc/hosts"),
                List.of("-ttt", "--cpu", "0", "--", "sh", "-c", "echo hi"), List.of("-p", "1"),
                List.of("-e", "%network,!connect", "--", "curl"), List.of("--"), List.of());
        for (List<String> line : lines) {
            ORACLE.assertSameAsPicocli(line, true);
        }
    }

    @Test
    void unusualLinesAreLeftToPicocli() {
        List<List<String>> lines = List.of(
                List.of("-h"), List.of("--help"), List.of("-fT", "true"), List.of("-ofile", "true"), List.of("--cpu=0", "true"),
                List.of("-o", "a", "-o", "b", "true"), List.of("-f", "-f", "true"), List.of("-s", "x", "true"),
                List.of("-s", "-1", "true"), List.of("-o"), List.of("@args"), List.of("--", "echo", "@x"),
                List.of("--step", "true"), List.of("-x", "true"), List.of("true", "--", "x"), List.of("-e", "", "true"));
        ORACLE.assertDeclined(lines);
    }

    @Test
    void randomLinesOfTraceWordsParseAsPicocliDoWhenTaken() {
        String[] words = {"-f", "-c", "-r", "-T", "-t", "-tt", "-ttt", "-e", "trace=open", "-o", "/dev/null", "-s", "12",
                "--cpu", "1", "-p", "42", "--", "true", "ls", "-l", "x", "-h", "-fT", "--step", "007", "@f", "-"};
        int taken = ORACLE.checkRandomLines(words, 7, 2000);
        assertThat(taken).as("lines taken by the plain parser").isGreaterThan(200);
    }
}
