package simterpose.tracer.syscall;

import static simterpose.tracer.syscall.Quote.ptr;

import simterpose.tracer.abi.Sockaddr;
import simterpose.tracer.syscall.Decoders.Ctx;

/**
 * The network decoders (strace's {@code net.c}): socket addresses as strace prints them, read
 * through {@link Sockaddr}, and their in-out lengths.
 */
final class NetDecoders {
    private NetDecoders() {}

    /** {@code [16]}, or {@code [112 => 16]} when the kernel changed the length. */
    static String sockLen(Ctx c, int i) {
        long addr = c.a()[i];
        if (addr == 0) {
            return "NULL";
        }
        int before = (int) c.saved()[i];
        if (c.failed()) {
            return "[" + before + "]";
        }
        int after = Decoders.readInt(c, addr, before);
        return before == after ? "[" + after + "]" : "[" + before + " => " + after + "]";
    }

    static String sockaddr(Ctx c, long addr, int len) {
        if (addr == 0) {
            return "NULL";
        }
        if (len < 2) {
            return len <= 0 ? ptr(addr) : "{sa_family=???}";
        }
        Sockaddr sa = Sockaddr.read(c.mem(), addr, len);
        if (sa == null) {
            return ptr(addr);
        }
        StringBuilder sb = new StringBuilder("{sa_family=").append(Xlat.AF.value(sa.family()));
        switch (sa) {
            case Sockaddr.In in -> sb.append(", sin_port=htons(").append(in.port()).append("), sin_addr=inet_addr(\"")
                    .append(in.addrText()).append("\")");
            case Sockaddr.In6 in6 -> {
                sb.append(", sin6_port=htons(").append(in6.port()).append("), sin6_flowinfo=htonl(")
                        .append(Integer.toUnsignedString(in6.flowinfo())).append("), inet_pton(AF_INET6, \"")
                        .append(inet6(in6.addr(), 0)).append("\", &sin6_addr)");
                if (in6.scopeId() != null) {
                    sb.append(", sin6_scope_id=").append(Integer.toUnsignedString(in6.scopeId()));
                }
            }
            case Sockaddr.Un un -> sb.append(", sun_path=").append(un.abstractName() ? "@" : "")
                    .append(Quote.bytes(un.path(), un.path().length, false, false));
            case Sockaddr.Nl nl -> sb.append(", nl_pid=").append(nl.pid()).append(", nl_groups=")
                    .append(String.format("%08x", nl.groups()));
            case Sockaddr.Other o when o.known() -> { } // its fields are cut off: the family alone
            case Sockaddr.Other o -> sb.append(", sa_data=").append(Quote.bytes(o.data(), o.data().length, false, false));
        }
        return sb.append('}').toString();
    }

    /** inet_ntop's text for an IPv6 address: the longest run of ≥2 zero groups becomes {@code ::}. */
    static String inet6(byte[] b, int off) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = be16(b, off + 2 * k);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (b[off + 12] & 0xff) + "." + (b[off + 13] & 0xff) + "."
                    + (b[off + 14] & 0xff) + "." + (b[off + 15] & 0xff);
        }
        int bestStart = -1, bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestStart = s;
                bestLen = k - s;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    private static int be16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
