package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The top-level command: it builds only the subcommand a command line names (a start-up saving). */
class MainTest {
    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEverySubcommandInOrder() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsSubsequence("Commands:", "\n  run ", "\n  trace ", "\n  platform ", "\n  predict ");
    }

    @Test
    void aMistypedSubcommandIsAUsageErrorThatListsThemAll() {
        Result r = run("rnu", "x.xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched arguments from index 0: 'rnu', 'x.xml'").contains("run", "trace", "platform", "predict");
    }

    @Test
    void aNamedSubcommandKeepsItsOwnParserSettings() {
        // trace stops at the traced command's name: "-c" after it belongs to the command, not to trace.
        Result r = run("trace", "-o", "/dev/null", "--", "sh", "-c", "exit 7");
        assertThat(r.exit()).isEqualTo(7);
        Result help = run("platform", "--help");
        assertThat(help.out()).contains("Usage: simterpose platform", "check", "route");
    }
}
