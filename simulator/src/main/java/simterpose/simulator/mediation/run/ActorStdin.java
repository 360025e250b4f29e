package simterpose.simulator.mediation.run;

import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.simulator.platform.ActorSpec;

/**
 * An actor's standard input: the file its {@code stdin} prop names (relative to its working
 * directory, as a shell redirection would read it), or /dev/null.
 */
final class ActorStdin {
    private ActorStdin() {}

    static final String PROP = "stdin";

    /** @throws simterpose.simulator.platform.PlatformException (located at the actor) if the file cannot be read */
    static Path of(ActorSpec spec, Path cwd) {
        String value = spec.properties().get(PROP);
        if (value == null) {
            return Path.of("/dev/null");
        }
        Path file = cwd.resolve(value).normalize();
        if (!Files.exists(file)) {
            throw spec.location().error("actor '" + spec.function() + "': prop stdin: " + file + " does not exist");
        }
        if (Files.isDirectory(file) || !Files.isReadable(file)) {
            throw spec.location().error("actor '" + spec.function() + "': prop stdin: " + file + " is not a readable file");
        }
        return file;
    }
}
