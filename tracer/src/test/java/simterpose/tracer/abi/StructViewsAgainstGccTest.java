package simterpose.tracer.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.memory.TraceeMemory;

/**
 * Each typed view against the C compiler: a C program fills every struct through the real
 * headers and prints its bytes; each record must read those bytes back as the values the
 * program set, and the writers must produce the same bytes.
 */
class StructViewsAgainstGccTest {
    private static final String PROGRAM = """
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <string.h>
            #include <time.h>
            #include <sys/time.h>
            #include <sys/uio.h>
            #include <sys/socket.h>
            #include <netinet/in.h>
            #include <arpa/inet.h>
            #include <sys/un.h>
            #include <linux/netlink.h>
            #include <poll.h>
            #include <sys/epoll.h>
            static void dump(const char *name, const void *p, size_t n) {
                printf("%s ", name);
                for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *) p)[i]);
                printf("\\n");
            }
            int main(void) {
                struct timespec ts = {1234567890123L, 987654321L}; dump("timespec", &ts, sizeof ts);
                struct timeval tv = {-5, 999999}; dump("timeval", &tv, sizeof tv);
                struct itimerspec its = {{1, 2}, {3, 4}}; dump("itimerspec", &its, sizeof its);
                struct itimerval itv = {{5, 6}, {7, 8}}; dump("itimerval", &itv, sizeof itv);
                struct iovec iov = {(void *) 0x7ffd12345678L, 4096}; dump("iovec", &iov, sizeof iov);
                struct msghdr mh; memset(&mh, 0, sizeof mh);
                mh.msg_name = (void *) 0x1000; mh.msg_namelen = 28; mh.msg_iov = (void *) 0x2000; mh.msg_iovlen = 3;
                mh.msg_control = (void *) 0x3000; mh.msg_controllen = 64; mh.msg_flags = MSG_TRUNC;
                dump("msghdr", &mh, sizeof mh);
                struct pollfd pf = {7, POLLIN | POLLPRI, POLLOUT | POLLHUP}; dump("pollfd", &pf, sizeof pf);
                struct epoll_event ev = {EPOLLIN | EPOLLET, {.u64 = 0x1122334455667788ULL}}; dump("epoll_event", &ev, sizeof ev);
                struct sockaddr_in sin; memset(&sin, 0, sizeof sin); sin.sin_family = AF_INET;
                sin.sin_port = htons(8080); inet_pton(AF_INET, "10.0.0.2", &sin.sin_addr); dump("sockaddr_in", &sin, sizeof sin);
                struct sockaddr_in6 s6; memset(&s6, 0, sizeof s6); s6.sin6_family = AF_INET6; s6.sin6_port = htons(443);
                s6.sin6_flowinfo = htonl(0x12345); inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr); s6.sin6_scope_id = 3;
                dump("sockaddr_in6", &s6, sizeof s6);
                struct sockaddr_un su; memset(&su, 0, sizeof su); su.sun_family = AF_UNIX; strcpy(su.sun_path, "/tmp/sock");
                dump("sockaddr_un", &su, sizeof su);
                struct sockaddr_un ab; memset(&ab, 0, sizeof ab); ab.sun_family = AF_UNIX; memcpy(ab.sun_path, "\\0name", 5);
                dump("sockaddr_un_abstract", &ab, 2 + 5);
                struct sockaddr_nl nl; memset(&nl, 0, sizeof nl); nl.nl_family = AF_NETLINK; nl.nl_pid = 4242; nl.nl_groups = 0x10;
                dump("sockaddr_nl", &nl, sizeof nl);
                return 0;
            }
            """;

    private static final Map<String, byte[]> C = new HashMap<>();

