package simterpose.simulator.mediation.tracee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import simterpose.simulator.platform.Host;

/**
 * The files through which a simulated host's names reach libc: a program opening
 * {@code /etc/hosts} opens the platform's hosts file instead (every host name → its simulated
 * address, {@link simterpose.simulator.kernel.Addresses#hostsFile()}), and {@code /etc/hostname}
 * or {@code /proc/sys/kernel/hostname} its own host's name. So that names resolve the same on
 * every machine and the machine's own resolvers are never asked, {@code /etc/nsswitch.conf} is
 * this machine's with {@code hosts: files dns}, and {@code /etc/resolv.conf} names no server
 * but the host itself (a name the platform lacks fails at once). They are written once per
 * run, when first opened, in {@code OUTPUT/etc/} ({@code hosts}, {@code hostname.HOST},
 * {@code nsswitch.conf}, {@code resolv.conf}), where a user can read them too;
 * {@code FileHandlers} points the open's path argument at them.
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
        return switch (path) {
            case "/etc/hosts" -> file("hosts", () -> run.kernel().addresses().hostsFile());
            case "/etc/hostname", "/proc/sys/kernel/hostname" ->
                    file("hostname." + host.name().replace('/', '_'), () -> host.name() + "\n");
            case "/etc/nsswitch.conf" -> file("nsswitch.conf", HostFiles::nsswitch);
            case "/etc/resolv.conf" -> file("resolv.conf",
                    () -> "# simulated platform: every name is in /etc/hosts; no DNS server\nnameserver 127.0.0.1\noptions attempts:1\n");
            default -> null;
        };
    }

    /** This machine's nsswitch.conf (users, groups...) with the hosts database on files then DNS. */
    private static String nsswitch() {
        StringBuilder sb = new StringBuilder();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/nsswitch.conf"), StandardCharsets.UTF_8)) {
                if (!line.strip().startsWith("hosts:")) {
                    sb.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // none here: glibc's defaults for the other databases
        }
        return sb.append("hosts: files dns\n").toString();
    }

    private Path file(String name, java.util.function.Supplier<String> content) {
        Path done = written.get(name);
        if (done != null || written.containsKey(name)) {
            return done;
        }
        Path file = run.options().outputDirectory().toAbsolutePath().resolve("etc").resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            run.listener().diagnostic("cannot write " + file + " (" + e.getMessage() + "): programs see the real file");
            file = null;
        }
        written.put(name, file);
        return file;
    }
}
