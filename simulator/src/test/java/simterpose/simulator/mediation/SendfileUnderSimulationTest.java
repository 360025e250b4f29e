package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sendfile(2) from a real file to a simulated socket, by a real process under the simulation. */
class SendfileUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    void sendfileDeliversTheFileExactlyAndMovesThePositionOnlyWithoutAnOffset() throws Exception {
        int size = 3_000_001; // odd: the halves differ; more than one send chunk
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("payload.bin");
        Files.write(file, content);
        Scenario s = new Scenario(dir, "LV08", "10MBps", "5ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1", dir.toString())
                .actor("alice", Scenario.app("tcp_sendfile"), 0, "10.0.0.2", "8080", file.toString());
        RunReport r = s.run();

        assertThat(r.success()).as("%s", r).isTrue();
        Map<String, String> sender = Scenario.results(r.actors().get(1)).getFirst();
        assertThat(sender).containsEntry("sent", Integer.toString(size))
                .containsEntry("pos", Integer.toString(size / 2)) // the offset half leaves the position alone
                .containsEntry("offset", Integer.toString(size));
        assertThat(TcpAppsUnderSimulationTest.fileSha(dir.resolve("conn-0.bin")))
                .isEqualTo(TcpAppsUnderSimulationTest.fileSha(file));
        assertThat(r.actors().get(1).bytesSent()).isEqualTo(size);
    }
}
