package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The check of a plain-line parser ({@link TraceArgs}, {@link RunArgs}) against picocli, its
 * oracle: whatever the plain parser takes, picocli must parse to the same fields, defaults
 * included; what it declines is left to picocli.
 *
 * @param command the subcommand ("trace", "run")
 * @param plain   the plain parser: the command, or null when it declines the words
 * @param fields  the command's option and parameter fields as one text
 */
record PicocliOracle<C>(String command, Function<List<String>, C> plain, Function<C, String> fields) {

    /** The fields after picocli parsed {@code args} (the words after the subcommand), "help", or null if picocli refuses them. */
    @SuppressWarnings("unchecked")
    String picocli(List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        CommandLine cli = Main.commandLine(all.toArray(String[]::new));
        try {
            cli.parseArgs(all.toArray(String[]::new));
        } catch (CommandLine.ParameterException refused) {
            return null;
        }
        CommandLine sub = cli.getSubcommands().get(command);
        if (sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
            return "help";
        }
        return fields.apply((C) sub.getCommand());
    }

    void assertSameAsPicocli(List<String> args, boolean mustBeTaken) {
        C parsed = plain.apply(args);
        if (mustBeTaken) {
            assertThat(parsed).as("taken: %s", args).isNotNull();
        }
        if (parsed != null) {
            assertThat(fields.apply(parsed)).as("fields of %s", args).isEqualTo(picocli(args));
        }
    }

    void assertDeclined(List<List<String>> lines) {
        for (List<String> line : lines) {
            assertThat(plain.apply(line)).as("declined: %s", line).isNull();
        }
    }

    /**
     * {@code count} seeded random lines of up to {@code maxLength - 1} of {@code words}, each
     * checked against picocli; returns how many the plain parser took.
     */
    int checkRandomLines(String[] words, int maxLength, int count) {
        SplittableRandom random = new SplittableRandom(18);
        int taken = 0;
        for (int n = 0; n < count; n++) {
            List<String> line = new ArrayList<>();
            int length = random.nextInt(maxLength);
            for (int i = 0; i < length; i++) {
                line.add(words[random.nextInt(words.length)]);
            }
            if (plain.apply(line) != null) {
                taken++;
            }
            assertSameAsPicocli(line, false);
        }
        return taken;
    }
}
