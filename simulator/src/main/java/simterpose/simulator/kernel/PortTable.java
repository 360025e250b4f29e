package simterpose.simulator.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of one host for one protocol (each host has a TCP table and a UDP table): which
 * sockets hold which port, and Linux's rules for sharing one (inet_csk_bind_conflict and
 * udp_lib_lport_inuse, simplified to a single user):
 * <ul>
 * <li>two sockets on one port conflict when their addresses overlap (equal, or either is
 * 0.0.0.0) on a side both hold, IPv4 or IPv6 (ipv6_rcv_saddr_equal: an AF_INET socket holds
 * only the IPv4 side, an AF_INET6 one bound to :: both unless IPV6_V6ONLY, to ::1 only the
 * IPv6 side, to an IPv4-mapped address only the IPv4 side; so an AF_INET socket and a
 * V6ONLY AF_INET6 one share a port) — unless both set SO_REUSEPORT, or both set SO_REUSEADDR and the one already there
 * is not listening (so a listening socket's port cannot be re-bound, even with SO_REUSEADDR;
 * a UDP socket never listens, so SO_REUSEADDR on both is enough there);</li>
 * <li>listen() fails when another overlapping socket already listens there, unless both set
 * SO_REUSEPORT;</li>
 * <li>accepted connections hold their listener's port, so a restarted server needs
 * SO_REUSEADDR while old connections live (TIME_WAIT itself is not modelled).</li>
 * </ul>
 * Ephemeral ports (bind to port 0, connect or listen without bind) come from 32768–60999 in
 * increasing order, per host, wrapping around and skipping ports in use: deterministic, where
 * Linux uses a keyed hash.
 *
 * <p>Threading: engine thread or the running actor only.
 */
final class PortTable<S extends PortTable.Holder> {
    /** A socket that can hold a port. */
    interface Holder {
        /** The bound address (its port is the one held). */
        SockAddr localAddress();

        boolean reuseAddr();

        boolean reusePort();

        boolean listening();

        /** Holds its address on the IPv4 side (AF_INET, IPv4-mapped, or dual-stack ::). */
        default boolean onIpv4() { return true; }

        /** Holds its address on the IPv6 side (AF_INET6 bound to :: or ::1; the platform has no other IPv6 address). */
        default boolean onIpv6() { return false; }
    }

    private final Map<Integer, List<S>> byPort = new HashMap<>();
    private int cursor = LinuxNet.EPHEMERAL_FIRST;

    private static boolean overlap(int a, int b) {
        return a == SockAddr.ANY || b == SockAddr.ANY || a == b;
    }

    /** Do {@code s} and {@code o} share a side where their addresses overlap? */
    private static boolean overlap(Holder s, int ip, Holder o) {
        return ((s.onIpv4() && o.onIpv4()) || (s.onIpv6() && o.onIpv6())) && overlap(o.localAddress().ip(), ip);
    }

    /** {@code s}'s sides must already be those of the address it binds. */
    boolean bindConflict(S s, int ip, int port) {
        for (S o : byPort.getOrDefault(port, List.of())) {
            if (o == s || !overlap(s, ip, o)) {
                continue;
            }
            if (s.reusePort() && o.reusePort()) {
                continue;
            }
            if (s.reuseAddr() && o.reuseAddr() && !o.listening()) {
                continue;
            }
            return true;
        }
        return false;
    }

    boolean listenConflict(S s) {
        SockAddr mine = s.localAddress();
        for (S o : byPort.getOrDefault(mine.port(), List.of())) {
            if (o != s && o.listening() && overlap(s, mine.ip(), o)
                    && !(s.reusePort() && o.reusePort())) {
                return true;
            }
        }
        return false;
    }

    /**
     * bind: {@code s} takes {@code port} on {@code ip}, or an ephemeral port when 0.
     *
     * @return the port taken, or -1 when it conflicts or none is free (EADDRINUSE)
     */
    int bind(S s, int ip, int port) {
        int taken = port == 0 ? ephemeral() : port;
        if (taken < 0 || (port != 0 && bindConflict(s, ip, port))) {
            return -1;
        }
        add(s, taken);
        return taken;
    }

    /** A free port from the ephemeral range, or -1 if all are taken. */
    int ephemeral() {
        int span = LinuxNet.EPHEMERAL_LAST - LinuxNet.EPHEMERAL_FIRST + 1;
        for (int i = 0; i < span; i++) {
            int port = cursor;
            cursor = cursor == LinuxNet.EPHEMERAL_LAST ? LinuxNet.EPHEMERAL_FIRST : cursor + 1;
            List<S> users = byPort.get(port);
            if (users == null || users.isEmpty()) {
                return port;
            }
        }
        return -1;
    }

    void add(S s, int port) {
        byPort.computeIfAbsent(port, p -> new ArrayList<>(1)).add(s);
    }

    void remove(S s, int port) {
        List<S> users = byPort.get(port);
        if (users != null) {
            users.removeIf(o -> o == s);
            if (users.isEmpty()) {
                byPort.remove(port);
            }
        }
    }

    /**
     * The listener a SYN for {@code ip:port} reaches, among those holding the SYN's side (IPv6
     * for {@code ipv6}, else IPv4): one bound to that exact address first, else one bound to
     * the wildcard; among SO_REUSEPORT peers, the first bound (Linux hashes the 4-tuple instead).
     */
    S listener(int ip, int port, boolean ipv6) {
        S wildcard = null;
        for (S o : byPort.getOrDefault(port, List.of())) {
            if (!o.listening() || (ipv6 ? !o.onIpv6() : !o.onIpv4())) {
                continue;
            }
            int bound = o.localAddress().ip();
            if (bound == ip) {
                return o;
            }
            if (bound == SockAddr.ANY && wildcard == null) {
                wildcard = o;
            }
        }
        return wildcard;
    }

    /** The sockets holding {@code port}, in the order they took it. */
    List<S> users(int port) {
        return byPort.getOrDefault(port, List.of());
    }
}
