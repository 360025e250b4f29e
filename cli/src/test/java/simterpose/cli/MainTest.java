package simterpose.cli;

import static simterpose.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level command: it builds only the subcommand a command line names (a start-up saving). */
class MainTest {


    @Test
    void helpListsEverySubcommandInOrder() {
        CliRun.Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsSubsequence("Commands:", "\n  run ", "\n  trace ", "\n  platform ", "\n  predict ");
    }

    @Test
    void aMistypedSubcommandIsAUsageErrorThatListsThemAll() {
        CliRun.Result r = run("rnu", "x.xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched arguments from index 0: 'rnu', 'x.xml'").contains("run", "trace", "platform", "predict");
    }

    @Test
    void aNamedSubcommandKeepsItsOwnParserSettings() {
        // trace stops at the traced command's name: "-c" after it belongs to the command, not to trace.
        CliRun.Result r = run("trace", "-o", "/dev/null", "--", "sh", "-c", "exit 7");
        assertThat(r.exit()).isEqualTo(7);
        CliRun.Result help = run("platform", "--help");
        assertThat(help.out()).contains("Usage: simterpose platform", "check", "route");
    }
}
