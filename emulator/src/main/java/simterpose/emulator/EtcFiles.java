package simterpose.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.simulator.kernel.Addresses;

/**
 * The name files every emulated host sees in place of this machine's (bind-mounted in its mount
 * namespace, {@link HostNamespace}), written to {@code OUTPUT/etc/} with the same names and
 * content as under {@code run} (simulator.mediation's HostFiles): the platform's hosts file, a
 * hostname per host, a resolv.conf naming no server but the host itself, and this machine's
 * nsswitch.conf with {@code hosts: files dns}.
 */
record EtcFiles(Path directory) {
    static EtcFiles write(Path outputDirectory, Addresses addresses) throws IOException {
        Path dir = outputDirectory.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hosts"), addresses.hostsFile(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("resolv.conf"),
                "# simulated platform: every name is in /etc/hosts; no DNS server\nnameserver 127.0.0.1\noptions attempts:1\n");
        StringBuilder nss = new StringBuilder();
        Path machine = Path.of("/etc/nsswitch.conf");
        if (Files.isReadable(machine)) {
            for (String line : Files.readAllLines(machine, StandardCharsets.UTF_8)) {
                if (!line.strip().startsWith("hosts:")) {
                    nss.append(line).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve("nsswitch.conf"), nss.append("hosts: files dns\n").toString());
        for (var host : addresses.all().keySet()) {
            Files.writeString(dir.resolve("hostname." + host.name().replace('/', '_')), host.name() + "\n");
        }
        return new EtcFiles(dir);
    }

    Path hosts() {
        return directory.resolve("hosts");
    }

    Path hostname(String host) {
        return directory.resolve("hostname." + host.replace('/', '_'));
    }

    Path resolvConf() {
        return directory.resolve("resolv.conf");
    }

    Path nsswitch() {
        return directory.resolve("nsswitch.conf");
    }
}
