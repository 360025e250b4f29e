package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Mutates sample platforms (byte flips, attribute deletion and duplication, unit corruption,
 * truncation, element duplication) and checks the loader's contract on each: either a platform
 * whose every host pair has a route, or one PlatformException with a message and, for broken
 * XML or element-level errors, a line. Seeded: the same inputs every run.
 */
class FuzzTest {
    private static final int INPUTS = 12_000;
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s[a-z_]+=(\"[^\"]*\"|'[^']*')");
    private static final Pattern UNIT_VALUE = Pattern.compile("=\"([0-9.]+)([A-Za-z]+)\"");
    private static final Pattern ELEMENT = Pattern.compile("<(host|link|route|link_ctn|router|cluster|prop|zoneRoute)\\b[^>]*/>");
    private static final String[] UNIT_NOISE = {"", "K", "KBps", "Mf", "GiB", "bps", "ms", "xx", "e", "e+", "-", ".", "1e400", "ps", "Yi"};

    @Test
    void mutatedPlatformsEitherLoadFullyRoutedOrFailWithOneLocatedError() throws IOException {
        java.nio.file.Path examples = java.nio.file.Path.of(System.getProperty("simterpose.root", ".."), "examples");
        List<String> seeds = new java.util.ArrayList<>(List.of(
                Files.readString(examples.resolve("two-hosts.xml")),
                Files.readString(examples.resolve("office-and-cluster.xml")),
                Files.readString(Platforms.resource("zones-mixed.xml")),
                Files.readString(Platforms.resource("cluster-limiter-loopback.xml")),
                Files.readString(Platforms.resource("cluster-backbone.xml")),
                new String(Platforms.xml("""
                        <zone id="z" routing="Dijkstra">
                          <host id="a" speed="1Gf"><prop id="ip" value="10.0.0.1"/></host>
                          <host id="b" speed="2Gf" core="2"/><router id="r"/>
                          <link id="ar" bandwidth="1GBps" latency="1ms" sharing_policy="SPLITDUPLEX"/>
                          <link id="rb" bandwidth="1Gbps" latency="2ms"/>
                          <route src="a" dst="r"><link_ctn id="ar" direction="UP"/></route>
                          <route src="r" dst="b"><link_ctn id="rb"/></route>
                        </zone>
                        <actor host="a" function="f"><argument value="x"/></actor>"""), StandardCharsets.UTF_8)));
        java.nio.file.Path small = java.nio.file.Path.of(System.getProperty("simterpose.root", ".."))
                .resolve("../shared/simgrid-platforms/small_platform.xml");
        if (Files.isRegularFile(small)) { // SimGrid's own file, read from shared/ (not copied here)
            seeds.add(Files.readString(small));
        }
        SplittableRandom random = new SplittableRandom(20261122);
        long start = System.nanoTime();
        int loaded = 0;
        int rejected = 0;
        for (int i = 0; i < INPUTS; i++) {
            String seed = seeds.get(i % seeds.size());
            byte[] input = mutate(seed, random);
            try {
                Platform p = PlatformLoader.parse("fuzz.xml", input);
                for (Host a : p.hosts()) {
                    for (Host b : p.hosts()) {
                        try {
                            assertThat(p.route(a, b).links()).as("input %d: %s -> %s", i, a.name(), b.name()).isNotEmpty();
                        } catch (PlatformException noRoute) { // loads as in SimGrid; the pair's route is a located error
                            assertThat(p.missingRoute()).as("input %d: %s", i, noRoute.getMessage()).isPresent();
                            assertThat(noRoute.line()).isGreaterThanOrEqualTo(1);
                        }
                    }
                }
                loaded++;
            } catch (PlatformException e) {
                assertThat(e.problem()).as("input %d", i).isNotBlank();
                assertThat(e.file()).isEqualTo("fuzz.xml");
                assertThat(e.line()).as("input %d: %s", i, e.getMessage()).isGreaterThanOrEqualTo(1);
                rejected++;
            } catch (Throwable t) {
                fail("input " + i + " threw " + t + "\n---\n" + new String(input, StandardCharsets.UTF_8), t);
            }
        }
        System.out.printf("fuzz: %d inputs, %d loaded fully routed, %d rejected with a located error, %.1f s%n",
                INPUTS, loaded, rejected, (System.nanoTime() - start) / 1e9);
        assertThat(loaded + rejected).isEqualTo(INPUTS);
        // Both outcomes must be exercised, or the mutations are too weak or too strong.
        assertThat(loaded).isGreaterThan(INPUTS / 20);
        assertThat(rejected).isGreaterThan(INPUTS / 4);
    }

    private static byte[] mutate(String seed, SplittableRandom random) {
        String text = seed;
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            text = switch (random.nextInt(7)) {
                case 0 -> flipByte(text, random);
                case 1 -> deleteAttribute(text, random);
                case 2 -> duplicateAttribute(text, random);
                case 3 -> corruptUnit(text, random);
                case 4 -> text.substring(0, random.nextInt(text.length() + 1));
                case 5 -> duplicateElement(text, random);
                default -> deleteElement(text, random);
            };
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String flipByte(String text, SplittableRandom random) {
        if (text.isEmpty()) {
            return text;
        }
        char[] chars = text.toCharArray();
        int at = random.nextInt(chars.length);
        chars[at] = (char) (random.nextBoolean() ? random.nextInt(32, 127) : chars[at] ^ (1 << random.nextInt(8)));
        return new String(chars);
    }

    private static List<int[]> matches(Pattern p, String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end(), m.groupCount() >= 2 ? m.start(2) : m.end(), m.groupCount() >= 2 ? m.end(2) : m.end()});
        }
        return spans;
    }

    private static String deleteAttribute(String text, SplittableRandom random) {
        List<int[]> spans = matches(ATTRIBUTE, text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[0]) + text.substring(s[1]);
    }

    private static String duplicateAttribute(String text, SplittableRandom random) {
        List<int[]> spans = matches(ATTRIBUTE, text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[1]) + text.substring(s[0], s[1]) + text.substring(s[1]);
    }

    private static String corruptUnit(String text, SplittableRandom random) {
        List<int[]> spans = matches(UNIT_VALUE, text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        String noise = UNIT_NOISE[random.nextInt(UNIT_NOISE.length)];
        return text.substring(0, s[2]) + noise + text.substring(s[3]);
    }

    private static String duplicateElement(String text, SplittableRandom random) {
        List<int[]> spans = matches(ELEMENT, text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[1]) + text.substring(s[0], s[1]) + text.substring(s[1]);
    }

    private static String deleteElement(String text, SplittableRandom random) {
        List<int[]> spans = matches(ELEMENT, text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[0]) + text.substring(s[1]);
    }
}
