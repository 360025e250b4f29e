package simterpose.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The import rules ARCHITECTURE.md states, checked on the simulator's sources. */
class ArchitectureTest {
    private static final Path ROOT = Path.of(System.getProperty("simterpose.root", ".."));
    private static final Path SOURCES = ROOT.resolve("simulator/src/main/java/simterpose/simulator");
    /** A class of ours named in code: an import, or a fully qualified name in a declaration or expression. */
    private static final Pattern REFERENCE = Pattern.compile("\\bsimterpose\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");
    /** Comment lines (javadoc links are not dependencies) and the package line. */
    private static final Pattern NOT_CODE = Pattern.compile("^\\s*(?:\\*|/\\*|//|package ).*$", Pattern.MULTILINE);

    /** Each "package uses package" pair of the simulator's main sources, as "a -> b" (then the file). */
    private static List<String> imports() throws IOException {
        List<String> edges = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = "simulator." + SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                Matcher m = REFERENCE.matcher(NOT_CODE.matcher(Files.readString(f)).replaceAll(""));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        edges.add(from + " -> " + m.group(1) + "   (" + SOURCES.relativize(f) + ")");
                    }
                }
            }
        }
        return edges;
    }

    @Test
    void theSimulatorsPackagesUseEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String e : imports()) {
            String[] parts = e.split("\\s+");
            if (parts[2].startsWith("simulator.")) {
                uses.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
            }
        }
        assertThat(uses).as("packages using others").isNotEmpty();
        for (String start : uses.keySet()) { // a path from a package back to itself is a cycle
            Deque<List<String>> paths = new ArrayDeque<>(List.of(List.of(start)));
            Set<String> seen = new HashSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : uses.getOrDefault(path.getLast(), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    assertThat(next).as("a package cycle: %s", String.join(" -> ", longer)).isNotEqualTo(start);
                    if (seen.add(next)) {
                        paths.push(longer);
                    }
                }
            }
        }
    }

    @Test
    void onlyMediationImportsTheTracerAndItsLayersImportDownwardsOnly() throws IOException {
        List<String> edges = imports();
        assertThat(edges).isNotEmpty();
        assertThat(edges).as("only mediation talks to the tracer")
                .noneMatch(e -> !e.startsWith("simulator.mediation") && e.contains(" -> tracer"));
        assertThat(edges).as("the platform is read by the models, the engine and the kernel, and reads none of them")
                .noneMatch(e -> e.matches("simulator\\.platform\\S* -> simulator\\.(model|engine|kernel|mediation).*"));
        assertThat(edges).as("the model, the engine and the virtual kernel know nothing of mediation")
                .noneMatch(e -> e.matches("simulator\\.(model|engine|kernel|platform)\\S* -> simulator\\.mediation.*"));
        assertThat(edges).as("the mediation API imports nothing of ours")
                .noneMatch(e -> e.startsWith("simulator.mediation -> "));
        assertThat(edges).as("a traced thread sees its run only through RunContext")
                .noneMatch(e -> e.matches("simulator\\.mediation\\.tracee -> simulator\\.mediation\\.(run|handlers).*"));
        assertThat(edges).as("a run's recorded inputs (run --record/--replay) are a leaf: the JDK only")
                .noneMatch(e -> e.startsWith("simulator.mediation.inputs -> "));
        assertThat(edges).as("handlers do not reach into the run")
                .noneMatch(e -> e.matches("simulator\\.mediation\\.handlers -> simulator\\.mediation\\.run.*"));
    }

    @Test
    void noSyscallNumberIsWrittenInMediation() throws IOException {
        Pattern number = Pattern.compile("NR_\\w+\\s*=\\s*\\d|withNr\\(\\d|\\bnr\\s*==\\s*\\d");
        try (Stream<Path> files = Files.walk(SOURCES.resolve("mediation"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(number.matcher(Files.readString(f)).find()).as("a syscall number in %s", f).isFalse();
            }
        }
    }

    @Test
    void noHandWrittenMainFileIsOver700Lines() throws IOException {
        Path generated = ROOT.resolve("bindings/src/main/java/simterpose/bindings/linux"); // jextract's output
        List<String> tooLong = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")
                    && !p.startsWith(generated) && !p.toString().contains("/target/")).toList()) {
                scanned++;
                long lines = Files.readAllLines(f).size();
                if (lines > 700) {
                    tooLong.add(ROOT.relativize(f) + " (" + lines + " lines)");
                }
            }
        }
        assertThat(scanned).as("main files of every module").isGreaterThan(100);
        assertThat(tooLong).as("hand-written main files over 700 lines: split them along their seams").isEmpty();
    }
}
