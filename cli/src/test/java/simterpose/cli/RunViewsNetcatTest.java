package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.cli.views.StraceLogReader;
import simterpose.cli.views.StraceLogReader.Call;

/**
 * Issue 13's acceptance: the 2012 LTTng blocking analysis of netcat under 100 ms of latency
 * (server accept 3L, the client's wait after connect 2L, its final poll 2L), reproduced by
 * {@code run --strace --blocking --pcap --timeline} on real netcat-openbsd processes, under
 * CM02 (whose small-message latency is the route's); the capture read by tshark, the timeline
 * by pj_dump. Two runs without a CPU model write the same bytes. The system is the bundled
 * examples/netcat.xml, as the README runs it.
 */
class RunViewsNetcatTest {
    static final double L = 0.100;
    static final long EPOCH_NANOS = 946_684_800L * 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * Runs the bundled examples/netcat.xml from the repository root (its stdin prop, examples/lttng.txt,
     * is relative to the actors' working directory) with every view on, into {@code run}; the report's
     * stdout in the result.
     */
    private CliRun.Result netcat(Path run) throws IOException, InterruptedException {
        Files.createDirectories(run);
        Path out = run.resolve("stdout.txt");
        Path err = run.resolve("stderr.txt");
        Process p = RunEndToEndTest.start(out, err, "examples/netcat.xml", "--cfg=network/model:CM02", "--cpu-model=none",
                "-o", run.resolve("out").toString(), "--strace=" + run.resolve("strace"), "--blocking",
                "--pcap=" + run.resolve("pcap"), "--timeline=" + run.resolve("timeline"),
                "--json=" + run.resolve("report.json"));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("simterpose run examples/netcat.xml timed out");
        }
        CliRun.Result r = new CliRun.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return r;
    }

    @Test
    void netcatBlocksThreeLatenciesInAcceptAndTwoAfterConnectAndInItsFinalPoll() throws Exception {
        Path run = dir.resolve("run");
        CliRun.Result r = netcat(run);
        try (Stream<Path> outs = Files.list(run.resolve("out"))) {
            Path serverOut = outs.filter(p -> p.getFileName().toString().startsWith("server-") && p.toString().endsWith(".stdout"))
                    .findFirst().orElseThrow();
            assertThat(Files.readString(serverOut)).isEqualTo("lttng\n");
        }

        // the --strace logs, read back as a log reader (the emulator's compare) reads them
        List<Call> server = calls(run.resolve("strace"), "server.nc.");
        List<Call> client = calls(run.resolve("strace"), "client.nc.");
        Call accept = first(server, "accept4");
        Call connect = first(client, "connect");
        assertThat(connect.line()).contains("EINPROGRESS");
        assertThat(seconds(accept.startNanos() + accept.durationNanos() - connect.startNanos()))
                .as("server accept, from the client's connect").isCloseTo(3 * L, within(L / 100));
        Call select = client.get(client.indexOf(connect) + 1);
        assertThat(select.name()).isEqualTo("pselect6");
        assertThat(seconds(select.durationNanos())).as("client wait after connect").isCloseTo(2 * L, within(L / 100));
        Call finalPoll = client.stream().filter(c -> c.name().equals("poll")).reduce((a, b) -> b).orElseThrow();
        assertThat(seconds(finalPoll.durationNanos())).as("client's final poll").isCloseTo(2 * L, within(L / 100));
        assertThat(first(client, "write").line()).startsWith("write(3, \"lttng\\n\", 6) = 6");

        // the --blocking table: the same three waits, and what ended each
        assertThat(r.out()).containsPattern("nc@server +\\d+ +0\\.0+ +30[01]\\.\\d+ +accept4 +handshake completed")
                .containsPattern("nc@client +\\d+ +0\\.0+ +200\\.0+ +pselect6 +handshake completed")
                .containsPattern("nc@client +\\d+ +0\\.20\\d+ +200\\.\\d+ +poll +peer closed");
        @SuppressWarnings("unchecked")
        Map<String, Object> blocking = (Map<String, Object>) ((Map<String, Object>) MiniJson.parse(
                Files.readString(run.resolve("report.json")))).get("blocking");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> serverRows = (List<Map<String, Object>>) ((Map<String, Object>) blocking.get("actors"))
                .get("nc@server");
        assertThat(serverRows).hasSize(1);
        assertThat(serverRows.getFirst()).containsEntry("syscall", "accept4").containsEntry("endedBy", "handshake completed");
        assertThat((double) serverRows.getFirst().get("duration")).isCloseTo(3 * L, within(L / 100));

        // the client's capture, as tshark reads it: SYN and SYN-ACK 2L apart, 6 payload bytes, no error
        Path pcap = run.resolve("pcap/client.pcap");
        List<String[]> packets = tshark(pcap, "-T", "fields", "-e", "frame.time_epoch", "-e", "tcp.flags.str",
                "-e", "tcp.len", "-e", "ip.src").lines().map(l -> l.split("\t")).toList();
        double syn = Double.parseDouble(packets.get(0)[0]);
        assertThat(packets.get(0)[1]).contains("S").doesNotContain("A");
        assertThat(packets.get(1)[1]).contains("S").contains("A");
        assertThat(Double.parseDouble(packets.get(1)[0]) - syn).isCloseTo(2 * L, within(1e-6));
        assertThat(packets.stream().mapToInt(p -> Integer.parseInt(p[2])).sum()).isEqualTo(6);
        assertThat(tshark(pcap, "-T", "fields", "-e", "data.data", "-Y", "tcp.len > 0").strip()).isEqualTo("6c74746e670a");
        for (String host : List.of("client", "server")) {
            String expert = tshark(run.resolve("pcap/" + host + ".pcap"), "-q", "-z", "expert,warn",
                    "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE");
            assertThat(expert).as(host + ".pcap expert notes").doesNotContainIgnoringCase("malformed")
                    .doesNotContain("Error").doesNotContain("Warning");
        }

        // the timeline: pj_dump reads it; the server was blocked in accept4 for 3L
        String paje = tool("/usr/bin/pj_dump", run.resolve("timeline.paje").toString());
        assertThat(paje).containsPattern("State, nc, actor state, 0\\.000000, 0\\.30\\d+, 0\\.30\\d+, [0-9.]+, blocked in accept4");
        assertThat(paje).contains("Link, platform, transfer, 0.200000, 0.300001");
        assertThat(Files.readString(run.resolve("timeline.json"))).startsWith("{").contains("\"blocked in poll\"");
    }

