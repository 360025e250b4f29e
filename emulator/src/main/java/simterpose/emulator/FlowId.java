package simterpose.emulator;

/**
 * The flow an IPv4 packet belongs to, as a fair queue classifies it: its addresses, its protocol
 * and, for TCP and UDP, its ports ({@code sourcePort << 16 | destinationPort}). The fragments of
 * a datagram carry no ports past the first, so every fragment gets ports 0: the pieces of one
 * datagram stay in one flow, in order.
 */
record FlowId(int source, int destination, int protocol, int ports) {
    static final int TCP = 6;
    static final int UDP = 17;

    /** The flow of {@code packet}, an IPv4 packet of at least its 20-byte header (the relay checked both). */
    static FlowId of(byte[] packet) {
        int headerBytes = (packet[0] & 0x0F) * 4;
        int protocol = packet[9] & 0xFF;
        boolean fragment = ((packet[6] & 0x3F) | (packet[7] & 0xFF)) != 0; // more fragments, or an offset
        int ports = 0;
        if ((protocol == TCP || protocol == UDP) && !fragment && packet.length >= headerBytes + 4) {
            ports = int32(packet, headerBytes);
        }
        return new FlowId(int32(packet, 12), int32(packet, 16), protocol, ports);
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
