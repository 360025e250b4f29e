package simterpose.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code emulate} needs from this machine, checked before anything starts: one message
 * naming everything missing.
 * <ul>
 *   <li>CAP_SYS_ADMIN (namespaces, bind mounts, setns) and CAP_NET_ADMIN (TUN devices, addresses,
 *       routes) in the effective set: root has them; an ordinary user gets them inside a user
 *       namespace of their own, {@code unshare --user --map-root-user bin/simterpose emulate …}
 *       (needs unprivileged user namespaces, and /dev/net/tun readable and writable by the user);</li>
 *   <li>{@code /dev/net/tun} (the tun module);</li>
 *   <li>util-linux's {@code setpriv}, {@code unshare}, {@code nsenter}, iproute2's {@code ip},
 *       perl ({@link ExitWrapper}), and {@code strace} when asked for.</li>
 * </ul>
 */
final class Preflight {
    private Preflight() {}

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;

    /** @throws EmulationException listing every missing piece */
    static void check(boolean strace) {
        List<String> missing = new ArrayList<>();
        long caps = effectiveCapabilities();
        if ((caps & (1L << CAP_SYS_ADMIN)) == 0 || (caps & (1L << CAP_NET_ADMIN)) == 0) {
            missing.add("the capabilities CAP_SYS_ADMIN and CAP_NET_ADMIN (run as root, or as an ordinary user inside a "
                    + "user namespace: unshare --user --map-root-user bin/simterpose emulate ...)");
        }
        Path tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) {
            missing.add("/dev/net/tun (load the tun module: modprobe tun)");
        } else if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            missing.add("read and write access to /dev/net/tun");
        }
        List<String> tools = new ArrayList<>(List.of("setpriv", "unshare", "nsenter", "ip", "perl"));
        if (strace) {
            tools.add("strace");
        }
        for (String tool : tools) {
            if (onPath(tool) == null) {
                missing.add("the program '" + tool + "' on PATH (Debian: " + switch (tool) {
                    case "ip" -> "iproute2";
                    case "strace" -> "strace";
                    case "perl" -> "perl-base";
                    default -> "util-linux";
                } + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new EmulationException("emulate cannot start: it needs " + String.join("; ", missing));
        }
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: say missing
        }
        return 0;
    }

    static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
