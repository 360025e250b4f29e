package simterpose.simulator.kernel;

import static simterpose.simulator.kernel.LinuxNet.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every simulated inet socket does alike with its options (sock_setsockopt,
 * ip_setsockopt): which SOL_SOCKET and IPPROTO_IP options it accepts, SO_REUSEADDR,
 * SO_REUSEPORT and the timeouts, the values read back as set, the defaults of those only
 * stored, the buffer-size rule. Each socket adds its protocol's options and acts on the values
 * that change its own behaviour (buffer sizes, linger...).
 *
 * <p>Threading: owned by its socket.
 */
final class SocketOptions {
    /** 2 × net.core.{w,r}mem_max. */
    static final int MAX_BUF = 8388608;

    /** Values as set, keyed by level << 32 | name. */
    private final Map<Long, byte[]> values = new TreeMap<>();
    private boolean reuseAddr;
    private boolean reusePort;
    private double rcvTimeout = -1;
    private double sndTimeout = -1;

    boolean reuseAddr() { return reuseAddr; }

    boolean reusePort() { return reusePort; }

    /** SO_RCVTIMEO in seconds, negative for none. */
    double rcvTimeout() { return rcvTimeout; }

    /** SO_SNDTIMEO in seconds, negative for none. */
    double sndTimeout() { return sndTimeout; }

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xFFFFFFFFL);
    }

    /** Is this SOL_SOCKET or IPPROTO_IP option one setsockopt accepts on any inet socket? */
    static boolean common(int level, int name) {
        return switch (level) {
            case SOL_SOCKET -> switch (name) {
                case SO_DEBUG, SO_REUSEADDR, SO_DONTROUTE, SO_BROADCAST, SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE,
                     SO_OOBINLINE, SO_PRIORITY, SO_LINGER, SO_REUSEPORT, SO_RCVLOWAT, SO_RCVTIMEO, SO_SNDTIMEO,
                     SO_SNDBUFFORCE, SO_RCVBUFFORCE -> true;
                default -> false;
            };
            case IPPROTO_IP -> switch (name) {
                case IP_TOS, IP_TTL, IP_MTU_DISCOVER, IP_RECVERR, IP_FREEBIND, IP_TRANSPARENT,
                     IP_BIND_ADDRESS_NO_PORT, IP_PKTINFO, IP_RECVTOS, IP_RECVTTL -> true;
                default -> false;
            };
            default -> false;
        };
    }

    /** SO_LINGER and the timeouts take a struct (8 bytes at least), the others an int. */
    static boolean isStruct(int level, int name) {
        return level == SOL_SOCKET && (name == SO_LINGER || name == SO_RCVTIMEO || name == SO_SNDTIMEO);
    }

    /**
     * SO_RCVTIMEO/SO_SNDTIMEO's struct timeval in seconds, negative for none (zero or a negative
     * tv_sec); NaN when setsockopt must fail with EINVAL (short, or tv_usec outside 0–999999).
     */
    static double timeout(byte[] value) {
        if (value.length < 16) {
            return Double.NaN;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        long sec = b.getLong(0);
        long usec = b.getLong(8);
        if (usec < 0 || usec >= 1_000_000) {
            return Double.NaN;
        }
        return sec < 0 || (sec == 0 && usec == 0) ? -1 : sec + usec / 1e6;
    }

    /** SO_SNDBUF/SO_RCVBUF: Linux doubles the request (bookkeeping overhead), within [min, MAX_BUF]. */
    static int doubledAndClamped(int requested, int min) {
        long doubled = 2L * Math.max(0, Math.min(requested, MAX_BUF / 2));
        return (int) Math.max(min, doubled);
    }

    static SysResult<byte[]> intValue(int v) {
        return SysResult.done(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /**
     * setsockopt of an accepted option whose length the socket checked: keeps the value and
     * applies SO_REUSEADDR, SO_REUSEPORT and the timeouts (EINVAL for a malformed timeval).
     */
    SysResult<Integer> set(int level, int name, byte[] value) {
        if (level == SOL_SOCKET) {
            int v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            switch (name) {
                case SO_REUSEADDR -> reuseAddr = v != 0;
                case SO_REUSEPORT -> reusePort = v != 0;
                case SO_RCVTIMEO, SO_SNDTIMEO -> {
                    double t = timeout(value);
                    if (Double.isNaN(t)) {
                        return SysResult.errno(simterpose.bindings.Errno.EINVAL);
                    }
                    if (name == SO_RCVTIMEO) {
                        rcvTimeout = t;
                    } else {
                        sndTimeout = t;
                    }
                }
                default -> { }
            }
        }
        values.put(key(level, name), Arrays.copyOf(value, value.length));
        return SysResult.done(0);
    }

    /** An accepted connection starts with its listener's options (sk_clone). */
    void inherit(SocketOptions from) {
        values.putAll(from.values);
        reuseAddr = from.reuseAddr;
        reusePort = from.reusePort;
        rcvTimeout = from.rcvTimeout;
        sndTimeout = from.sndTimeout;
    }

    /** The bytes last set, or null. */
    byte[] get(int level, int name) {
        byte[] v = values.get(key(level, name));
        return v == null ? null : v.clone();
    }

    /**
     * getsockopt of SO_REUSEADDR/SO_REUSEPORT (0 or 1) or of an option the socket only stores:
     * its value as set, else Linux's default (SO_RCVLOWAT 1, IP_TTL 64, zeroed structs for
     * SO_LINGER and the timeouts, 0 otherwise).
     */
    SysResult<byte[]> read(int level, int name) {
        if (level == SOL_SOCKET && (name == SO_REUSEADDR || name == SO_REUSEPORT)) {
            return intValue((name == SO_REUSEADDR ? reuseAddr : reusePort) ? 1 : 0);
        }
        byte[] v = get(level, name);
        if (v != null) {
            return SysResult.done(v);
        }
        if (level == SOL_SOCKET && name == SO_RCVLOWAT) {
            return intValue(1);
        }
        if (level == IPPROTO_IP && name == IP_TTL) {
            return intValue(64);
        }
        return SysResult.done(new byte[isStruct(level, name) ? (name == SO_LINGER ? 8 : 16) : 4]);
    }
}
