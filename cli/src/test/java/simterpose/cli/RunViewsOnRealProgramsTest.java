package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.RunViewsNetcatTest.tool;
import static simterpose.cli.RunViewsNetcatTest.tshark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.cli.views.StraceLogReader;

/**
 * Every view of {@code run} ({@code --strace}, {@code --blocking}, {@code --pcap},
 * {@code --timeline}) on the examples and on the real programs the tests run (curl against
 * Python's http.server, iperf3, a static Go program), each read back by an independent reader:
 * every log line as strace's layout, every capture by tshark with no malformed packet and no
 * warning or error, the Paje file by pj_dump, the Chrome trace as JSON.
 */
class RunViewsOnRealProgramsTest {
    @TempDir
    Path dir;

    private static final Path ROOT = RunEndToEndTest.ROOT;

    /** Runs {@code run} from the repository root (the examples' program paths) with every view on. */
    private Path runWithViews(String name, String... args) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--cpu-model=none", "-o", run.resolve("out").toString(), "--strace=" + run.resolve("strace"),
                "--blocking", "--pcap=" + run.resolve("pcap"), "--timeline=" + run.resolve("timeline"),
                "--json=" + run.resolve("report.json")));
        Path out = run.resolve("stdout.txt");
        Path err = run.resolve("stderr.txt");
        Process p = RunEndToEndTest.start(out, err, argv.toArray(String[]::new));
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + ": simterpose run timed out");
        }
        assertThat(p.exitValue()).as(name + ":\n" + Files.readString(out) + Files.readString(err)).isZero();
        assertThat(Files.readString(out)).as(name).contains("blocking calls (at least 1.000000 ms):");
        assertViewsParse(run);
        return run;
    }

    private static void assertViewsParse(Path run) throws Exception {
        try (Stream<Path> logs = Files.list(run.resolve("strace"))) {
            List<Path> files = logs.toList();
            assertThat(files).isNotEmpty();
            for (Path log : files) {
                List<String> lines = Files.readAllLines(log);
                assertThat(lines).as(log.toString()).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                        "(\\[pid \\d+\\] )?\\d{9,10}\\.\\d{6} (\\w+\\(.*|<\\.\\.\\. \\w+ resumed>.*|\\+\\+\\+ .* \\+\\+\\+|--- .* ---)"));
                int pid = Integer.parseInt(log.getFileName().toString().replaceAll(".*\\.(\\d+)\\.strace$", "$1"));
                long calls = lines.stream().filter(l -> !l.endsWith("<unfinished ...>") && !l.endsWith("+++")).count();
                assertThat(StraceLogReader.read(log, pid)).as(log.toString()).hasSize((int) calls);
            }
        }
        try (Stream<Path> pcaps = Files.list(run.resolve("pcap"))) {
            for (Path pcap : pcaps.toList()) {
                // the examples' port 5000 is GSM over IP's: their bytes are plain data, not that protocol
                String expert = tshark(pcap, "-d", "tcp.port==5000,data", "-q", "-z", "expert,warn", "-o", "tcp.check_checksum:TRUE",
                        "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE");
                assertThat(expert).as(pcap + " expert notes").doesNotContainIgnoringCase("malformed")
                        .doesNotContain("Error").doesNotContain("Warning");
            }
        }
        assertThat(tool("/usr/bin/pj_dump", run.resolve("timeline.paje").toString())).contains("State, ");
        assertThat(MiniJson.parse(Files.readString(run.resolve("timeline.json")))).isInstanceOf(java.util.Map.class);
        assertThat(MiniJson.parse(Files.readString(run.resolve("report.json")))).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("blocking");
    }

    /** Both directions of the capture's first TCP connection, reassembled by tshark, as text. */
    private static String tcpStreamBytes(Path pcap) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (String line : tshark(pcap, "-q", "-z", "follow,tcp,raw,0").lines().toList()) {
            String h = line.strip();
            if (h.matches("[0-9a-f]+") && h.length() % 2 == 0) {
                hex.append(h);
            }
        }
        return new String(java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long packets(Path pcap) throws Exception {
        return tshark(pcap, "-T", "fields", "-e", "frame.number").lines().count();
    }

    @Test
    void theTcpExamplesViewsParse() throws Exception {
        Path run = runWithViews("client-server", "examples/two-hosts.xml", "examples/client-server.xml");
        // 10 MB in segments of at most the MSS, seen leaving the client and arriving at the server
        assertThat(tshark(run.resolve("pcap/server.pcap"), "-T", "fields", "-e", "tcp.len", "-Y", "tcp.len > 0").lines()
                .mapToLong(Long::parseLong).sum()).isEqualTo(10_000_000L);
        runWithViews("office", "examples/office-and-cluster.xml", "examples/office-uploads.xml");
    }

    @Test
    void theUdpExampleViewsParse() throws Exception {
        Path run = runWithViews("udp", "examples/two-hosts.xml", "examples/udp-pingpong.xml");
        assertThat(tshark(run.resolve("pcap/client.pcap"), "-T", "fields", "-e", "udp.length", "-Y", "udp").lines().count())
                .isPositive();
    }

    @Test
    void curlAgainstPythonsHttpServerViewsParseAndNativeCallsSelectedWithDashEAreLogged() throws Exception {
        Path run = runWithViews("curl", "examples/two-hosts.xml", "examples/http-download.xml", "-e", "trace=openat");
        assertThat(packets(run.resolve("pcap/client.pcap"))).isGreaterThan(5);
        assertThat(tcpStreamBytes(run.resolve("pcap/client.pcap"))).as("the served file's bytes, in the capture")
                .contains(Files.readString(ROOT.resolve("examples/http-download.xml")));
        try (Stream<Path> logs = Files.list(run.resolve("strace"))) {
            Path curl = logs.filter(f -> f.getFileName().toString().startsWith("client.curl.")).findFirst().orElseThrow();
            assertThat(Files.readString(curl)).as("an openat selected by -e trace=openat, run natively")
                    .containsPattern("\\d openat\\(AT_FDCWD, \"[^\"]+\", O_RDONLY\\|O_CLOEXEC\\) = \\d+ <");
        }
    }

    @Test
    void iperf3ViewsParse() throws Exception {
        Path iperf3 = Path.of("/usr/bin/iperf3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(iperf3), "iperf3 (bin/install-deps)");
        Path deployment = Files.writeString(dir.resolve("iperf3.xml"), """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <actor host="server" function="iperf3"><argument value="-s"/><argument value="-1"/></actor>
                  <actor host="client" function="iperf3" start_time="1"><argument value="-c"/><argument value="server"/>
                    <argument value="-n"/><argument value="1M"/></actor>
                </platform>
                """);
        runWithViews("iperf3", "examples/two-hosts.xml", deployment.toString());
    }

    @Test
    void aGoProgramsViewsParse() throws Exception {
        Path program = goBuild(Path.of("testapps", "go", "tcp_transfer.go"));
        Path deployment = Files.writeString(dir.resolve("go.xml"), """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <actor host="server" function="PROGRAM"><argument value="server"/><argument value="8080"/>
                    <argument value="1000000"/></actor>
                  <actor host="client" function="PROGRAM"><argument value="client"/><argument value="10.0.0.2"/>
                    <argument value="8080"/><argument value="1000000"/><argument value="65536"/></actor>
                </platform>
                """.replace("PROGRAM", program.toString()));
        Path run = runWithViews("go", "examples/two-hosts.xml", deployment.toString());
        try (Stream<Path> logs = Files.list(run.resolve("strace"))) {
            assertThat(logs.map(Path::toString).toList()).as("the Go runtime's threads are in their process's log")
                    .anyMatch(f -> f.contains("server.tcp_transfer."));
        }
    }

    /**
     * Builds a one-file, standard-library Go program offline, static (CGO off), as
     * GoProgramsUnderSimulationTest does, into the module's target/ folder: the build (half a
     * minute for the standard library on a loaded machine) is made again only when the source
     * is newer than the program.
     */
    private Path goBuild(Path source) throws IOException, InterruptedException {
        Path go = Files.isExecutable(Path.of("/usr/bin/go")) ? Path.of("/usr/bin/go") : Path.of("/usr/lib/go/bin/go");
        assertThat(go).as("the Go toolchain (bin/install-deps)").isExecutable();
        Path src = ROOT.resolve(source);
        Path out = Files.createDirectories(ROOT.resolve("cli/target/go-build"));
        Path program = out.resolve("tcp_transfer");
        if (Files.isExecutable(program)
                && Files.getLastModifiedTime(program).compareTo(Files.getLastModifiedTime(src)) > 0) {
            return program;
        }
        Path log = dir.resolve("go-build.log");
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-trimpath", "-o", program.toString(), src.toString())
                .directory(out.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CGO_ENABLED", "0");
        pb.environment().put("GOCACHE", out.resolve("cache").toString());
        pb.environment().put("GOPATH", out.resolve("gopath").toString());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().put("GOPROXY", "off");
        pb.environment().put("GOFLAGS", "");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("go build within 300 s").isTrue();
        assertThat(p.exitValue()).as("go build:\n%s", Files.readString(log)).isZero();
        return program;
    }
}
