package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each escape route of testapps/src/escape_probe.h, run natively and under {@code simterpose run},
 * inside two network namespaces this test creates and joins with a veth pair: the probe's side
 * (192.0.2.1, TEST-NET-1) and a listener's side (192.0.2.2) that prints every frame carrying the
 * probe's tag. Natively the listener sees each route's datagram or frame; under run it sees
 * nothing and each probe prints the errno the README's sandbox policy names. The namespaces (and
 * with them the veth pair) and the listener are removed whatever happens.
 */
class SandboxConformanceTest {
    private static final Path BIN = RunEndToEndTest.BIN;
    private static final String[][] ROUTES = {
            {"i386", "socketcall(SOCKET) failed: ENOSYS"},
            {"io_uring", "io_uring_setup failed: ENOSYS"},
            {"user_notif", "seccomp(NEW_LISTENER) failed: EINVAL"},
            {"packet", "socket(AF_PACKET) failed: EAFNOSUPPORT"}};
    private static final String[] BUILDS = {"escape_probe", "escape_probe_static"};

    @TempDir
    Path dir;

    private final String suffix = Long.toString(ProcessHandle.current().pid() % 100000);
    private final String probeSide = "st-sbx-p" + suffix, listenerSide = "st-sbx-l" + suffix;
    private final String probeIf = "stsbxp" + suffix, listenerIf = "stsbxl" + suffix;

    @Test
    void noEscapeRouteReachesTheWireUnderRunWhileEachDoesNatively() throws Exception {
        assumeTrue(sh("ip", "netns", "list") == 0, "needs root and iproute2 (ip netns)");
        Process listener = null;
        Path heard = dir.resolve("listener.out");
        try {
            createNamespaces();
            listener = new ProcessBuilder("ip", "netns", "exec", listenerSide, BIN.resolve("escape_listener").toString(), listenerIf)
                    .redirectOutput(heard.toFile()).redirectErrorStream(true).start();
            awaitLine(heard, "listening");

            for (String build : BUILDS) {
                for (String[] route : ROUTES) {
                    String out = capture("ip", "netns", "exec", probeSide, BIN.resolve(build).toString(), route[0], "192.0.2.2", "9", probeIf);
                    assertThat(out).as("native %s %s", build, route[0]).isEqualTo(route[0] + ": sent\n");
                    awaitLine(heard, "seen " + route[0]);
                }
            }
            long nativeLines = Files.readAllLines(heard).size();

            Path deployment = dir.resolve("escapes.xml");
            StringBuilder xml = new StringBuilder("<?xml version='1.0'?>\n<platform version=\"4.1\">\n");
            for (String build : BUILDS) {
                for (String[] route : ROUTES) {
                    xml.append("  <actor host=\"client\" function=\"").append(BIN.resolve(build)).append("\">")
                            .append("<argument value=\"").append(route[0]).append("\"/><argument value=\"192.0.2.2\"/>")
                            .append("<argument value=\"9\"/><argument value=\"").append(probeIf).append("\"/></actor>\n");
                }
            }
            Files.writeString(deployment, xml.append("</platform>\n").toString());
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", probeSide));
            argv.addAll(TraceDifferentialTest.javaMain());
            argv.addAll(List.of("run", RunEndToEndTest.ROOT.resolve("examples/two-hosts.xml").toString(), deployment.toString(),
                    "-o", dir.resolve("out").toString()));
            Process run = new ProcessBuilder(argv).redirectOutput(dir.resolve("report.txt").toFile())
                    .redirectError(dir.resolve("run.err").toFile()).start();
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("run ends").isTrue();
            assertThat(run.exitValue()).as(Files.readString(dir.resolve("run.err"))).isZero();
            int index = 0;
            for (String build : BUILDS) {
                for (String[] route : ROUTES) {
                    Path stdout = dir.resolve("out/client-" + build + "-" + index++ + ".stdout");
                    assertThat(Files.readString(stdout)).as("under run: %s %s", build, route[0])
                            .isEqualTo(route[0] + ": " + route[1] + "\n");
                }
            }
            Thread.sleep(300); // a frame in flight would have arrived by now (one veth hop)
            assertThat(Files.readAllLines(heard)).as("the listener heard nothing from the run").hasSize((int) nativeLines);
        } finally {
            if (listener != null) {
                listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            sh("ip", "netns", "del", probeSide);
            sh("ip", "netns", "del", listenerSide);
        }
        assertThat(capture("ip", "netns", "list")).doesNotContain(probeSide, listenerSide);
    }

    private void createNamespaces() throws Exception {
        sh("ip", "netns", "del", probeSide); // a namespace left by a killed earlier run of this test
        sh("ip", "netns", "del", listenerSide);
        for (String[] cmd : new String[][] {
                {"ip", "netns", "add", probeSide},
                {"ip", "netns", "add", listenerSide},
                {"ip", "link", "add", probeIf, "netns", probeSide, "type", "veth", "peer", "name", listenerIf, "netns", listenerSide},
                {"ip", "-n", probeSide, "addr", "add", "192.0.2.1/24", "dev", probeIf},
                {"ip", "-n", listenerSide, "addr", "add", "192.0.2.2/24", "dev", listenerIf},
                {"ip", "-n", probeSide, "link", "set", "lo", "up"},
                {"ip", "-n", probeSide, "link", "set", probeIf, "up"},
                {"ip", "-n", listenerSide, "link", "set", listenerIf, "up"}}) {
            assertThat(sh(cmd)).as(String.join(" ", cmd)).isZero();
        }
    }

    private static void awaitLine(Path file, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readAllLines(file).contains(line)) {
            assertThat(System.nanoTime()).as("'%s' in %s: %s", line, file, Files.readString(file)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static String capture(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
