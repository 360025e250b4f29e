package simterpose.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Start-up: the common {@code simterpose trace} command lines parsed without picocli, whose
 * model (reflection over the annotations, proxies for them) costs about a quarter of a traced
 * {@code true}'s wall time. Only plain lines are taken: each option its own word, from
 * {@code -f -c -r -T -t -tt -ttt -e EXPR -o FILE -s N --cpu N -p PID}, each at most once (-t
 * may repeat), then {@code [--] CMD ARG...}. Anything else (help, a cluster such as -fT, -oFILE
 * or --cpu=1, an @file, a value that looks like an option, a repeated option, a mistake) is
 * declined and left to picocli, so that every message and corner case stays picocli's.
 * TraceArgsTest checks that what this takes, picocli parses to the same fields.
 */
final class TraceArgs {
    private TraceArgs() {}

    /** The command for {@code args} (the words after "trace"), or null when picocli must parse them. */
    static TraceCommand parse(List<String> args) {
        TraceCommand trace = new TraceCommand();
        trace.target = new LaunchOrAttach();
        Set<String> seen = new HashSet<>();
        int i = 0;
        while (i < args.size()) {
            String word = args.get(i);
            if (word.startsWith("@")) {
                return null; // picocli would read it as an argument file
            }
            if (!word.startsWith("-")) {
                break; // the command: options end there (TraceCommand.StopAtCommand)
            }
            if (word.equals("--")) {
                i++;
                break;
            }
            if (word.equals("-t") || word.equals("-tt") || word.equals("-ttt")) {
                int before = trace.timeOfDay.length;
                trace.timeOfDay = new boolean[before + word.length() - 1];
                java.util.Arrays.fill(trace.timeOfDay, true);
                i++;
                continue;
            }
            if (!seen.add(word)) {
                return null; // picocli says the option was given twice
            }
            switch (word) {
                case "-f" -> trace.follow = true;
                case "-c" -> trace.summary = true;
                case "-r" -> trace.relative = true;
                case "-T" -> trace.spent = true;
                case "-e", "-o", "-s", "--cpu", "-p" -> {
                    String value = i + 1 < args.size() ? args.get(i + 1) : null;
                    if (value == null || value.isEmpty() || value.startsWith("-") || value.startsWith("@")
                            || value.indexOf('\0') >= 0) {
                        return null;
                    }
                    boolean number = !word.equals("-e") && !word.equals("-o");
                    if (number && (value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9'))) {
                        return null;
                    }
                    switch (word) {
                        case "-e" -> trace.expression = value;
                        case "-o" -> trace.output = Path.of(value);
                        case "-s" -> trace.strsize = Integer.parseInt(value);
                        case "--cpu" -> trace.cpu = Integer.parseInt(value);
                        default -> trace.target.pid = Integer.parseInt(value);
                    }
                    i++;
                }
                default -> {
                    return null; // -h, a cluster, an unknown option: picocli's answer
                }
            }
            i++;
        }
        List<String> command = args.subList(i, args.size());
        for (String word : command) {
            if (word.startsWith("@") || word.equals("--")) {
                return null; // picocli's own reading of these is kept
            }
        }
        trace.target.command.addAll(command);
        return trace;
    }
}
