package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RunArgs} parses {@code run}'s plain command lines without picocli: whatever it takes,
 * picocli must parse to the same fields, defaults included (else it must decline and leave the
 * line to picocli). Hand-picked lines plus seeded random ones built from run's options and
 * near-misses.
 */
class RunArgsTest {
    private static final PicocliOracle<RunCommand> ORACLE = new PicocliOracle<>("run", RunArgs::parse, RunArgsTest::fields);

    static String fields(RunCommand r) {
        RunViewsOptions v = r.views;
        return String.join(" | ", "platform=" + r.files.platformFile, "deployment=" + r.files.deploymentFile,
                "cfg=" + r.cfgItems, "cpu-model=" + r.cpuModel, "local-speed=" + r.localSpeed, "quantum=" + r.quantum,
                "spin-limit=" + r.spinLimit, "seed=" + r.seed, "epoch=" + r.epoch, "o=" + r.outputDirectory,
                "echo=" + r.echo, "unmediated=" + r.unmediated, "mediation=" + r.mediation, "aslr=" + r.aslr,
                "json=" + r.jsonFile, "progress=" + r.progress, "record=" + r.recordDir, "replay=" + r.replayDir,
                "verify=" + r.verify, "strace=" + v.straceDir, "e=" + v.expression, "blocking=" + v.blocking,
                "pcap=" + v.pcapDir, "headers=" + v.pcapHeadersOnly, "timeline=" + v.timeline);
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
            ORACLE.assertSameAsPicocli(line, true);
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
        ORACLE.assertDeclined(lines);
    }

    @Test
    void randomLinesOfRunWordsParseAsPicocliDoWhenTaken() {
        String[] words = {"p.xml", "d.xml", "--cpu-model", "none", "--cpu-model=measured", "--seed", "12", "--seed=007",
                "-o", "out", "--output-dir=o2", "--echo", "--aslr", "--verify", "--pcap-headers-only", "--cfg", "a:b",
                "--cfg=c:d", "--json", "r.json", "--progress=0", "--epoch", "946684800", "--strace=s", "--pcap", "--timeline",
                "--record=r", "--replay", "--mediation=address", "--unmediated", "pass", "-h", "--blocking", "-e", "@f",
                "--", "-", "--quantum=1ms", "--spin-limit", "--local-speed=1Gf", "-x"};
        int taken = ORACLE.checkRandomLines(words, 8, 2000);
        assertThat(taken).as("lines taken by the plain parser").isGreaterThan(150);
    }
}
