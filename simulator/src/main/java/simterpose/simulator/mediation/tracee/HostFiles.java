package simterpose.simulator.mediation.tracee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import simterpose.simulator.kernel.NameFile;
import simterpose.simulator.platform.Host;

/**
 * The name files of a run ({@link NameFile}: /etc/hosts, /etc/hostname and
 * /proc/sys/kernel/hostname, /etc/resolv.conf, /etc/nsswitch.conf), written once per run when
 * a program first opens one, in {@code OUTPUT/etc/}; {@code FileHandlers} points the open's path
 * argument at them.
 *
 * <p>Threading: the simulation's single logical thread (like every handler).
 */
public final class HostFiles {
    private final RunContext run;
    /** Generated files by name (null: could not be written), each written once. */
    private final Map<String, Path> written = new HashMap<>();

    public HostFiles(RunContext run) {
        this.run = run;
    }

    /** The generated file a program on {@code host} opening {@code path} gets, or null for the real one. */
    public Path replacement(String path, Host host) {
        NameFile f = NameFile.replacing(path);
        if (f == null) {
            return null;
        }
        String name = f.fileName(host.name());
        Path done = written.get(name);
        if (done != null || written.containsKey(name)) {
            return done;
        }
        Path file = run.options().outputDirectory().toAbsolutePath().resolve("etc").resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.text(run.kernel().addresses(), host.name()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            run.listener().diagnostic("cannot write " + file + " (" + e.getMessage() + "): programs see the real file");
            file = null;
        }
        written.put(name, file);
        return file;
    }
}
