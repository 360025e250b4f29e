package simterpose.bindings;

/**
 * Kernel constants that the jextract header does not reach (jextract is not installed here, so
 * the generated {@code Linux} class cannot be regenerated): the one place they are written, each
 * with the uapi header that defines it. {@code LinuxExtraTest} checks them against gcc.
 */
public final class LinuxExtra {
    private LinuxExtra() {}

    /** linux/sched.h: a network namespace (setns, unshare). */
    public static final int CLONE_NEWNET = 0x40000000;
    /** linux/if_tun.h: TUNSETIFF = _IOW('T', 202, int). */
    public static final long TUNSETIFF = 0x400454caL;
    /** linux/if_tun.h: a layer-3 (IP) device, no Ethernet header. */
    public static final short IFF_TUN = 0x0001;
    /** linux/if_tun.h: no 4-byte packet-information prefix before each packet. */
    public static final short IFF_NO_PI = 0x1000;
    /** linux/if.h: IFNAMSIZ, the size of struct ifreq's name field (struct ifreq is 40 bytes, flags at 16). */
    public static final int IFNAMSIZ = 16;
    /** linux/prctl.h: PR_SET_TIMERSLACK, the calling thread's timer slack in nanoseconds. */
    public static final int PR_SET_TIMERSLACK = 29;
    /** asm-generic/poll.h: POLLIN. */
    public static final short POLLIN = 0x0001;
    /** linux/sched.h: SCHED_FIFO, the real-time first-in first-out policy. */
    public static final int SCHED_FIFO = 1;
}
