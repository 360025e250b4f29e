package simterpose.simulator.mediation;

import simterpose.simulator.mediation.run.Runner;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/**
 * A platform with no route between two hosts loads, as in SimGrid; programs on it run, and only
 * a connection that needs the missing route fails, with Linux's ENETUNREACH.
 */
class MissingRouteUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    void aConnectionBetweenUnroutedHostsFailsWithEnetunreachWhileOthersRun() throws Exception {
        Path script = Files.writeString(dir.resolve("connect.py"), """
                import socket
                s = socket.socket()
                try:
                    s.connect(("10.0.0.2", 80))
                    print("connected")
                except OSError as e:
                    print("connect", e.errno, e.strerror)
                """);
        Path file = Files.writeString(dir.resolve("cpu-only.xml"), """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="z" routing="Full">
                    <host id="alice" speed="1Gf"><prop id="ip" value="10.0.0.1"/></host>
                    <host id="bob" speed="1Gf"><prop id="ip" value="10.0.0.2"/></host>
                  </zone>
                  <actor host="alice" function="/usr/bin/python3"><argument value="%s"/></actor>
                  <actor host="bob" function="/bin/true"/>
                </platform>
                """.formatted(script));
        Platform p = PlatformLoader.load(file);
        assertThat(p.missingRoute()).isPresent();
        RunReport r = Runner.run(p, p.deployment(), Scenario.options(dir.resolve("out")), new RunListener() {});
        Scenario.assertNoneLeft(r);
        assertThat(Scenario.text(r.actors().get(0).stdout())).isEqualTo("connect 101 Network is unreachable\n");
        assertThat(r.actors()).allSatisfy(a -> assertThat(a.exitCode()).isZero());
    }
}
