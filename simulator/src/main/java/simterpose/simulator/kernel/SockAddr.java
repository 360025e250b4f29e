package simterpose.simulator.kernel;

/**
 * An IPv4 socket address, a plain value: the virtual kernel never sees the bytes of a sockaddr.
 * Mediation reads and writes them (sockaddr_in, or sockaddr_in6 on a dual-stack AF_INET6 socket)
 * and tells the kernel only the address and, where it matters, whether an AF_INET6 socket was
 * given an IPv6 address (:: or ::1) or an IPv4-mapped one. A socket says how it names
 * addresses to its program with a {@link Form}.
 *
 * @param ip   IPv4 address, host byte order (10.0.0.1 is {@code 0x0A000001})
 * @param port 0–65535, host byte order
 */
public record SockAddr(int ip, int port) {
    public static final int ANY = 0;
    public static final int LOOPBACK = 0x7F000001;

    /**
     * How a socket names an address to its program: a sockaddr_in ({@code IN}), or on an AF_INET6
     * socket a sockaddr_in6, always IPv4-mapped ({@code IN6_MAPPED}: an IPv4 connection of a
     * dual-stack socket, ::ffff:127.0.0.1 included) or with 0.0.0.0 as :: and 127.0.0.1 as ::1,
     * the only IPv6 addresses a simulated host has, and the others mapped ({@code IN6}).
     */
    public enum Form { IN, IN6_MAPPED, IN6 }

    public SockAddr {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static SockAddr of(String dottedQuad, int port) {
        return new SockAddr(Addresses.parse(dottedQuad), port);
    }

    /** 127.0.0.0/8: the host itself. */
    public boolean isLoopback() {
        return (ip >>> 24) == 127;
    }

    public boolean isAny() {
        return ip == ANY;
    }

    @Override
    public String toString() {
        return Addresses.format(ip) + ":" + port;
    }
}
