package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated deployments, programs and {@code run} options (seeded: the same inputs every run),
 * each given to {@code simterpose run} in this JVM. The contract: either the run happens (exit
 * 0, 1 or 3), or the input is refused with exit 2, exactly one line on stderr that locates the
 * problem (file:line:column, or the option), no stack trace, and nothing launched (each actor
 * would create a marker file); each input answered in bounded time.
 */
class CliFuzzTest {
    private static final int INPUTS = 240;
    private static final Path EXAMPLES = RunEndToEndTest.ROOT.resolve("examples");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s[a-z_]+=\"[^\"]*\"");
    private static final Pattern VALUE = Pattern.compile("=\"([^\"]*)\"");
    private static final String[] NOISE = {"", "-1", "0", "1.5", " 1", "1 ", "1e400", "1e-400", "NaN", "0x10", "abc", "&nope;",
            "&amp;", "/bin/true/", "/no/such", "10.0.0.1", "10.0.0.300", "127.0.0.1", "x".repeat(200_000), "é", "\u0000"};
    private static final String[][] OPTIONS = {
            {"--cfg=", "network/model:CM02", "network/model:XX", "nokey", "network/TCP-gamma:-1", "maxmin/precision:1e-9"},
            {"--cpu-model=", "none", "measured", "fast", ""},
            {"--local-speed=", "1Gf", "0", "-1Gf", "fast", "1e400f"},
            {"--seed=", "0", "-5", "99999999999999999999", "x"},
            {"--epoch=", "0", "1e300", "-1", "2000-01-01", "2200-01-01", "yesterday", "NaN"},
            {"--unmediated=", "fail", "pass", "maybe"},
            {"--mediation=", "full", "address", "kernel"},
            {"--progress=", "0", "-1", "1e10", "x"},
            {"--json=", "/proc/version", "/nonexistent/dir/r.json", "/tmp"},
            {"-o", "/proc/self", "/dev/null"},
            {"--frobnicate", ""},
            {"--aslr", ""}};

    @TempDir
    Path dir;

    @Test
    void mutatedDeploymentsProgramsAndOptionsRunOrFailWithOneLocatedLineLaunchingNothing() throws Exception {
        Path marker = dir.resolve("launched");
        Path touch = dir.resolve("touch.sh");
        Files.writeString(touch, "#!/bin/sh\nexec /usr/bin/touch " + marker + "\n");
        Files.setPosixFilePermissions(touch, PosixFilePermissions.fromString("rwxr-xr-x"));
        String seed = """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <actor host="server" function="%s" start_time="0" kill_time="5"><argument value="a"/></actor>
                  <actor host="client" function="%s" start_time="0.5"><prop id="env" value="A=1"/><argument value="b"/></actor>
                </platform>
                """.formatted(touch, touch);
        byte[] program = Files.readAllBytes(Path.of("/bin/true"));
        SplittableRandom random = new SplittableRandom(20261207);
        int refused = 0, ran = 0;
        long slowest = 0;
        for (int i = 0; i < INPUTS; i++) {
            Files.deleteIfExists(marker);
            String deployment = seed;
            List<String> options = new ArrayList<>();
            switch (i % 3) {
                case 0 -> deployment = mutate(seed, random);
                case 1 -> {
                    Path mutant = dir.resolve("program-" + i);
                    Files.write(mutant, mutateProgram(program, touch, random));
                    Files.setPosixFilePermissions(mutant, PosixFilePermissions.fromString(random.nextBoolean() ? "rwxr-xr-x" : "rw-r--r--"));
                    deployment = seed.replace(touch.toString(), mutant.toString());
                }
                default -> {
                    for (int k = 1 + random.nextInt(3); k > 0; k--) {
                        String[] o = OPTIONS[random.nextInt(OPTIONS.length)];
                        String value = o.length > 1 ? o[1 + random.nextInt(o.length - 1)] : "";
                        if (o[0].endsWith("=")) {
                            options.add(o[0] + value);
                        } else {
                            options.add(o[0]);
                            if (!value.isEmpty()) {
                                options.add(value);
                            }
                        }
                    }
                }
            }
            Path file = dir.resolve("deploy.xml");
            Files.writeString(file, deployment);
            List<String> argv = new ArrayList<>(List.of("run", EXAMPLES.resolve("two-hosts.xml").toString(), file.toString(),
                    "-o", dir.resolve("out").toString(), "--progress=0"));
            argv.addAll(options);
            long start = System.nanoTime();
            CliRun.Result r = CliRun.run(argv.toArray(String[]::new));
            long nanos = System.nanoTime() - start;
            slowest = Math.max(slowest, nanos);
            String what = "input " + i + " " + options + "\n" + (deployment.length() > 2000 ? deployment.substring(0, 2000) : deployment)
                    + "\n--- stderr:\n" + r.err();
            assertThat(r.err()).as(what).doesNotContain("\tat ", "Exception");
            if (r.exit() == 2) {
                refused++;
                assertThat(r.err().lines().toList()).as(what).hasSize(1);
                assertThat(r.err()).as(what).startsWith("simterpose: ");
                assertThat(r.err()).as(what).matches("(?s)simterpose: (" + Pattern.quote(file.toString()) + ":\\d+:\\d+: .*|"
                        + Pattern.quote(EXAMPLES.resolve("two-hosts.xml").toString()) + ".*|--?[a-z].*|Unknown option.*|Missing.*|"
                        + "Invalid value.*|option '.*|" + Pattern.quote(file.toString()) + ": .*)\\n");
                assertThat(marker).as(what).doesNotExist();
            } else {
                ran++;
                assertThat(r.exit()).as(what).isIn(0, 1, 3);
            }
            assertThat(nanos / 1e9).as(what).isLessThan(30);
        }
        System.out.printf("cli fuzz: %d inputs, %d refused with one located line, %d ran, slowest %.2f s%n",
                INPUTS, refused, ran, slowest / 1e9);
        assertThat(refused).isGreaterThan(INPUTS / 4);
        assertThat(ran).isGreaterThan(0);
    }

    private static String mutate(String xml, SplittableRandom random) {
        String s = xml;
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            switch (random.nextInt(5)) {
                case 0 -> { // replace one attribute value by noise
                    List<int[]> spans = spans(VALUE.matcher(s), 1);
                    int[] v = spans.get(random.nextInt(spans.size()));
                    s = s.substring(0, v[0]) + NOISE[random.nextInt(NOISE.length)] + s.substring(v[1]);
                }
                case 1 -> { // delete an attribute
                    List<int[]> spans = spans(ATTRIBUTE.matcher(s), 0);
                    int[] a = spans.get(random.nextInt(spans.size()));
                    s = s.substring(0, a[0]) + s.substring(a[1]);
                }
                case 2 -> { // duplicate an attribute
                    List<int[]> spans = spans(ATTRIBUTE.matcher(s), 0);
                    int[] a = spans.get(random.nextInt(spans.size()));
                    s = s.substring(0, a[1]) + s.substring(a[0], a[1]) + s.substring(a[1]);
                }
                case 3 -> { // truncate
                    s = s.substring(0, random.nextInt(s.length()));
                }
                default -> { // flip one byte
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(7));
                    s = new String(b, StandardCharsets.UTF_8);
                }
            }
        }
        return s;
    }

    /** A program file: /bin/true with corrupted header bytes, or a script with a mangled #! line. */
    private static byte[] mutateProgram(byte[] elf, Path script, SplittableRandom random) throws Exception {
        if (random.nextBoolean()) {
            byte[] b = elf.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                b[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8)); // the ELF header
            }
            return random.nextInt(4) == 0 ? java.util.Arrays.copyOf(b, random.nextInt(200)) : b;
        }
        String text = Files.readString(script);
        String[] lines = {"#!/no/such/sh\n", "#!\n", "#! /bin/sh\n", "#!/bin/sh -e\n", "echo no interpreter line\n", "#!/bin/sh/\n", ""};
        return (lines[random.nextInt(lines.length)] + text.substring(text.indexOf('\n') + 1)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<int[]> spans(Matcher m, int group) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new int[] {m.start(group), m.end(group)});
        }
        if (out.isEmpty()) {
            out.add(new int[] {0, 0});
        }
        return out;
    }
}
