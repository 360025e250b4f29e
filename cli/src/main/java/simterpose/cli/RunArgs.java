package simterpose.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Start-up: the common {@code simterpose run} command lines parsed without picocli, whose model
 * of run's options (reflection over the annotations, a proxy class per annotation type) costs
 * about a third of a cached run of {@code /bin/true}. Only plain lines are taken: the PLATFORM
 * and optional DEPLOYMENT files and options from the tables below, each at most once
 * ({@code --cfg} may repeat), a value either attached ({@code --seed=3}) or as the next word
 * ({@code --seed 3}, {@code -o DIR}). Anything else (help, {@code --blocking}, {@code -e}, a
 * value that is empty or looks like an option, an @file, {@code --}, a repeated option, a
 * mistake) is declined and left to picocli, so that every message and corner case stays
 * picocli's. RunArgsTest checks that what this takes, picocli parses to the same fields.
 */
final class RunArgs {
    private RunArgs() {}

    /** Options without a value. */
    private static final Set<String> FLAGS = Set.of("--echo", "--aslr", "--verify", "--pcap-headers-only");

    /** Options with one value (-o is --output-dir's short name). */
    private static final Set<String> VALUED = Set.of("--cfg", "--cpu-model", "--local-speed", "--quantum", "--spin-limit",
            "--seed", "--epoch", "-o", "--output-dir", "--unmediated", "--mediation", "--json", "--progress", "--record",
            "--replay", "--strace", "--pcap", "--timeline");

    /** The command for {@code args} (the words after "run"), or null when picocli must parse them. */
    static RunCommand parse(List<String> args) {
        RunCommand run = new RunCommand();
        run.files = new DeploymentFiles();
        Set<String> seen = new HashSet<>();
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (word.startsWith("@") || word.isEmpty() || word.indexOf('\0') >= 0) {
                return null; // an argument file, or words picocli's own reading is kept for
            }
            if (!word.startsWith("-")) {
                files.add(word);
                continue;
            }
            String name = word;
            String value = null;
            int equals = word.indexOf('=');
            if (word.startsWith("--") && equals > 0) {
                name = word.substring(0, equals);
                value = word.substring(equals + 1);
                if (!VALUED.contains(name)) {
                    return null;
                }
            } else if (VALUED.contains(name)) {
                if (i + 1 >= args.size()) {
                    return null;
                }
                value = args.get(++i);
            } else if (!FLAGS.contains(name)) {
                return null; // -h, --blocking, -e, a cluster, an unknown option: picocli's answer
            }
            String key = name.equals("-o") ? "--output-dir" : name;
            if (!key.equals("--cfg") && !seen.add(key)) {
                return null; // picocli says the option was given twice
            }
            if (value != null && (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || value.indexOf('\0') >= 0)) {
                return null;
            }
            if (!set(run, key, value)) {
                return null;
            }
        }
        if (files.isEmpty() || files.size() > 2) {
            return null;
        }
        run.files.platformFile = Path.of(files.get(0));
        run.files.deploymentFile = files.size() == 2 ? Path.of(files.get(1)) : null;
        return run;
    }

    /** Sets option {@code key} to {@code value} (null for a flag); false when picocli must say why it cannot. */
    private static boolean set(RunCommand run, String key, String value) {
        switch (key) {
            case "--echo" -> run.echo = true;
            case "--aslr" -> run.aslr = true;
            case "--verify" -> run.verify = true;
            case "--pcap-headers-only" -> run.views.pcapHeadersOnly = true;
            case "--cfg" -> run.cfgItems.add(value);
            case "--cpu-model" -> run.cpuModel = value;
            case "--local-speed" -> run.localSpeed = value;
            case "--quantum" -> run.quantum = value;
            case "--spin-limit" -> run.spinLimit = value;
            case "--seed" -> {
                if (value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return false;
                }
                run.seed = Long.parseLong(value);
            }
            case "--epoch" -> run.epoch = value;
            case "--output-dir" -> run.outputDirectory = Path.of(value);
            case "--unmediated" -> run.unmediated = value;
            case "--mediation" -> run.mediation = value;
            case "--json" -> run.jsonFile = Path.of(value);
            case "--progress" -> run.progress = value;
            case "--record" -> run.recordDir = Path.of(value);
            case "--replay" -> run.replayDir = Path.of(value);
            case "--strace" -> run.views.straceDir = Path.of(value);
            case "--pcap" -> run.views.pcapDir = Path.of(value);
            case "--timeline" -> run.views.timeline = Path.of(value);
            default -> {
                return false;
            }
        }
        return true;
    }
}
