package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that answers, then closes with unread data (so its kernel sends a RST): the client
 * reads the answer first and the reset after, on Linux (run here natively over loopback) and
 * under the simulation alike.
 */
class ResetConnectionUnderSimulationTest {
    private static final String SERVER = """
            import socket, sys, time
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1)
            c, _ = s.accept()
            c.recv(10)              # leaves most of the request unread
            c.sendall(b"a" * 1067)  # the answer
            time.sleep(0.2)
            c.close()               # unread data: the kernel resets the connection
            """;
    private static final String CLIENT = """
            import socket, sys, time
            time.sleep(0.1)
            for attempt in range(100):  # natively the server may not listen yet on a busy machine
                try:
                    c = socket.create_connection((sys.argv[1], int(sys.argv[2]))); break
                except ConnectionRefusedError:
                    time.sleep(0.05)
            c.sendall(b"q" * 2000)
            time.sleep(1)           # the answer and the reset have both arrived
            got = 0
            try:
                while True:
                    b = c.recv(65536)
                    if not b:
                        print("read", got, "then end of stream"); break
                    got += len(b)
            except ConnectionResetError:
                print("read", got, "then ECONNRESET")
            """;

    @TempDir
    Path dir;

    @Test
    void bytesSentBeforeTheResetAreReadBeforeTheErrorAsOnLinux() throws Exception {
        Path server = Files.writeString(dir.resolve("server.py"), SERVER);
        Path client = Files.writeString(dir.resolve("client.py"), CLIENT);

        Process nativeServer = new ProcessBuilder("python3", server.toString(), "127.0.0.1", "47311").start();
        String nativeOutput;
        try {
            Process nativeClient = new ProcessBuilder("python3", client.toString(), "127.0.0.1", "47311").redirectErrorStream(true).start();
            assertThat(nativeClient.waitFor(20, TimeUnit.SECONDS)).isTrue();
            nativeOutput = new String(nativeClient.getInputStream().readAllBytes());
        } finally {
            nativeServer.destroyForcibly().waitFor();
        }
        assertThat(nativeOutput).isEqualTo("read 1067 then ECONNRESET\n");

        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", "/usr/bin/python3", 0, server.toString(), "0.0.0.0", "80")
                .actor("alice", "/usr/bin/python3", 0, client.toString(), "10.0.0.2", "80");
        RunReport r = s.run();
        assertThat(Scenario.text(r.actors().get(1).stdout())).isEqualTo(nativeOutput);
        assertThat(r.actors()).allSatisfy(a -> assertThat(a.exitCode()).as(Scenario.text(a.stderr())).isZero());
    }
}
