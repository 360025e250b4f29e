package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP data calls whose bytes go straight between the tracee and the socket queues:
 * several buffers on both sides (sendmsg, writev, recvmsg, readv), MSG_PEEK, MSG_WAITALL, and
 * buffers that run into unmapped memory, in a real python3 pair. Natively (loopback, Linux
 * 6.18) the script prints the same results; a blocking send that runs into a hole returns the
 * bytes taken before the piece that faulted, a few kB short of the hole natively (Linux's copy
 * granularity), up to a send buffer's worth here (what the socket asked for at once).
 */
class StreamDataUnderSimulationTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    static final String SCRIPT = """
# TCP data calls with several buffers, peeks, waits and faulting buffers; prints RESULT lines.
# usage: stream_calls.py server PORT | client HOST PORT
import ctypes, hashlib, os, socket, sys

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
for f in (libc.send, libc.recv):
    f.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    f.restype = ctypes.c_ssize_t
MB = 1 << 20

def mapped_then_hole(size, hole):  # size bytes of which the last `hole` are unmapped
    p = libc.mmap(None, size, 3, 0x22, -1, 0)  # PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS
    libc.munmap(p + size - hole, hole)
    return p

def call(f, fd, addr, n, flags):
    r = f(fd, addr, n, flags)
    return r if r >= 0 else -ctypes.get_errno()

PARTS = [bytes((i * 7 + k) % 251 for i in range(n)) for k, n in enumerate((70000, 1, 30000, 50000))]
# what the server must get: the q run is as long as the big send's count (Linux stops a few kB
# before the hole, at its copy granularity)
HEAD = b"".join(PARTS) + b"ab" + b"cd" * 5000 + b"z" * 100
TAIL = b"T" * 1000

if sys.argv[1] == "client":
    s = socket.create_connection((sys.argv[2], int(sys.argv[3])))
    fd = s.fileno()
    sent = s.sendmsg(PARTS)
    wv = os.writev(fd, [b"ab", b"cd" * 5000])
    p = mapped_then_hole(8192, 4096)
    ctypes.memset(p, ord("z"), 4096)
    torn = call(libc.send, fd, p + 4096 - 100, 300, 0)
    whole = call(libc.send, fd, p + 4096 - 100, 100, 0)
    libc.munmap(p, 4096)  # a buffer that worked, then unmapped
    gone = call(libc.send, fd, p + 4096 - 100, 100, 0)
    q = mapped_then_hole(6 * MB, MB)
    ctypes.memset(q, ord("q"), 5 * MB)
    big = call(libc.send, fd, q, 6 * MB, 0)
    s.sendall(b"T" * 1000)
    s.close()
    print(f"RESULT sendmsg={sent} writev={wv} torn_send={torn} send={whole} gone_send={gone} big_send={big}", flush=True)
else:
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("0.0.0.0", int(sys.argv[2])))
    l.listen(1)
    c, _ = l.accept()
    fd = c.fileno()
    got = bytearray()
    got += c.recv(10, socket.MSG_WAITALL)
    peeked = c.recv(5000, socket.MSG_PEEK)
    again = c.recv(len(peeked), socket.MSG_WAITALL)
    got += again
    bufs = [bytearray(3), bytearray(60000), bytearray(40000)]
    n = c.recvmsg_into(bufs, 0, socket.MSG_WAITALL)[0]
    got += b"".join(bufs)[:n]
    vec = [bytearray(7), bytearray(9)]
    k = os.readv(fd, vec)
    got += b"".join(vec)[:k]
    r = libc.mmap(None, 4096, 3, 0x22, -1, 0)
    k2 = call(libc.recv, fd, r, 5, 0)  # a buffer that worked, then made read-only
    got += ctypes.string_at(r, max(k2, 0))
    libc.mprotect(r, 4096, 1)
    ro = call(libc.recv, fd, r, 5, 0)
    p = mapped_then_hole(8192, 4096)
    torn = call(libc.recv, fd, p + 4096 - 100, 300, socket.MSG_WAITALL)
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        got += b
    qs = len(got) - len(HEAD) - len(TAIL)
    same = bytes(got) == HEAD + b"q" * qs + TAIL
    print(f"RESULT peek_same={peeked == again} recvmsg={n} readv_ok={0 < k <= 16}"
          f" recv={k2} ro_recv={ro} torn_recv={torn} total={len(got)} qs={qs} same={same}", flush=True)
""";

    @Test
    void vectoredPeekedWaitingAndFaultingTransfersMoveExactlyTheRightBytes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "python3 is not installed");
        Path script = Files.writeString(dir.resolve("stream_calls.py"), SCRIPT);
        Scenario s = new Scenario(dir, "LV08", "100MBps", "1ms")
                .actor("bob", PYTHON, 0, script.toString(), "server", "8080")
                .actor("alice", PYTHON, 1, script.toString(), "client", "10.0.0.2", "8080");
        RunReport r = s.run();

        assertThat(r.success()).as("%s\n%s\n%s", r, Scenario.text(r.actors().get(0).stderr()),
                Scenario.text(r.actors().get(1).stderr())).isTrue();
        Map<String, String> client = Scenario.results(r.actors().get(1)).getFirst();
        Map<String, String> server = Scenario.results(r.actors().get(0)).getFirst();
        assertThat(client).containsEntry("sendmsg", "150001").containsEntry("writev", "10002")
                .containsEntry("torn_send", "-14") // EFAULT: the 300 bytes run into the hole, none taken
                .containsEntry("send", "100")
                .containsEntry("gone_send", "-14"); // the same buffer once unmapped
        long big = Long.parseLong(client.get("big_send"));
        assertThat(big).isBetween(4L << 20, 5L << 20); // more than the send buffer holds, not past the hole
        assertThat(server).containsEntry("peek_same", "True").containsEntry("recvmsg", "100003")
                .containsEntry("readv_ok", "True")
                .containsEntry("recv", "5").containsEntry("ro_recv", "-14") // the same buffer once read-only
                .containsEntry("torn_recv", "-14") // EFAULT, and the bytes stay for the next read
                .containsEntry("qs", Long.toString(big)) // exactly the bytes the send reported
                .containsEntry("same", "True");
    }
}
