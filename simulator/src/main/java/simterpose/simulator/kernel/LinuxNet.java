package simterpose.simulator.kernel;

/**
 * The Linux x86_64 values of the socket API the kernel speaks (checked against the system
 * headers with gcc: AF_INET=2, SO_SNDBUF=7, MSG_NOSIGNAL=0x4000, FIONREAD=0x541B, ...).
 */
public final class LinuxNet {
    private LinuxNet() {}

    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_TYPE_MASK = 0xf;
    public static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000, O_RDWR = 2;
    public static final int FD_CLOEXEC = 1;

    public static final int IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41;
    public static final int SOL_SOCKET = 1;

    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10,
            SO_PRIORITY = 12, SO_LINGER = 13, SO_REUSEPORT = 15, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19,
            SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33,
            SO_PROTOCOL = 38, SO_DOMAIN = 39;

    public static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10,
            TCP_QUICKACK = 12, TCP_CONGESTION = 13, TCP_USER_TIMEOUT = 18, TCP_FASTOPEN = 23,
            TCP_NOTSENT_LOWAT = 25;

    public static final int IP_TOS = 1, IP_TTL = 2, IP_MTU_DISCOVER = 10, IP_RECVERR = 11, IP_FREEBIND = 15,
            IP_TRANSPARENT = 19, IP_BIND_ADDRESS_NO_PORT = 24, IP_PKTINFO = 8, IP_RECVTTL = 12, IP_RECVTOS = 13;
    public static final int UDP_CORK = 1;
    public static final int IPV6_V6ONLY = 26;

    public static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100,
            MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000, MSG_WAITFORONE = 0x10000;

    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

    /** ioctl requests: FIONREAD is SIOCINQ, SIOCOUTQ is TIOCOUTQ. */
    public static final int FIONREAD = 0x541B, SIOCINQ = 0x541B, SIOCOUTQ = 0x5411, FIONBIO = 0x5421,
            SIOCOUTQNSD = 0x894B;

    /** poll(2) bits, as epoll's. */
    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100, POLLRDHUP = 0x2000;

    /** net.ipv4.ip_local_port_range of a stock kernel. */
    public static final int EPHEMERAL_FIRST = 32768, EPHEMERAL_LAST = 60999;
    /** net.core.somaxconn of a stock kernel (listen's backlog is clamped to it). */
    public static final int SOMAXCONN = 4096;
}
