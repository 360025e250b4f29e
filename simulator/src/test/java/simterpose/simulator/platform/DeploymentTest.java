package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
    @Test
    void actorsInThePlatformFileAreReadInOrderWithArgumentsAndProperties() {
        Platform p = Platforms.inline("""
                <zone id="z" routing="Full"><host id="a" speed="1Gf"/></zone>
                <actor host="a" function="server" start_time="1.5" kill_time="10">
                  <argument value="--port"/><argument value="80"/><prop id="role" value="web"/>
                </actor>
                <process host="a" function="client"/>""");
        assertThat(p.deployment().actors()).hasSize(2);
        ActorSpec server = p.deployment().actors().getFirst();
        assertThat(server.host()).isEqualTo("a");
        assertThat(server.function()).isEqualTo("server");
        assertThat(server.args()).containsExactly("--port", "80");
        assertThat(server.startTime()).isEqualTo(1.5);
        assertThat(server.killTime()).isEqualTo(10.0);
        assertThat(server.properties()).containsEntry("role", "web");
        assertThat(server.location().line()).isEqualTo(4);
        ActorSpec client = p.deployment().actors().get(1);
        assertThat(client.startTime()).isEqualTo(-1.0);
        assertThat(client.killTime()).isEqualTo(-1.0);
    }

    @Test
    void separateDeploymentFileIsValidatedAgainstThePlatform(@TempDir Path dir) throws Exception {
        Platform platform = Platforms.load("small_platform.xml");
        Path good = dir.resolve("good.xml");
        Files.writeString(good, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="Tremblay" function="master"><argument value="20"/></actor>
                  <actor host="Jupiter" function="worker"/>
                </platform>
                """);
        Deployment d = PlatformLoader.loadDeployment(good, platform);
        assertThat(d.actors()).extracting(ActorSpec::host).containsExactly("Tremblay", "Jupiter");
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="Tremblay" function="master"/>
                  <actor host="Atlantis" function="worker"/>
                </platform>
                """);
        assertThatThrownBy(() -> PlatformLoader.loadDeployment(bad, platform))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.getMessage()).startsWith(bad + ":4:");
                    assertThat(e.problem()).contains("unknown host 'Atlantis'");
                });
    }
}
