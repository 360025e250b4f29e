package simterpose.simulator.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files through which a simulated host's names reach libc, in place of this machine's: one
 * row per file, with the path programs open, the name of the generated file (in a run's
 * {@code OUTPUT/etc/}, where a user can read it too) and its text. So that names resolve the
 * same on every machine and the machine's own resolvers are never asked: {@code /etc/hosts} is
 * the platform's hosts file (every host name → its address, {@link Addresses#hostsFile()}),
 * {@code /etc/hostname} the host's own name, {@code /etc/resolv.conf} names no server but the
 * host itself (a name the platform lacks fails at once), and {@code /etc/nsswitch.conf} is this
 * machine's with {@code hosts: files dns}.
 *
 * <p>The one home of these texts: {@code run} writes each file when a program first opens it
 * (mediation's {@code HostFiles}), {@code emulate} writes them all and bind-mounts them in each
 * host's mount namespace (the emulator's {@code EtcFiles}).
 */
public enum NameFile {
    HOSTS("/etc/hosts"),
    HOSTNAME("/etc/hostname"),
    RESOLV_CONF("/etc/resolv.conf"),
    NSSWITCH("/etc/nsswitch.conf");

    /** The path a program opens. */
    public final String path;

    NameFile(String path) {
        this.path = path;
    }

    /** The file a program opening {@code path} reads instead, or null for the real one. */
    public static NameFile replacing(String path) {
        return switch (path) {
            case "/etc/hosts" -> HOSTS;
            case "/etc/hostname", "/proc/sys/kernel/hostname" -> HOSTNAME;
            case "/etc/resolv.conf" -> RESOLV_CONF;
            case "/etc/nsswitch.conf" -> NSSWITCH;
            default -> null;
        };
    }

    /** The generated file's name (HOSTNAME: one per host, the others shared by every host). */
    public String fileName(String host) {
        return switch (this) {
            case HOSTS -> "hosts";
            case HOSTNAME -> "hostname." + host.replace('/', '_');
            case RESOLV_CONF -> "resolv.conf";
            case NSSWITCH -> "nsswitch.conf";
        };
    }

    /** The file's text for programs on {@code host}. */
    public String text(Addresses addresses, String host) {
        return switch (this) {
            case HOSTS -> addresses.hostsFile();
            case HOSTNAME -> host + "\n";
            case RESOLV_CONF -> "# simulated platform: every name is in /etc/hosts; no DNS server\nnameserver 127.0.0.1\noptions attempts:1\n";
            case NSSWITCH -> nsswitch();
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
}
