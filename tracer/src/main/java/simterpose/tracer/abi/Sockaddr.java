package simterpose.tracer.abi;

import java.util.Arrays;

import simterpose.tracer.memory.TraceeMemory;

/**
 * A socket address as a syscall passes it: {@code sa_family} (u16, little-endian) at 0, then
 * the family's fields (netinet/in.h, linux/in6.h, sys/un.h, linux/netlink.h on x86_64). Ports,
 * flow info and IP addresses are in network order in memory and plain values here.
 */
public sealed interface Sockaddr {
    int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    /** What the kernel reads at most ({@code sizeof(struct sockaddr_storage)}). */
    int MAX_SIZE = 128;

    int family();

    /** {@code sockaddr_in}: {@code sin_port} (be16) at 2, {@code sin_addr} (be32) at 4; 16 bytes. */
    record In(int port, int addr) implements Sockaddr {
        public static final int SIZE = 16;

        @Override
        public int family() { return AF_INET; }

        /**
         * The fields of a sockaddr_in in {@code b} (8 bytes or more), whatever its sa_family says:
         * udp_sendmsg reads an AF_UNSPEC destination so.
         */
        public static In decode(byte[] b) {
            return new In(Bytes.be16(b, 2), Bytes.be32(b, 4));
        }

        /** The address in dotted form, {@code 10.0.0.1}. */
        public String addrText() {
            return (addr >>> 24) + "." + (addr >>> 16 & 0xff) + "." + (addr >>> 8 & 0xff) + "." + (addr & 0xff);
        }

        public byte[] bytes() {
            byte[] b = new byte[SIZE];
            Bytes.putLe16(b, 0, AF_INET);
            Bytes.putBe16(b, 2, port);
            Bytes.putBe32(b, 4, addr);
            return b;
        }
    }

    /**
     * {@code sockaddr_in6}: {@code sin6_port} (be16) at 2, {@code sin6_flowinfo} (be32) at 4,
     * {@code sin6_addr} at 8, {@code sin6_scope_id} (u32) at 24; 28 bytes. {@code scopeId} is
     * null when the given length stops before it (24 bytes: the old RFC 2133 size).
     */
    record In6(int port, int flowinfo, byte[] addr, Integer scopeId) implements Sockaddr {
        public static final int SIZE = 28, SIZE_WITHOUT_SCOPE = 24;

        public In6 {
            addr = addr.clone();
        }

        @Override
        public int family() { return AF_INET6; }

        @Override
        public byte[] addr() { return addr.clone(); }

        public byte[] bytes() {
            byte[] b = new byte[SIZE];
            Bytes.putLe16(b, 0, AF_INET6);
            Bytes.putBe16(b, 2, port);
            Bytes.putBe32(b, 4, flowinfo);
            System.arraycopy(addr, 0, b, 8, 16);
            Bytes.putLe32(b, 24, scopeId == null ? 0 : scopeId);
            return b;
        }
    }

    /**
     * {@code sockaddr_un}: {@code sun_path} at 2 (108 bytes). A path starting with a NUL byte is
     * abstract: {@code path} is then the name after it, up to the given length; else up to the
     * first NUL.
     */
    record Un(byte[] path, boolean abstractName) implements Sockaddr {
        public Un {
            path = path.clone();
        }

        @Override
        public int family() { return AF_UNIX; }

        @Override
        public byte[] path() { return path.clone(); }
    }

    /** {@code sockaddr_nl}: {@code nl_pid} (u32) at 4, {@code nl_groups} (u32) at 8; 12 bytes. */
    record Nl(int pid, int groups) implements Sockaddr {
        @Override
        public int family() { return AF_NETLINK; }
    }

    /** Another family, or a known one whose fields the given length cuts off: the bytes after {@code sa_family}. */
    record Other(int family, byte[] data, boolean known) implements Sockaddr {
        public Other {
            data = data.clone();
        }

        @Override
        public byte[] data() { return data.clone(); }
    }

    /**
     * The socket address of {@code len} bytes at {@code address} (at most {@link #MAX_SIZE} are
     * read), or null when it cannot be read or {@code len} is under 2 (no family).
     */
    static Sockaddr read(TraceeMemory memory, long address, int len) {
        if (len < 2) {
            return null;
        }
        byte[] b = memory.readFully(address, Math.min(len, MAX_SIZE));
        return b == null ? null : decode(b);
    }

    /** The socket address in {@code b} (its length is the address length, 2 or more). */
    static Sockaddr decode(byte[] b) {
        int family = Bytes.le16(b, 0);
        return switch (family) {
            case AF_INET -> b.length >= 8 ? In.decode(b) : cut(family, b);
            case AF_INET6 -> b.length >= 24
                    ? new In6(Bytes.be16(b, 2), Bytes.be32(b, 4), Arrays.copyOfRange(b, 8, 24),
                            b.length >= 28 ? Bytes.le32(b, 24) : null)
                    : cut(family, b);
            case AF_UNIX -> {
                if (b.length <= 2) {
                    yield cut(family, b);
                }
                boolean abstractName = b[2] == 0;
                int start = abstractName ? 3 : 2;
                int end = start;
                while (end < b.length && (abstractName || b[end] != 0)) {
                    end++;
                }
                yield new Un(Arrays.copyOfRange(b, Math.min(start, b.length), Math.max(end, Math.min(start, b.length))), abstractName);
            }
            case AF_NETLINK -> b.length >= 12 ? new Nl(Bytes.le32(b, 4), Bytes.le32(b, 8)) : cut(family, b);
            default -> new Other(family, Arrays.copyOfRange(b, 2, b.length), false);
        };
    }

    private static Other cut(int family, byte[] b) {
        return new Other(family, Arrays.copyOfRange(b, 2, b.length), true);
    }
}
