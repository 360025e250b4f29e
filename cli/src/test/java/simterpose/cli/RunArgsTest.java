package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link RunArgs} parses {@code run}'s plain command lines without picocli: whatever it takes,
 * picocli must parse to the same fields, defaults included (else it must decline and leave the
 * line to picocli). Hand-picked lines plus seeded random ones built from run's options and
 * near-misses.
 */
class RunArgsTest {

    /** run's fields after picocli parsed {@code args} (the words after "run"), or null if picocli refuses them. */
    private static String picocli(List<String> args) {
        List<String> all = new ArrayList<>();
        all.add("run");
        all.addAll(args);
        CommandLine cli = Main.commandLine(all.toArray(String[]::new));
        try {
            cli.parseArgs(all.toArray(String[]::new));
        } catch (CommandLine.ParameterException refused) {
            return null;
        }
        CommandLine run = cli.getSubcommands().get("run");
        if (run.isUsageHelpRequested() || run.isVersionHelpRequested()) {
            return "help";
        }
        return fields(run.getCommand());
    }

    private static String fields(RunCommand r) {
        RunViewsOptions v = r.views;
        return String.join(" | ", "platform=" + r.files.platformFile, "deployment=" + r.files.deploymentFile,
                "cfg=" + r.cfgItems, "cpu-model=" + r.cpuModel, "local-speed=" + r.localSpeed, "quantum=" + r.quantum,
                "spin-limit=" + r.spinLimit, "seed=" + r.seed, "epoch=" + r.epoch, "o=" + r.outputDirectory,
                "echo=" + r.echo, "unmediated=" + r.unmediated, "mediation=" + r.mediation, "aslr=" + r.aslr,
                "json=" + r.jsonFile, "progress=" + r.progress, "record=" + r.recordDir, "replay=" + r.replayDir,
                "verify=" + r.verify, "strace=" + v.straceDir, "e=" + v.expression, "blocking=" + v.blocking,
                "pcap=" + v.pcapDir, "headers=" + v.pcapHeadersOnly, "timeline=" + v.timeline);
    }

    private static void assertSameAsPicocli(List<String> args, boolean mustBeTaken) {
        RunCommand plain = RunArgs.parse(args);
        if (mustBeTaken) {
            assertThat(plain).as("taken: %s", args).isNotNull();
        }
        if (plain != null) {
            assertThat(fields(plain)).as("fields of %s", args).isEqualTo(picocli(args));
        }
    }

    @Test
    void plainLinesAreTakenAndParseAsPicocliDoes() {
        List<List<String>> lines = List.of(
                List.of("p.xml"), List.of("p.xml", "d.xml"),
                List.of("--cpu-model=none", "--progress=0", "-o", "/tmp/out", "p.xml", "d.xml"),
                List.of("--seed", "7", "--epoch=2024-05-01T12:00:00Z", "p.xml", "--echo", "d.xml", "--aslr"),
                List.of("--cfg", "network/model:CM02", "--cfg=network/TCP-gamma:4194304", "--json", "r.json", "p.xml"),
                List.of("--output-dir=out", "--unmediated", "pass", "--mediation=address", "--local-speed", "2.5Gf",
                        "--quantum=4ms", "--spin-limit", "30s", "p.xml"),
                List.of("--record", "rec", "--verify", "--strace=logs", "--pcap", "caps", "--pcap-headers-only",
                        "--timeline=t", "p.xml", "d.xml"),
                List.of("--replay=rec", "p.xml"));
        for (List<String> line : lines) {
            assertSameAsPicocli(line, true);
        }
    }

    @Test
    void unusualLinesAreLeftToPicocli() {
        List<List<String>> lines = List.of(
                List.of(), List.of("-h"), List.of("--help"), List.of("-V"), List.of("p.xml", "d.xml", "x.xml"),
                List.of("--blocking", "p.xml"), List.of("--blocking=2ms", "p.xml"), List.of("-e", "trace=all", "p.xml"),
                List.of("--seed", "x", "p.xml"), List.of("--seed", "-1", "p.xml"), List.of("--echo", "--echo", "p.xml"),
                List.of("-o", "a", "--output-dir=b", "p.xml"), List.of("-oout", "p.xml"), List.of("--json=", "p.xml"),
                List.of("@args"), List.of("--", "p.xml"), List.of("p.xml", "--json"), List.of("--echo=true", "p.xml"),
                List.of("--cpu", "p.xml"));
        for (List<String> line : lines) {
            assertThat(RunArgs.parse(line)).as("declined: %s", line).isNull();
        }
    }

    @Test
    void randomLinesOfRunWordsParseAsPicocliDoWhenTaken() {
        String[] words = {"p.xml", "d.xml", "--cpu-model", "none", "--cpu-model=measured", "--seed", "12", "--seed=007",
                "-o", "out", "--output-dir=o2", "--echo", "--aslr", "--verify", "--pcap-headers-only", "--cfg", "a:b",
                "--cfg=c:d", "--json", "r.json", "--progress=0", "--epoch", "946684800", "--strace=s", "--pcap", "--timeline",
                "--record=r", "--replay", "--mediation=address", "--unmediated", "pass", "-h", "--blocking", "-e", "@f",
                "--", "-", "--quantum=1ms", "--spin-limit", "--local-speed=1Gf", "-x"};
        SplittableRandom random = new SplittableRandom(18);
        int taken = 0;
        for (int n = 0; n < 2000; n++) {
            List<String> line = new ArrayList<>();
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                line.add(words[random.nextInt(words.length)]);
            }
            if (RunArgs.parse(line) != null) {
                taken++;
            }
            assertSameAsPicocli(line, false);
        }
        assertThat(taken).as("lines taken by the plain parser").isGreaterThan(150);
    }
}
