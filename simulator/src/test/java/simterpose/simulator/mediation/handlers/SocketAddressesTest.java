package simterpose.simulator.mediation.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import simterpose.bindings.Errno;
import simterpose.simulator.kernel.SockAddr;
import simterpose.simulator.kernel.SysResult;

/** Socket addresses between a program's sockaddr bytes and the kernel's values, sockaddr_in6 of a dual-stack socket included. */
class SocketAddressesTest {
    private static byte[] in6(int port, int... address) {
        byte[] b = new byte[28];
        b[0] = 10; // AF_INET6, little-endian
        b[2] = (byte) (port >>> 8);
        b[3] = (byte) port;
        for (int i = 0; i < address.length; i++) {
            b[8 + 16 - address.length + i] = (byte) address[i];
        }
        return b;
    }

    private static byte[] in(int family, int port, int a, int b, int c, int d) {
        return new byte[] {(byte) family, 0, (byte) (port >>> 8), (byte) port, (byte) a, (byte) b, (byte) c, (byte) d,
                0, 0, 0, 0, 0, 0, 0, 0};
    }

    private static SysResult<SocketAddresses.Given> given6(byte[] raw) {
        return SocketAddresses.given(raw, true, Errno.ENETUNREACH);
    }

    @Test
    void anyLoopbackAndMappedAddressesMeanTheirIpv4Selves() {
        assertThat(given6(in6(80)).value()).isEqualTo(new SocketAddresses.Given(new SockAddr(SockAddr.ANY, 80), true));
        assertThat(given6(in6(80, 1)).value()).isEqualTo(new SocketAddresses.Given(new SockAddr(SockAddr.LOOPBACK, 80), true));
        assertThat(given6(in6(8000, 0xff, 0xff, 10, 0, 0, 2)).value())
                .isEqualTo(new SocketAddresses.Given(SockAddr.of("10.0.0.2", 8000), false));
        assertThat(given6(in6(80, 0xff, 0xff, 127, 0, 0, 1)).value())
                .isEqualTo(new SocketAddresses.Given(new SockAddr(SockAddr.LOOPBACK, 80), false));
    }

    @Test
    void encodingIsTheInverseOfDecoding() {
        for (SockAddr a : new SockAddr[] {new SockAddr(SockAddr.ANY, 1), new SockAddr(SockAddr.LOOPBACK, 2),
                SockAddr.of("10.0.0.1", 65535)}) {
            assertThat(given6(SocketAddresses.bytes(a, SockAddr.Form.IN6)).value().address()).isEqualTo(a);
            assertThat(SocketAddresses.given(SocketAddresses.bytes(a, SockAddr.Form.IN), false, Errno.ENETUNREACH).value())
                    .isEqualTo(new SocketAddresses.Given(a, false));
        }
        assertThat(SocketAddresses.bytes(SockAddr.of("10.0.0.1", 80), SockAddr.Form.IN6)).hasSize(28);
        assertThat(SocketAddresses.bytes(SockAddr.of("10.0.0.1", 80), SockAddr.Form.IN)).isEqualTo(in(2, 80, 10, 0, 0, 1));
    }

    @Test
    void mappedNamingWritesEveryAddressIpv4MappedLoopbackAndAnyIncluded() {
        assertThat(SocketAddresses.bytes(new SockAddr(SockAddr.LOOPBACK, 80), SockAddr.Form.IN6_MAPPED))
                .isEqualTo(in6(80, 0xff, 0xff, 127, 0, 0, 1));
        assertThat(SocketAddresses.bytes(new SockAddr(SockAddr.ANY, 80), SockAddr.Form.IN6_MAPPED))
                .isEqualTo(in6(80, 0xff, 0xff, 0, 0, 0, 0));
        assertThat(SocketAddresses.bytes(new SockAddr(SockAddr.LOOPBACK, 80), SockAddr.Form.IN6)).isEqualTo(in6(80, 1));
        assertThat(SocketAddresses.bytes(new SockAddr(SockAddr.ANY, 80), SockAddr.Form.IN6)).isEqualTo(in6(80));
    }

    @Test
    void aNativeIpv6AddressIsTheCallersErrnoAndAnotherFamilyIsRefused() {
        byte[] documentation = in6(80, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1); // 2001:db8::1
        assertThat(given6(documentation)).isEqualTo(SysResult.errno(Errno.ENETUNREACH));
        assertThat(given6(in(2, 80, 10, 0, 0, 1))).isEqualTo(SysResult.errno(Errno.EAFNOSUPPORT));
        assertThat(given6(java.util.Arrays.copyOf(in6(80, 1), 20))).isEqualTo(SysResult.errno(Errno.EINVAL));
        assertThat(given6(java.util.Arrays.copyOf(in6(80, 1), 24)).value().address()).isEqualTo(new SockAddr(SockAddr.LOOPBACK, 80));
        assertThat(SocketAddresses.given(in6(80, 1), false, Errno.ENETUNREACH)).isEqualTo(SysResult.errno(Errno.EAFNOSUPPORT));
        assertThat(SocketAddresses.given(java.util.Arrays.copyOf(in(2, 80, 10, 0, 0, 1), 8), false, Errno.ENETUNREACH))
                .isEqualTo(SysResult.errno(Errno.EINVAL));
        assertThat(SocketAddresses.given(new byte[] {2}, false, Errno.ENETUNREACH)).isEqualTo(SysResult.errno(Errno.EINVAL));
    }

    @Test
    void aDatagramDestinationIsAnInetAddressAndAfUnspecReadsAsOne() {
        assertThat(SocketAddresses.destination(in(2, 9000, 10, 0, 0, 2)).value()).isEqualTo(SockAddr.of("10.0.0.2", 9000));
        assertThat(SocketAddresses.destination(in(0, 9000, 10, 0, 0, 2)).value()).isEqualTo(SockAddr.of("10.0.0.2", 9000));
        assertThat(SocketAddresses.destination(in(1, 9000, 10, 0, 0, 2))).isEqualTo(SysResult.errno(Errno.EAFNOSUPPORT));
        assertThat(SocketAddresses.destination(java.util.Arrays.copyOf(in(2, 9000, 10, 0, 0, 2), 15)))
                .isEqualTo(SysResult.errno(Errno.EINVAL));
    }
}
