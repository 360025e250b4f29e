package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The package-time step that turns picocli's Java 5 class files into Java 8 ones (so the AOT
 * cache can keep them): every class is upgraded, a second pass changes nothing, and the CLI
 * still works on the upgraded jar (class-path classes are verified when loaded, and a Java 8
 * class file whose stack maps are wrong fails there: no fallback to the old verifier).
 */
class UpgradeOldClassFilesTest {
    private static final Path TOOL = Path.of("src/build/UpgradeOldClassFiles.java");

    @Test
    void picocliIsUpgradedOnceAndStillDrivesTheCli(@TempDir Path dir) throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve(original.getFileName());
        Files.copy(original, jar);
        assertThat(oldClasses(jar)).isGreaterThan(100); // picocli 4.7 is built for Java 5

        Run first = java(List.of(TOOL.toString(), dir.toString()));
        assertThat(first.exit()).isZero();
        assertThat(first.out()).startsWith("upgraded ").doesNotContain("kept as they were");
        assertThat(oldClasses(jar)).isZero();

        byte[] upgraded = Files.readAllBytes(jar);
        Run second = java(List.of(TOOL.toString(), dir.toString()));
        assertThat(second.exit()).isZero();
        assertThat(second.out()).isEmpty();
        assertThat(Files.readAllBytes(jar)).isEqualTo(upgraded);

        // The test's own class path with the upgraded jar in place of the original.
        List<String> path = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            path.add(Path.of(entry).equals(original) ? jar.toString() : entry);
        }
        Run help = java(List.of("-cp", String.join(File.pathSeparator, path), Main.class.getName(), "run", "--help"));
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: simterpose run").contains("--cpu-model");
    }

    private record Run(int exit, String out) {}

    private static Run java(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.strip());
    }

    /** Class files in the jar with a major version below Java 6's (50). */
    private static long oldClasses(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/"))
                    .filter(e -> {
                        try (var in = zip.getInputStream(e)) {
                            byte[] head = in.readNBytes(8);
                            return (((head[6] & 0xff) << 8) | (head[7] & 0xff)) < 50;
                        } catch (IOException x) {
                            throw new java.io.UncheckedIOException(x);
                        }
                    })
                    .count();
        }
    }
}
