package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import simterpose.bindings.Errno;

/** sockaddr_in6 as a dual-stack socket sees the platform's IPv4 addresses. */
class SockAddr6Test {
    private static byte[] in6(int port, int... address) {
        byte[] b = new byte[SockAddr.SIZE6];
        b[0] = (byte) LinuxNet.AF_INET6;
        b[2] = (byte) (port >>> 8);
        b[3] = (byte) port;
        for (int i = 0; i < address.length; i++) {
            b[8 + 16 - address.length + i] = (byte) address[i];
        }
        return b;
    }

    @Test
    void anyLoopbackAndMappedAddressesMeanTheirIpv4Selves() {
        assertThat(SockAddr.decode6(in6(80), Errno.ENETUNREACH).value()).isEqualTo(new SockAddr(SockAddr.ANY, 80));
        assertThat(SockAddr.decode6(in6(80, 1), Errno.ENETUNREACH).value()).isEqualTo(new SockAddr(SockAddr.LOOPBACK, 80));
        assertThat(SockAddr.decode6(in6(8000, 0xff, 0xff, 10, 0, 0, 2), Errno.ENETUNREACH).value())
                .isEqualTo(SockAddr.of("10.0.0.2", 8000));
    }

    @Test
    void encodingIsTheInverseOfDecoding() {
        for (SockAddr a : new SockAddr[] {new SockAddr(SockAddr.ANY, 1), new SockAddr(SockAddr.LOOPBACK, 2),
                SockAddr.of("10.0.0.1", 65535)}) {
            assertThat(SockAddr.decode6(a.encode6(), Errno.ENETUNREACH).value()).isEqualTo(a);
        }
        assertThat(SockAddr.of("10.0.0.1", 80).encode6()).hasSize(28);
    }

    @Test
    void mappedNamingWritesEveryAddressIpv4MappedLoopbackAndAnyIncluded() {
        assertThat(new SockAddr(SockAddr.LOOPBACK, 80).encode6(true)).isEqualTo(in6(80, 0xff, 0xff, 127, 0, 0, 1));
        assertThat(new SockAddr(SockAddr.ANY, 80).encode6(true)).isEqualTo(in6(80, 0xff, 0xff, 0, 0, 0, 0));
        assertThat(SockAddr.decode6(in6(80, 0xff, 0xff, 127, 0, 0, 1), Errno.ENETUNREACH).value())
                .isEqualTo(new SockAddr(SockAddr.LOOPBACK, 80));
    }

    @Test
    void onlyAnyAndLoopbackAreIpv6AddressesTheRestIsMapped() {
        assertThat(SockAddr.ipv6Address(in6(80))).isTrue();
        assertThat(SockAddr.ipv6Address(in6(80, 1))).isTrue();
        assertThat(SockAddr.ipv6Address(in6(80, 0xff, 0xff, 127, 0, 0, 1))).isFalse();
        assertThat(SockAddr.ipv6Address(in6(80, 0xff, 0xff, 0, 0, 0, 0))).isFalse();
    }

    @Test
    void aNativeIpv6AddressIsTheCallersErrnoAndAnotherFamilyIsRefused() {
        byte[] documentation = in6(80, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1); // 2001:db8::1
        assertThat(SockAddr.decode6(documentation, Errno.ENETUNREACH)).isEqualTo(SysResult.errno(Errno.ENETUNREACH));
        assertThat(SockAddr.decode6(SockAddr.of("10.0.0.1", 80).encode(), Errno.ENETUNREACH))
                .isEqualTo(SysResult.errno(Errno.EAFNOSUPPORT));
        byte[] tooShort = java.util.Arrays.copyOf(in6(80, 1), 20);
        assertThat(SockAddr.decode6(tooShort, Errno.ENETUNREACH)).isEqualTo(SysResult.errno(Errno.EINVAL));
    }
}
