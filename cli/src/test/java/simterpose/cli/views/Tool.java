package simterpose.cli.views;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an independent reader (tshark, pj_dump) on a file a writer produced. */
final class Tool {
    record Result(int status, String out) {}

    private Tool() {}

    static Result run(String... command) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(command[0])),
                command[0] + " is missing (bin/install-deps installs it)");
        List<String> argv = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
