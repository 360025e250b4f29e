package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstTransferTest {
    @TempDir
    Path dir;

    @Test
    void clientSendsToServer() {
        Scenario s = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1", dir.toString())
                .actor("alice", Scenario.app("tcp_client"), 0, "10.0.0.2", "8080", "1000000");
        RunReport r = s.run();
        System.err.println(r);
        r.actors().forEach(a -> System.err.println(a.name() + ": " + Scenario.text(a.stdout()) + Scenario.text(a.stderr())));
        assertThat(r.success()).isTrue();
    }
}
