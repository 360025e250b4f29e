package simterpose.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import simterpose.simulator.kernel.Addresses;
import simterpose.simulator.kernel.NameFile;

/**
 * The name files every emulated host sees in place of this machine's (bind-mounted in its mount
 * namespace, {@link HostNamespace}): the simulator's {@link NameFile}s, the same names and texts
 * as under {@code run}, all written at once to {@code OUTPUT/etc/}.
 */
record EtcFiles(Path directory) {
    static EtcFiles write(Path outputDirectory, Addresses addresses) throws IOException {
        Path dir = outputDirectory.resolve("etc");
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>(); // a hostname per host, the other files shared
        for (var host : addresses.all().keySet()) {
            for (NameFile f : NameFile.values()) {
                files.computeIfAbsent(f.fileName(host.name()), name -> f.text(addresses, host.name()));
            }
        }
        for (var e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        return new EtcFiles(dir);
    }

    /** The generated file that stands for {@code f} on {@code host}. */
    Path file(NameFile f, String host) {
        return directory.resolve(f.fileName(host));
    }
}
