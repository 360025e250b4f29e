package simterpose.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import simterpose.simulator.kernel.Addresses;
import simterpose.simulator.kernel.NameFile;

/**
 * One simulated host made real: a process, the host's <em>keeper</em>, that is pid 1 of its own
 * PID namespace and lives in its own network, UTS and mount namespaces, where
 * <ul>
 *   <li>the hostname is the host's name;</li>
 *   <li>{@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf} and
 *       {@code /etc/nsswitch.conf} are bind-mounted from the run's {@code OUTPUT/etc/} files
 *       (the same ones {@code run} shows its programs), visible in that mount namespace only;</li>
 *   <li>{@code lo} is up and {@link Tun#NAME} holds the host's IPv4 address (/32) and the
 *       default route, so every packet to another host goes to the tool's relay; no interface
 *       connects the namespace to this machine's network.</li>
 * </ul>
 * Actors join all four namespaces through {@code nsenter} ({@link #enterCommand}).
 *
 * <p>Nothing outlives the tool: the keeper is {@code unshare --fork --kill-child} under
 * {@code setpriv --pdeathsig KILL}, started by the {@link Spawner}'s thread, so when the JVM
 * dies (even by SIGKILL) unshare gets SIGKILL and its child, pid 1, gets SIGKILL; when pid 1 of
 * a PID namespace dies, the kernel kills every process in it (the actors), and the network
 * namespace, with its TUN device, goes with its last process and the tool's fd.
 */
final class HostNamespace implements AutoCloseable {
    final String host;
    final int ip;
    private final Process unshare;
    /** pid 1 of the namespace, as this machine numbers it. */
    final int keeperPid;

    private HostNamespace(String host, int ip, Process unshare, int keeperPid) {
        this.host = host;
        this.ip = ip;
        this.unshare = unshare;
        this.keeperPid = keeperPid;
    }

    /** Creates the namespaces of {@code host} with its files from {@code etc} ({@link EtcFiles}). */
    static HostNamespace create(Spawner spawner, String host, int ip, EtcFiles etc) throws IOException {
        String script = "set -e; hostname \"$1\"; mount --bind \"$2\" /etc/hosts; "
                + "for f in \"$3:/etc/hostname\" \"$4:/etc/resolv.conf\" \"$5:/etc/nsswitch.conf\"; do "
                + "if [ -e \"${f#*:}\" ]; then mount --bind \"${f%%:*}\" \"${f#*:}\"; fi; done; "
                + "ip link set lo up; echo ready; exec sleep 2147483647";
        ProcessBuilder builder = new ProcessBuilder(List.of("setpriv", "--pdeathsig", "KILL", "--",
                "unshare", "--net", "--uts", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
                "--", "sh", "-c", script, "keeper", host,
                etc.file(NameFile.HOSTS, host).toString(), etc.file(NameFile.HOSTNAME, host).toString(),
                etc.file(NameFile.RESOLV_CONF, host).toString(), etc.file(NameFile.NSSWITCH, host).toString()));
        builder.redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process unshare = spawner.start(builder);
        BufferedReader out = new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            said.append(line).append('\n');
        }
        if (line == null) {
            unshare.destroyForcibly();
            throw new IOException("cannot create the namespaces of host '" + host + "': " + said.toString().strip());
        }
        return new HostNamespace(host, ip, unshare, childOf(unshare.pid()));
    }

    /** Once the TUN device exists: gives {@link Tun#NAME} the host's address, brings it up and routes everything else through it. */
    void configure(Spawner spawner) throws IOException {
        String a = Addresses.format(ip);
        List<String> command = new ArrayList<>(enterCommand(Path.of("/")));
        command.addAll(List.of("sh", "-c", "set -e; ip addr add " + a + "/32 dev " + Tun.NAME
                + "; ip link set " + Tun.NAME + " mtu " + Tun.MTU + " up; ip route add default dev " + Tun.NAME
                + "; sysctl -qw net.ipv6.conf." + Tun.NAME + ".disable_ipv6=1 || true"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = spawner.start(builder);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("cannot configure " + Tun.NAME + " on host '" + host + "': " + output.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while configuring host '" + host + "'");
        }
    }

    /** The command prefix that runs a program in this host's namespaces (PID namespace included: nsenter forks). */
    List<String> enterCommand(Path workingDirectory) {
        return List.of("setpriv", "--pdeathsig", "KILL", "--", "nsenter", "--target", Integer.toString(keeperPid),
                "--net", "--uts", "--mount", "--pid", "--wd=" + workingDirectory, "--");
    }

    /**
     * The only child of {@code pid} (unshare's forked child, nsenter's): read from /proc, waiting
     * for it to appear.
     *
     * @throws IOException when {@code pid} is gone, or has had no child for 5 s
     */
    static int childOf(long pid) throws IOException {
        Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            String text;
            try {
                text = Files.readString(children).strip();
            } catch (IOException e) {
                throw new IOException("process " + pid + " is gone", e);
            }
            if (!text.isEmpty()) {
                return Integer.parseInt(text.split("\\s+")[0]);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("process " + pid + " has no child");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Kills pid 1, so every process of the namespace, and waits for unshare to go. */
    @Override
    public void close() {
        try {
            simterpose.bindings.LibC.kill(keeperPid, 9);
        } catch (RuntimeException e) {
            // already gone
        }
        unshare.destroyForcibly();
        try {
            unshare.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
