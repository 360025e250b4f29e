package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * bin/find-jdk, which bin/simterpose sources on every start (no subshell) and bin/mvn runs:
 * both ways give the same JDK home, from any current directory and any spelling of its path.
 */
class FindJdkScriptTest {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    private static String bash(Path cwd, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void runOrSourcedItNamesTheSameJdkOfAtLeast25() throws Exception {
        String printed = bash(BIN.getParent(), "bin/find-jdk").strip();
        assertThat(Path.of(printed, "bin", "java")).isExecutable();
        assertThat(Files.readString(Path.of(printed, "release"))).containsPattern("JAVA_VERSION=\"(2[5-9]|[3-9][0-9])");
        // sourced: sets java_home, prints nothing, and the shell goes on after it
        assertThat(bash(BIN.getParent(), ". bin/find-jdk; echo \"home=$java_home\"")).isEqualTo("home=" + printed + "\n");
        assertThat(bash(BIN, ". ./find-jdk; echo \"home=$java_home\"")).isEqualTo("home=" + printed + "\n");
        assertThat(bash(Path.of("/"), ". " + BIN + "/../bin/find-jdk; echo \"home=$java_home\"")).isEqualTo("home=" + printed + "\n");
        assertThat(bash(Path.of("/"), BIN + "/find-jdk").strip()).isEqualTo(printed);
    }
}
