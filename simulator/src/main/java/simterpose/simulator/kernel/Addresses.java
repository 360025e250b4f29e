package simterpose.simulator.kernel;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;

/**
 * The IPv4 address of every host of a platform.
 *
 * <p>The rule: a host with {@code <prop id="ip" value="a.b.c.d"/>} has that address; every
 * other host gets the next free address from 10.0.0.1 upward, in platform host order, skipping
 * the addresses taken by explicit properties. So adding an {@code ip} to one host never moves
 * another host's explicit address, and the same platform always gives the same addresses.
 * 127.0.0.0/8 and 0.0.0.0 are not host addresses: on every host they mean the host itself.
 *
 * <p>Immutable once built.
 */
public final class Addresses {
    public static final String IP_PROPERTY = "ip";
    private static final int FIRST_ASSIGNED = 0x0A000001;

    private final Map<Host, Integer> ipOf;
    private final Map<Integer, Host> hostAt;

    /** @throws IllegalArgumentException on a malformed, reserved or duplicate {@code ip} property (names the host) */
    public Addresses(Platform platform) {
        Map<Host, Integer> ips = new LinkedHashMap<>();
        Map<Integer, Host> hosts = new HashMap<>();
        for (Host h : platform.hosts()) {
            String v = h.properties().get(IP_PROPERTY);
            if (v == null) {
                continue;
            }
            int ip;
            try {
                ip = parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("host '" + h.name() + "': ip property '" + v
                        + "' is not an IPv4 address (expected a.b.c.d)");
            }
            if (ip == 0 || (ip >>> 24) == 127 || (ip >>> 28) >= 14) {
                throw new IllegalArgumentException("host '" + h.name() + "': ip property '" + v
                        + "' is reserved (any, loopback, multicast or broadcast)");
            }
            Host other = hosts.putIfAbsent(ip, h);
            if (other != null) {
                throw new IllegalArgumentException("host '" + h.name() + "': ip " + v
                        + " is already the address of host '" + other.name() + "'");
            }
            ips.put(h, ip);
        }
        int next = FIRST_ASSIGNED;
        for (Host h : platform.hosts()) {
            if (ips.containsKey(h)) {
                continue;
            }
            while (hosts.containsKey(next) || (next & 0xFF) == 0 || (next & 0xFF) == 0xFF) {
                next++;
            }
            ips.put(h, next);
            hosts.put(next, h);
            next++;
        }
        Map<Host, Integer> inPlatformOrder = new LinkedHashMap<>();
        for (Host h : platform.hosts()) {
            inPlatformOrder.put(h, ips.get(h));
        }
        this.ipOf = Collections.unmodifiableMap(inPlatformOrder);
        this.hostAt = Collections.unmodifiableMap(hosts);
    }

    public int ipOf(Host host) {
        Integer ip = ipOf.get(host);
        if (ip == null) {
            throw new IllegalArgumentException("host '" + host.name() + "' is not on this platform");
        }
        return ip;
    }

    /** The host owning {@code ip} (a platform address, not loopback). */
    public Optional<Host> hostAt(int ip) {
        return Optional.ofNullable(hostAt.get(ip));
    }

    /** Where a packet from {@code self} to {@code ip} goes: itself for 127/8 and 0.0.0.0. */
    public Optional<Host> destination(Host self, int ip) {
        if (ip == SockAddr.ANY || (ip >>> 24) == 127) {
            return Optional.of(self);
        }
        return hostAt(ip);
    }

    /** True if {@code ip} is an address of {@code host}: its own, loopback, or any. */
    public boolean isLocal(Host host, int ip) {
        return ip == SockAddr.ANY || (ip >>> 24) == 127 || ipOf(host) == ip;
    }

    /** Every host's address, in platform order. */
    public Map<Host, Integer> all() {
        return ipOf;
    }

    /**
     * The /etc/hosts every simulated host sees: localhost, then each host's name and address in
     * platform order. localhost is IPv4 only (the simulated network has no IPv6, so a program
     * that tries ::1 first would only fail first); a name with whitespace cannot be written.
     */
    public String hostsFile() {
        StringBuilder sb = new StringBuilder("# the simulated platform's hosts (simterpose)\n127.0.0.1\tlocalhost\n"
                + "::1\tip6-localhost ip6-loopback\n");
        for (var e : ipOf.entrySet()) {
            String name = e.getKey().name();
            if (!name.isEmpty() && name.chars().noneMatch(Character::isWhitespace)) {
                sb.append(format(e.getValue())).append('\t').append(name).append('\n');
            }
        }
        return sb.toString();
    }

    public static int parse(String dottedQuad) {
        String[] parts = dottedQuad.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dottedQuad);
        }
        int ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + dottedQuad);
            }
            int b = Integer.parseInt(p);
            if (b > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dottedQuad);
            }
            ip = ip << 8 | b;
        }
        return ip;
    }

    public static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
    }
}
