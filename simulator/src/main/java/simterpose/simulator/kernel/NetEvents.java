package simterpose.simulator.kernel;

import simterpose.simulator.platform.Host;

/**
 * What the virtual kernel tells an observer about the packets it stands for (the run's pcap and
 * timeline views): TCP control segments (SYN, SYN-ACK, the handshake's ACK, data ACKs, FIN,
 * RST), TCP data segments as the model moves them, UDP datagrams and ICMP port-unreachable
 * messages, with simulated dates, the platform's addresses and ports, and the payload bytes
 * when {@link #wantsPayloads()}.
 *
 * <p>The kernel moves bytes as model flows, not packets; these events say what a host's
 * interface would have seen of them. A control packet's arrival date is known when it leaves
 * ({@link #control}); a data segment or a datagram arrives when its flow completes, told by
 * {@link #arrived} with the id {@link #sent} gave. Called in simulated-time order, from the
 * engine's one logical thread. {@link #NONE} (the default) costs the kernel one comparison.
 */
public interface NetEvents {
    NetEvents NONE = new NetEvents() {};

    /** TCP flag bits as in the header's 13th byte. */
    int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

    enum Protocol { TCP, UDP, ICMP_PORT_UNREACHABLE }

    /**
     * One packet: for ICMP, {@code src} is the unreachable address (the datagram's destination)
     * and {@code dst} the datagram's source, and {@code payload} the datagram's bytes it quotes.
     *
     * @param payload the bytes carried, lent to the observer until it releases them (a TCP
     *                segment's are the socket's own memory, see {@link LentBytes}), or null when
     *                the observer does not want them
     */
    record Packet(Protocol protocol, Host from, SockAddr src, Host to, SockAddr dst, int tcpFlags, long length,
                  LentBytes payload) {}

    /** Whether packets carry their payload bytes (lent to the observer). */
    default boolean wantsPayloads() {
        return false;
    }

    /** A control packet leaves {@code from} at {@code sent} and reaches {@code to} at {@code arrives}. */
    default void control(double sent, double arrives, Packet packet) {}

    /**
     * A TCP data segment, a UDP datagram, or a FIN that follows data, leaves now; {@link #arrived}
     * says when, by {@code id}.
     */
    default void sent(long id, double sent, Packet packet) {}

    /** The data segment or datagram {@code id} reached its destination host. */
    default void arrived(long id, double date) {}

    /** The data segment {@code id} will never arrive (its connection was reset). */
    default void lost(long id) {}
}
