package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOPROTOOPT;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A TCP socket's options that do not depend on its connection: the buffer sizes and their
 * autotuning (what they make of the windows and of the send buffer's room), TCP_MAXSEG,
 * SO_LINGER, and the options only read back as set ({@link SocketOptions}). Options whose value
 * is the connection's (SO_ERROR, SO_ACCEPTCONN, IPV6_V6ONLY, TCP_INFO, the MSS in use) are
 * answered by {@link TcpSocket}, which asks this class for the rest.
 *
 * <p>Threading: engine thread or the running actor only, like the whole kernel.
 */
final class TcpOptions {
    private static final int MIN_SNDBUF = 4608;
    private static final int MIN_RCVBUF = 2304;

    private int sndBuf = TcpSocket.DEFAULT_SNDBUF;
    private int rcvBuf = TcpSocket.DEFAULT_RCVBUF;
    /** SO_SNDBUF was set (SOCK_SNDBUF_LOCK): it also bounds the bytes in flight. */
    private boolean sndBufLocked;
    /** SO_RCVBUF was set: no autotuning (SOCK_RCVBUF_LOCK). */
    private boolean rcvBufLocked;
    /** The application has read: the receive buffer autotunes up (unless SO_RCVBUF was set). */
    private boolean everRead;
    private int maxSeg;
    private boolean lingerZero;
    /** Options accepted and read back as set. */
    private final SocketOptions readBack = new SocketOptions();

    /** A connection spawned at SYN arrival takes its listener's options (inet_csk_clone_lock). */
    void inherit(TcpOptions listener) {
        sndBuf = listener.sndBuf;
        sndBufLocked = listener.sndBufLocked;
        rcvBuf = listener.rcvBuf;
        rcvBufLocked = listener.rcvBufLocked;
        maxSeg = listener.maxSeg;
        lingerZero = listener.lingerZero;
        readBack.inherit(listener.readBack);
    }

    /** SO_SNDBUF as Linux keeps it (doubled): the send buffer's size. */
    int sndBuf() { return sndBuf; }

    /** SO_LINGER with a zero timeout: close resets the connection. */
    boolean lingerZero() { return lingerZero; }

    double rcvTimeout() { return readBack.rcvTimeout(); }

    double sndTimeout() { return readBack.sndTimeout(); }

    boolean reuseAddr() { return readBack.reuseAddr(); }

    /** TCP_NODELAY is on: no Nagle algorithm. */
    boolean noDelay() {
        byte[] v = readBack.get(IPPROTO_TCP, TCP_NODELAY);
        return v != null && v.length >= 4 && ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != 0;
    }

    boolean reusePort() { return readBack.reusePort(); }

    /** The application took bytes: from now on the receive buffer autotunes. */
    void applicationRead() {
        everRead = true;
    }

    /** SO_RCVBUF, autotuned up once the application reads, unless set. */
    int effectiveRcvBuf() {
        return rcvBufLocked || !everRead ? rcvBuf : Math.max(rcvBuf, TcpSocket.AUTOTUNED_RCVBUF);
    }

    /**
     * The TCP window a buffer size set by the program imposes on its flows (half the doubled
     * value: the size it asked for), or +∞ while both ends autotune.
     */
    double sendWindow() {
        return sndBufLocked ? sndBuf / 2.0 : Double.POSITIVE_INFINITY;
    }

    double receiveWindow() {
        return rcvBufLocked ? rcvBuf / 2.0 : Double.POSITIVE_INFINITY;
    }

    /** TCP_MAXSEG: the value set, else as measured on Linux: 536 before a connection; 32741 on loopback, 1448 over Ethernet. */
    int mss(boolean connected, boolean loopback) {
        if (maxSeg != 0) {
            return maxSeg;
        }
        return !connected ? 536 : loopback ? 32741 : 1448;
    }

    private static boolean settable(int level, int name) {
        return switch (level) {
            case SOL_SOCKET, IPPROTO_IP -> SocketOptions.common(level, name);
            case IPPROTO_TCP -> switch (name) {
                case TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT,
                     TCP_LINGER2, TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_CONGESTION, TCP_USER_TIMEOUT,
                     TCP_FASTOPEN, TCP_NOTSENT_LOWAT -> true;
                default -> false;
            };
            default -> false;
        };
    }

    /** setsockopt of an option this class keeps (any level; the ones it does not know are ENOPROTOOPT). */
    SysResult<Integer> set(int level, int name, byte[] value) {
        if (!settable(level, name)) {
            return SysResult.errno(ENOPROTOOPT);
        }
        boolean struct = SocketOptions.isStruct(level, name);
        boolean string = level == IPPROTO_TCP && name == TCP_CONGESTION;
        if (struct ? value.length < 8 : !string && value.length < 4) {
            return SysResult.errno(EINVAL);
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int v = value.length >= 4 ? b.getInt(0) : 0;
        if (level == IPPROTO_TCP && name == TCP_MAXSEG) {
            if (v < 0 || v > 65535 - 40 || (v != 0 && v < 88)) {
                return SysResult.errno(EINVAL);
            }
            maxSeg = v;
        }
        SysResult<Integer> r = readBack.set(level, name, value);
        if (r instanceof SysResult.Errno<Integer> || level != SOL_SOCKET) {
            return r;
        }
        switch (name) {
            case SO_SNDBUF, SO_SNDBUFFORCE -> {
                sndBuf = SocketOptions.doubledAndClamped(v, MIN_SNDBUF);
                sndBufLocked = true;
            }
            case SO_RCVBUF, SO_RCVBUFFORCE -> {
                rcvBuf = SocketOptions.doubledAndClamped(v, MIN_RCVBUF);
                rcvBufLocked = true;
            }
            case SO_LINGER -> lingerZero = v != 0 && b.getInt(4) == 0;
            default -> { }
        }
        return r;
    }

    /** getsockopt of an option this class keeps (the ones it does not know are ENOPROTOOPT). */
    SysResult<byte[]> get(int level, int name) {
        if (level == SOL_SOCKET && name == SO_SNDBUF) {
            return SocketOptions.intValue(sndBuf);
        }
        if (level == SOL_SOCKET && name == SO_RCVBUF) {
            return SocketOptions.intValue(effectiveRcvBuf());
        }
        if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
            byte[] v = readBack.get(level, name);
            return SysResult.done(v != null ? v : Arrays.copyOf("cubic".getBytes(), 16));
        }
        if (!settable(level, name)) {
            return SysResult.errno(ENOPROTOOPT);
        }
        return readBack.read(level, name);
    }
}