    @Test
    void twoRunsWithoutACpuModelWriteTheSameLogsCapturesAndTimelines() throws Exception {
        netcat(dir.resolve("a"));
        netcat(dir.resolve("b"));
        Map<String, String> a = files(dir.resolve("a"));
        Map<String, String> b = files(dir.resolve("b"));
        assertThat(a.keySet()).containsExactly("./timeline.json", "./timeline.paje", "pcap/client.pcap", "pcap/server.pcap",
                "strace/client.nc.strace", "strace/server.nc.strace");
        assertThat(b).isEqualTo(a);
    }

    /** The views' files by name (a log's pid taken out of its name), each as its bytes in hex. */
    private static Map<String, String> files(Path run) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        for (String sub : List.of("strace", "pcap", ".")) {
            try (Stream<Path> files = Files.list(run.resolve(sub))) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".txt") // the report's stdout and stderr
                        && !f.toString().endsWith("report.json")).toList()) {
                    String name = sub + "/" + f.getFileName().toString().replaceAll("\\.\\d+\\.strace$", ".strace");
                    contents.put(name, java.util.HexFormat.of().formatHex(Files.readAllBytes(f)));
                }
            }
        }
        return contents;
    }

    private static List<Call> calls(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            int pid = Integer.parseInt(log.getFileName().toString().replaceAll(".*\\.(\\d+)\\.strace$", "$1"));
            List<Call> calls = StraceLogReader.read(log, pid);
            assertThat(calls).isNotEmpty();
            assertThat(calls.getFirst().startNanos()).isGreaterThanOrEqualTo(EPOCH_NANOS);
            return calls;
        }
    }

    private static Call first(List<Call> calls, String name) {
        return calls.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + calls));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static String tshark(Path pcap, String... args) throws IOException, InterruptedException {
        String[] argv = new String[args.length + 3];
        argv[0] = "/usr/bin/tshark";
        argv[1] = "-r";
        argv[2] = pcap.toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        return tool(argv);
    }

    /** Runs a reader tool; fails on a non-zero exit (a file it cannot read). */
    static String tool(String... argv) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(argv[0])), argv[0] + " is missing (bin/install-deps installs it)");
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not end");
        }
        assertThat(p.exitValue()).as(String.join(" ", argv) + "\n" + out).isZero();
        return out;
    }
}
