package simterpose.emulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a fair queue reads of a packet: addresses, protocol, ports. */
class FlowIdTest {

    /** An IPv4 header of 20 bytes (or more, with options) and the first 4 bytes of a TCP/UDP header. */
    private static byte[] packet(int headerWords, int protocol, int flagsAndOffset, int sourcePort, int destinationPort) {
        int header = headerWords * 4;
        byte[] b = new byte[header + 20];
        b[0] = (byte) (0x40 | headerWords);
        b[6] = (byte) (flagsAndOffset >> 8);
        b[7] = (byte) flagsAndOffset;
        b[9] = (byte) protocol;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, (byte) 200};
        System.arraycopy(src, 0, b, 12, 4);
        System.arraycopy(dst, 0, b, 16, 4);
        b[header] = (byte) (sourcePort >> 8);
        b[header + 1] = (byte) sourcePort;
        b[header + 2] = (byte) (destinationPort >> 8);
        b[header + 3] = (byte) destinationPort;
        return b;
    }

    @Test
    void aTcpSegmentIsItsAddressesProtocolAndPorts() {
        FlowId id = FlowId.of(packet(5, FlowId.TCP, 0x4000, 43210, 5000)); // don't-fragment set: not a fragment
        assertThat(id).isEqualTo(new FlowId(0x0a000001, 0x0a0000c8, FlowId.TCP, 43210 << 16 | 5000));
    }

    @Test
    void thePortsAreReadPastTheHeadersOptions() {
        assertThat(FlowId.of(packet(7, FlowId.UDP, 0, 53, 60000)).ports()).isEqualTo(53 << 16 | 60000);
    }

    @Test
    void twoConnectionsBetweenTheSameHostsAreTwoFlows() {
        assertThat(FlowId.of(packet(5, FlowId.TCP, 0, 43210, 5000)))
                .isNotEqualTo(FlowId.of(packet(5, FlowId.TCP, 0, 43211, 5000)));
    }

    @Test
    void everyFragmentOfADatagramIsInOneFlowWithoutPorts() {
        FlowId first = FlowId.of(packet(5, FlowId.UDP, 0x2000, 53, 60000));    // more fragments, offset 0
        FlowId later = FlowId.of(packet(5, FlowId.UDP, 0x00b9, 0x1234, 0x5678)); // offset 185 × 8: payload, not ports
        assertThat(first).isEqualTo(later);
        assertThat(first.ports()).isZero();
    }

    @Test
    void otherProtocolsHaveNoPorts() {
        assertThat(FlowId.of(packet(5, 1, 0, 0x0800, 0x1234)).ports()).isZero(); // ICMP echo: type, code, checksum
    }
}