    @BeforeAll
    static void compileAndRun(@TempDir Path dir) throws IOException, InterruptedException {
        Path source = Files.writeString(dir.resolve("structs.c"), PROGRAM);
        Path binary = dir.resolve("structs");
        Process gcc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
        String gccOutput = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc: %s", gccOutput).isZero();
        Process run = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor()).isZero();
        for (String line : output.strip().split("\n")) {
            String[] p = line.split(" ");
            C.put(p[0], HexFormat.of().parseHex(p[1]));
        }
    }

    /** A tracee address space holding {@code bytes} at {@link #AT}; everything else unreadable. */
    private static final long AT = 0x10_000;

    private static TraceeMemory memoryWith(byte[] bytes) {
        byte[] mem = bytes.clone();
        return new TraceeMemory() {
            @Override
            public int read(long address, byte[] dst, int offset, int length) {
                if (address < AT || address >= AT + mem.length) {
                    return -1;
                }
                int n = (int) Math.min(length, AT + mem.length - address);
                System.arraycopy(mem, (int) (address - AT), dst, offset, n);
                return n;
            }

            @Override
            public int write(long address, byte[] src, int offset, int length) {
                if (address < AT || address + length > AT + mem.length) {
                    return -1;
                }
                System.arraycopy(src, offset, mem, (int) (address - AT), length);
                return length;
            }

            @Override
            public CString readCString(long address, int max) {
                throw new UnsupportedOperationException("no strings in structs");
            }
        };
    }

    private static byte[] written(int size, java.util.function.Predicate<TraceeMemory> writer) {
        byte[] out = new byte[size];
        TraceeMemory m = memoryWith(out);
        assertThat(writer.test(m)).isTrue();
        return m.readFully(AT, size);
    }

    @Test
    void timesReadAndWriteAsTheCompilerLaysThemOut() {
        byte[] ts = C.get("timespec"), tv = C.get("timeval"), its = C.get("itimerspec");
        assertThat(ts).hasSize(Timespec.SIZE);
        assertThat(Timespec.read(memoryWith(ts), AT)).isEqualTo(new Timespec(1234567890123L, 987654321L));
        assertThat(written(Timespec.SIZE, m -> new Timespec(1234567890123L, 987654321L).write(m, AT))).isEqualTo(ts);
        assertThat(Timeval.read(memoryWith(tv), AT)).isEqualTo(new Timeval(-5, 999999));
        assertThat(written(Timeval.SIZE, m -> new Timeval(-5, 999999).write(m, AT))).isEqualTo(tv);
        Itimerspec expected = new Itimerspec(new Timespec(1, 2), new Timespec(3, 4));
        assertThat(its).hasSize(Itimerspec.SIZE);
        assertThat(Itimerspec.read(memoryWith(its), AT)).isEqualTo(expected);
        assertThat(written(Itimerspec.SIZE, m -> expected.write(m, AT))).isEqualTo(its);
        byte[] itv = C.get("itimerval");
        Itimerval expectedItv = new Itimerval(new Timeval(5, 6), new Timeval(7, 8));
        assertThat(itv).hasSize(Itimerval.SIZE);
        assertThat(Itimerval.read(memoryWith(itv), AT)).isEqualTo(expectedItv);
        assertThat(written(Itimerval.SIZE, m -> expectedItv.write(m, AT))).isEqualTo(itv);
        assertThat(Timespec.read(memoryWith(ts), AT + 8)).as("cut short by unreadable memory").isNull();
    }

    @Test
    void buffersAndMessageHeadersReadAsTheCompilerLaysThemOut() {
        byte[] iov = C.get("iovec"), mh = C.get("msghdr");
        assertThat(iov).hasSize(Iovec.SIZE);
        assertThat(Iovec.read(memoryWith(iov), AT)).isEqualTo(new Iovec(0x7ffd12345678L, 4096));
        assertThat(Iovec.readArray(memoryWith(iov), AT, 3)).as("stops where memory ends")
                .containsExactly(new Iovec(0x7ffd12345678L, 4096));
        assertThat(mh).hasSize(Msghdr.SIZE);
        assertThat(Msghdr.read(memoryWith(mh), AT)).isEqualTo(new Msghdr(0x1000, 28, 0x2000, 3, 0x3000, 64, 0x20));
    }

    @Test
    void pollAndEpollEntriesReadAsTheCompilerLaysThemOut() {
        byte[] pf = C.get("pollfd"), ev = C.get("epoll_event");
        assertThat(pf).hasSize(Pollfd.SIZE);
        assertThat(Pollfd.read(memoryWith(pf), AT, 0)).isEqualTo(new Pollfd(7, (short) 0x3, (short) 0x14));
        assertThat(ev).hasSize(EpollEvent.SIZE);
        EpollEvent e = EpollEvent.read(memoryWith(ev), AT, 0);
        assertThat(e).isEqualTo(new EpollEvent(0x1 | 0x80000000, 0x1122334455667788L));
        assertThat(e.bytes()).isEqualTo(ev);
    }

    @Test
    void socketAddressesOfEachFamilyReadAsTheCompilerLaysThemOut() {
        byte[] in = C.get("sockaddr_in"), in6 = C.get("sockaddr_in6");
        Sockaddr a = Sockaddr.read(memoryWith(in), AT, in.length);
        assertThat(a).isEqualTo(new Sockaddr.In(8080, 10 << 24 | 2));
        assertThat(((Sockaddr.In) a).addrText()).isEqualTo("10.0.0.2");
        assertThat(((Sockaddr.In) a).bytes()).isEqualTo(in);

        Sockaddr.In6 six = (Sockaddr.In6) Sockaddr.read(memoryWith(in6), AT, in6.length);
        assertThat(List.of(six.port(), six.flowinfo(), six.scopeId())).containsExactly(443, 0x12345, 3);
        assertThat(six.addr()).isEqualTo(HexFormat.of().parseHex("fe800000000000000000000000000001"));
        assertThat(six.bytes()).isEqualTo(in6);
        assertThat(((Sockaddr.In6) Sockaddr.read(memoryWith(in6), AT, Sockaddr.In6.SIZE_WITHOUT_SCOPE)).scopeId()).isNull();

        Sockaddr.Un un = (Sockaddr.Un) Sockaddr.read(memoryWith(C.get("sockaddr_un")), AT, 110);
        assertThat(new String(un.path())).isEqualTo("/tmp/sock");
        assertThat(un.abstractName()).isFalse();
        byte[] ab = C.get("sockaddr_un_abstract");
        Sockaddr.Un abs = (Sockaddr.Un) Sockaddr.read(memoryWith(ab), AT, ab.length);
        assertThat(new String(abs.path())).isEqualTo("name");
        assertThat(abs.abstractName()).isTrue();

        assertThat(Sockaddr.read(memoryWith(C.get("sockaddr_nl")), AT, 12)).isEqualTo(new Sockaddr.Nl(4242, 0x10));
        Sockaddr cut = Sockaddr.read(memoryWith(in), AT, 4);
        assertThat(cut).isInstanceOfSatisfying(Sockaddr.Other.class, o -> assertThat(o.known()).isTrue());
        assertThat(Sockaddr.read(memoryWith(in), AT, 1)).as("no room for the family").isNull();
    }
}
