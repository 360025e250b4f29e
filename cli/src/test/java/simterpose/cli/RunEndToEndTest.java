package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.engine.Predictor;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;

/**
 * {@code simterpose run} as a user runs it: a fresh JVM started in the repository root (so the
 * examples' relative program paths resolve as documented), real test programs, simulated TCP and UDP.
 */
class RunEndToEndTest {
    static final Path ROOT = Path.of(System.getProperty("simterpose.root", "..")).toAbsolutePath().normalize();
    static final Path BIN = ROOT.resolve("testapps/target/bin");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Process start(Path stdout, Path stderr, String... args) throws IOException {
        // as from a terminal: a suite started in the background inherits SIGINT ignored, and Ctrl-C is tested here
        List<String> argv = new ArrayList<>(List.of("env", "--default-signal=INT"));
        argv.addAll(javaMain());
        argv.add("run");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    Result run(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "stdout", ".txt"), err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = start(out, err, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("simterpose run timed out");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static double field(String text, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=([0-9.]+)").matcher(text);
        assertThat(m.find()).as(name + "= in " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) throws IOException {
        return (Map<String, Object>) MiniJson.parse(Files.readString(file));
    }

    @Test
    void clientServerExampleTransfersInTheModelsTime() throws Exception {
        Path json = dir.resolve("report.json");
        // under LV08 (run's model before TCP, which --cfg keeps selectable): SimGrid's flow exactly
        Result r = run("examples/two-hosts.xml", "examples/client-server.xml", "--cpu-model=none",
                "--cfg=network/model:LV08", "-o", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("simulated makespan: ").contains("wall time: ");
        assertThat(r.out().lines().filter(l -> l.matches("tcp_\\w+ +(server|client) +exit 0 .*"))).hasSize(2);

        // The programs' own view of the virtual clock (printed with the 2000-01-01 epoch, to about
        // 1e-7 s): from the client's connect to the server's EOF, the 10 MB take exactly what the
        // network model predicts for one flow over the wire.
        Map<String, Object> report = json(json);
        List<Map<String, Object>> actors = (List<Map<String, Object>>) (List<?>) report.get("actors");
        String server = Files.readString(dir.resolve("out").resolve((String) actors.get(0).get("stdout")));
        String client = Files.readString(dir.resolve("out").resolve((String) actors.get(1).get("stdout")));
        assertThat(field(server, "bytes")).isEqualTo(10_000_000);
        Platform platform = PlatformLoader.load(ROOT.resolve("examples/two-hosts.xml"));
        double predicted = Predictor.run(platform, ModelConfig.resolve(platform.config(), Map.of()),
                List.of(new Predictor.Flow(platform.host("client").orElseThrow(), platform.host("server").orElseThrow(),
                        10_000_000, 0))).getFirst().finish();
        double epoch = 946_684_800.0;
        double connected = field(client, "connected") - epoch, eof = field(server, "eof") - epoch;
        assertThat(eof - connected).isCloseTo(predicted, org.assertj.core.data.Offset.offset(1e-6));
        // The makespan: the client starts at 0.1 s; its connect costs a round trip (SYN, SYN-ACK:
        // 2 x 10 ms); the bytes take the flow's time; the server's close reaches it 10 ms later.
        double makespan = (double) report.get("makespan");
        assertThat(makespan).isCloseTo(0.1 + 2 * 0.010 + predicted + 0.010, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.out()).startsWith("simulated makespan: " + PlatformCommand.number(makespan) + " s\n");
        assertThat(actors.get(1).get("bytesSent")).isEqualTo(10_000_000L);
        assertThat(actors.get(0).get("bytesReceived")).isEqualTo(10_000_000L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void addressModeGivesFullMediationsReportWithoutCopyingThePayload() throws Exception {
        Map<String, Map<String, Object>> reports = new java.util.HashMap<>();
        Map<String, String> texts = new java.util.HashMap<>();
        for (String mode : List.of("full", "address")) {
            Path json = dir.resolve(mode + ".json");
            Result r = run("examples/two-hosts.xml", "examples/client-server.xml", "--cpu-model=none", "--mediation=" + mode,
                    "-o", dir.resolve(mode).toString(), "--json", json.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            reports.put(mode, json(json));
            texts.put(mode, r.out().substring(0, r.out().indexOf("wall time:"))); // all but the wall time
        }
        assertThat(texts.get("address")).isEqualTo(texts.get("full"));
        assertThat(reports.get("address").get("makespan")).isEqualTo(reports.get("full").get("makespan"));
        assertThat(reports.get("full").get("payloadBytesCopied")).isEqualTo(20_000_000L); // read from one, written into the other
        assertThat(reports.get("address").get("payloadBytesCopied")).isEqualTo(0L);
        List<Map<String, Object>> actors = (List<Map<String, Object>>) (List<?>) reports.get("address").get("actors");
        String stdout = (String) actors.get(0).get("stdout");
        String server = Files.readString(dir.resolve("address").resolve(stdout));
        assertThat(field(server, "bytes")).isEqualTo(10_000_000);
        assertThat(server).isEqualTo(Files.readString(dir.resolve("full").resolve(stdout))); // same times, to 1e-9 s
    }

    @Test
    void udpPingPongExampleRoundsTakeTwiceTheModelsOneWayTime() throws Exception {
        Path json = dir.resolve("report.json");
        Result r = run("examples/two-hosts.xml", "examples/udp-pingpong.xml", "--cpu-model=none",
                "-o", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Map<String, Object> report = json(json);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actors = (List<Map<String, Object>>) (List<?>) report.get("actors");
        String client = Files.readString(dir.resolve("out").resolve((String) actors.get(1).get("stdout")));
        assertThat(field(client, "ok")).as("every echo came back byte for byte").isEqualTo(1);
        // each round is one 1000-byte datagram there and one back: two lone flows of run's default model
        Platform platform = PlatformLoader.load(ROOT.resolve("examples/two-hosts.xml"));
        ModelConfig cfg = ModelConfig.resolveForRun(platform.config(), Map.of());
        double there = Predictor.run(platform, cfg, List.of(new Predictor.Flow(platform.host("client").orElseThrow(),
                platform.host("server").orElseThrow(), 1000, 0))).getFirst().finish();
        double back = Predictor.run(platform, cfg, List.of(new Predictor.Flow(platform.host("server").orElseThrow(),
                platform.host("client").orElseThrow(), 1000, 0))).getFirst().finish();
        assertThat(field(client, "mean_rtt")).isCloseTo(there + back, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) report.get("makespan")).isCloseTo(0.1 + 100 * (there + back),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(actors.get(1).get("bytesSent")).isEqualTo(100_000L);
        assertThat(actors.get(0).get("bytesReceived")).isEqualTo(100_000L);
    }

    @Test
    void twoRunsWithoutCpuModelAreIdentical() throws Exception {
        List<String> reports = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("out" + i), json = dir.resolve("r" + i + ".json");
            Result r = run("examples/office-and-cluster.xml", "examples/office-uploads.xml", "--cpu-model=none",
                    "-o", out.toString(), "--json", json.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            reports.add(Files.readString(json).lines()
                    .filter(l -> !l.contains("\"wallSeconds\"") && !l.contains("\"outputDirectory\"")
                            && !l.contains("\"peakHeapBytes\"")).toList().toString()); // measurements of the tool, not of the run
            outputs.add(out);
        }
        assertThat(reports.get(1)).isEqualTo(reports.get(0));
        List<Path> files;
        try (Stream<Path> s = Files.list(outputs.get(0))) {
            files = s.map(outputs.get(0)::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.list(outputs.get(1))) {
            assertThat(s.map(outputs.get(1)::relativize).sorted().toList()).isEqualTo(files);
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12); // stdout and stderr of six actors
        for (Path f : files) {
            assertThat(Files.readAllBytes(outputs.get(1).resolve(f))).as(f.toString())
                    .isEqualTo(Files.readAllBytes(outputs.get(0).resolve(f)));
        }
        // The four cluster uploads (8 MB) share the 10 MB/s WAN link: they end together, about
        // 0.8 s after their start at 0.1 s; bob's crosses 50 and 100 MB/s links and ends first.
        List<Map<String, Object>> actors = (List<Map<String, Object>>) (List<?>) json(dir.resolve("r0.json")).get("actors");
        assertThat(actors.get(1)).containsEntry("host", "bob");
        assertThat((double) actors.get(1).get("end")).isLessThan(0.3);
        List<Double> cluster = actors.subList(2, 6).stream().map(a -> (double) a.get("end")).toList();
        assertThat(cluster).allSatisfy(end -> assertThat(end).isBetween(0.9, 1.2));
        assertThat(cluster.stream().mapToDouble(d -> d).max().orElseThrow()
                - cluster.stream().mapToDouble(d -> d).min().orElseThrow()).isLessThan(0.01);
        String server = Files.readString(outputs.get(0).resolve((String) actors.get(0).get("stdout")));
        assertThat(server.lines().filter(l -> l.startsWith("RESULT") && l.contains(" bytes=2000000 "))).hasSize(5);
    }

    @Test
    void programsResolvePlatformNamesAndTheSameSeedRepeatsTheirRandomBytes() throws Exception {
        Files.writeString(dir.resolve("input.txt"), "fed through the stdin prop\n");
        Path platform = dir.resolve("names.xml");
        Files.writeString(platform, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full">
                    <host id="earth" speed="1Gf"/>
                    <host id="moon" speed="1Gf"><prop id="ip" value="172.16.0.9"/></host>
                    <link id="wire" bandwidth="1MBps" latency="1s"/>
                    <route src="earth" dst="moon"><link_ctn id="wire"/></route>
                  </zone>
                  <actor host="earth" function="%1$s/names"><argument value="moon"/><argument value="earth"/></actor>
                  <actor host="moon" function="%1$s/randomness"/>
                  <actor host="moon" function="/bin/cat"><prop id="cwd" value="%2$s"/><prop id="stdin" value="input.txt"/></actor>
                </platform>
                """.formatted(BIN, dir));
        List<Path> outs = new ArrayList<>();
        for (String seed : List.of("3", "3", "4")) {
            Path out = dir.resolve("out" + outs.size());
            Result r = run(platform.toString(), "--cpu-model=none", "--seed=" + seed, "-o", out.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            outs.add(out);
        }
        String names = Files.readString(outs.get(0).resolve("earth-names-0.stdout"));
        assertThat(names).contains("lookup=getaddrinfo name=moon addr=172.16.0.9\n", "lookup=gethostbyname name=moon addr=172.16.0.9\n",
                "lookup=getaddrinfo name=earth addr=10.0.0.1\n", "RESULT gethostname=earth nodename=earth etc_hostname=earth\n");
        assertThat(Files.readString(outs.get(0).resolve("moon-cat-2.stdout"))).isEqualTo("fed through the stdin prop\n");
        String random = Files.readString(outs.get(0).resolve("moon-randomness-1.stdout"));
        assertThat(Files.readString(outs.get(1).resolve("moon-randomness-1.stdout"))).isEqualTo(random);
        String otherSeed = Files.readString(outs.get(2).resolve("moon-randomness-1.stdout"));
        assertThat(otherSeed.replaceAll("=[0-9a-f]{32}", "=")).isEqualTo(random.replaceAll("=[0-9a-f]{32}", "="));
        assertThat(otherSeed).isNotEqualTo(random);
    }

    @Test
    void aPlannedKillIsExitZeroACrashExitOneAndADeadlockExitThree() throws Exception {
        Path deployment = dir.resolve("d.xml");
        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="sleep" kill_time="2"><argument value="100"/></actor>
                  <actor host="client" function="sleep"><argument value="1"/></actor>
                </platform>
                """);
        Result killed = run("examples/two-hosts.xml", deployment.toString(), "--cpu-model=none", "-o", dir.resolve("o0").toString());
        assertThat(killed.exit()).as(killed.out() + killed.err()).isZero();
        assertThat(killed.out()).startsWith("simulated makespan: 2 s\n").containsPattern("sleep +server +killed at 2 s +0 +2 ")
                .containsPattern("sleep +client +exit 0 +0 +1 ");

        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="/bin/sh"><argument value="-c"/><argument value="kill -SEGV $$"/></actor>
                  <actor host="client" function="/bin/sh"><argument value="-c"/><argument value="exit 0"/></actor>
                </platform>
                """);
        Result crash = run("examples/two-hosts.xml", deployment.toString(), "--cpu-model=none", "-o", dir.resolve("o1").toString());
        assertThat(crash.exit()).as(crash.out() + crash.err()).isEqualTo(1);
        assertThat(crash.out()).containsPattern("sh +server +killed by SIGSEGV").containsPattern("sh +client +exit 0");

        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="%s"><argument value="5000"/></actor>
                </platform>
                """.formatted(BIN.resolve("tcp_server")));
        Result deadlock = run("examples/two-hosts.xml", deployment.toString(), "--cpu-model=none", "-o", dir.resolve("o2").toString());
        assertThat(deadlock.exit()).as(deadlock.out() + deadlock.err()).isEqualTo(3);
        assertThat(deadlock.out()).contains("deadlock at 0 s: every live actor is blocked")
                .containsPattern("tcp_server \\(tid \\d+\\) blocked in accept");
    }

    /**
     * A livelock (a thread spins on a flag nobody sets, the clock stands still under
     * --cpu-model=none): stderr names the spinner while it spins, --spin-limit ends the run as a
     * deadlock whose report names it, exit 3, and no process of the run is left.
     */
    @Test
    void aSpinningThreadIsNamedAndTheSpinLimitEndsTheRunWithExitThree() throws Exception {
        Path deployment = dir.resolve("spin.xml");
        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="%s"/>
                </platform>
                """.formatted(BIN.resolve("spin_forever")));
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = start(out, err, "examples/two-hosts.xml", deployment.toString(), "--cpu-model=none", "--spin-limit=1s",
                "-o", dir.resolve("o").toString());
        List<ProcessHandle> spinners = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (spinners.isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                spinners = p.toHandle().descendants()
                        .filter(h -> h.info().command().map(c -> c.endsWith("spin_forever")).orElse(false)).toList();
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the spin limit ends the run").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String report = Files.readString(out);
        assertThat(p.exitValue()).as(report + Files.readString(err)).isEqualTo(3);
        assertThat(report).contains("s: the simulated clock stood still past --spin-limit while threads spun (a livelock)")
                .containsPattern("spin_forever \\(tid \\d+\\) spinning in user space \\([0-9.]+ s of CPU time while the clock stood, "
                        + "last preempted at 0x[0-9a-f]+ in .*/spin_forever\\+0x[0-9a-f]+")
                .containsPattern("spin_forever \\(tid \\d+\\) blocked in futex");
        assertThat(Files.readString(err)).containsPattern("spin_forever\\[\\d+\\] on server spinning in user space");
        assertThat(spinners).as("the program ran").isNotEmpty().noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void anUnmediatedSyscallIsOneDiagnosticAndEchoPrefixesActorOutput() throws Exception {
        Path client = dir.resolve("splice.py");
        Files.writeString(client, """
                import os, socket
                s = socket.create_connection(("10.0.0.2", 8080))
                f = open(__file__, "rb")
                for i in range(3):
                    try:
                        os.splice(f.fileno(), s.fileno(), 10)
                    except OSError as e:
                        print(e.errno)
                s.close()
                """);
        Path deployment = dir.resolve("d.xml");
        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="%s"><argument value="8080"/></actor>
                  <actor host="client" function="/usr/bin/python3"><argument value="%s"/></actor>
                </platform>
                """.formatted(BIN.resolve("tcp_server"), client));
        Result r = run("examples/two-hosts.xml", deployment.toString(), "--cpu-model=none", "--echo",
                "-o", dir.resolve("o").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.startsWith("simterpose: WARN: "))).singleElement().asString()
                .contains("actor python3 on client: splice(", "EOPNOTSUPP", "reported once");
        // The echo follows each actor's output as it is written: each actor's lines keep their
        // order, the two actors' lines may interleave either way, and all come before the report.
        String echoed = r.out().substring(0, r.out().indexOf("simulated makespan: "));
        List<String> lines = echoed.lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("[tcp_server@server] ")).map(l -> l.substring(20, 26)))
                .containsExactly("LISTEN", "RESULT", "DONE a");
        assertThat(lines.stream().filter(l -> l.startsWith("[python3@client] ")))
                .containsExactly("[python3@client] 95", "[python3@client] 95", "[python3@client] 95");
        assertThat(lines).hasSize(6);
    }

    /** A run that lasts: ten million ping-pong rounds, each a step of the simulated clock. */
    private Path longRun() throws IOException {
        Path deployment = dir.resolve("long.xml");
        Files.writeString(deployment, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="%1$s">
                    <argument value="server"/><argument value="5000"/><argument value="10000000"/><argument value="40"/>
                  </actor>
                  <actor host="client" function="%1$s" start_time="0.001">
                    <argument value="client"/><argument value="10.0.0.2"/><argument value="5000"/>
                    <argument value="10000000"/><argument value="40"/>
                  </actor>
                  <actor host="client" function="%2$s"/>
                </platform>
                """.formatted(BIN.resolve("tcp_pingpong"), BIN.resolve("untraced_child")));
        return deployment;
    }

    @Test
    void sigkillOfTheToolLeavesNoProcessBehind() throws Exception {
        killMidRun("KILL");
    }

    @Test
    void sigintOfTheToolReportsTheRunSoFarAndLeavesNoProcessBehind() throws Exception {
        int exit = killMidRun("INT");
        assertThat(exit).as("Ctrl-C: exit 130").isEqualTo(130);
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).as("the report of the run so far").contains("simulated makespan:");
        assertThat(out.lines().filter(l -> l.startsWith("tcp_pingpong")).toList()).as(out).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("interrupted"));
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("interrupted: stopping the run");
    }

    /** Sends SIG{@code signal} to the tool mid-run; returns its exit status once no process is left. */
    private int killMidRun(String signal) throws Exception {
        Process p = start(dir.resolve("out.txt"), dir.resolve("err.txt"), "examples/two-hosts.xml", longRun().toString(),
                "--cpu-model=none", "-o", dir.resolve("o").toString(), "--progress=0.1");
        try {
            List<ProcessHandle> tracees = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tracees.size() < 2 && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
                tracees = p.toHandle().descendants()
                        .filter(h -> h.info().command().map(c -> c.endsWith("tcp_pingpong")).orElse(false)).toList();
            }
            assertThat(tracees).as("both actors running; stderr: " + Files.readString(dir.resolve("err.txt"))).hasSize(2);
            // Mid-run: the sends are flowing, and progress shows on stderr as asked.
            Pattern progress = Pattern.compile("simterpose: simulated [0-9.e-]+ s, wall [0-9.]+ s, 3/3 actors alive");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!progress.matcher(Files.readString(dir.resolve("err.txt"))).find() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(dir.resolve("err.txt"))).as("progress on stderr when asked").containsPattern(progress);
            // The run's PID namespace's init is one of them: its death takes down whatever is left there.
            List<Long> pids = new ArrayList<>(p.toHandle().descendants().map(ProcessHandle::pid).toList());
            assertThat(pids.stream().map(RunEndToEndTest::name)).as("the run's init among the tool's processes")
                    .contains("simterpose-init");
            // The child untraced_child made with clone(CLONE_UNTRACED) is an orphan (its parent has
            // exited): it printed its pid (its PID namespace's), and must end with the rest.
            Path childSays = dir.resolve("o/client-untraced_child-2.stdout");
            Pattern childPid = Pattern.compile("child (\\d+) ");
            while (!(Files.exists(childSays) && childPid.matcher(Files.readString(childSays)).find()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Matcher child = childPid.matcher(Files.exists(childSays) ? Files.readString(childSays) : "");
            assertThat(child.find()).as("the untraced child's pid in " + childSays).isTrue();
            long childMachinePid = machinePid("untraced_child", Integer.parseInt(child.group(1)));
            assertThat(childMachinePid).as("the untraced child runs, in the run's PID namespace").isPositive();
            pids.add(childMachinePid);
            assertThat(p.isAlive()).isTrue();
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("the tool ends on SIG" + signal).isTrue();
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (pids.stream().anyMatch(RunEndToEndTest::alive) && System.nanoTime() < gone) {
                Thread.sleep(10);
            }
            assertThat(pids.stream().filter(RunEndToEndTest::alive).map(pid -> pid + " " + name(pid)).toList())
                    .as("processes left behind").isEmpty();
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    /** A process's name (its /proc comm), or "" once it is gone. */
    static String name(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * This machine's pid of the live process named {@code comm} that its own (innermost) PID
     * namespace calls {@code nsPid} (the last number of its NSpid status line: what it prints as
     * its pid under a run), or -1 when there is none.
     */
    static long machinePid(String comm, int nsPid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(d -> d.getFileName().toString()).filter(d -> d.matches("\\d+")).mapToLong(Long::parseLong)
                    .filter(pid -> name(pid).equals(comm) && alive(pid)).filter(pid -> {
                        try {
                            String nspid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                                    .filter(l -> l.startsWith("NSpid:")).findFirst().orElse("NSpid:");
                            String[] ids = nspid.substring(6).strip().split("\\s+");
                            return ids.length > 1 && Integer.parseInt(ids[ids.length - 1]) == nsPid;
                        } catch (IOException e) {
                            return false; // gone meanwhile
                        }
                    }).findFirst().orElse(-1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Alive: neither a zombie (a zombie's parent may be a container's init that never reaps) nor
     * exiting (PF_EXITING in its stat flags: killed, the kernel is ending it). A PID namespace's
     * init stays exiting until every zombie of its namespace is reaped: the run's processes, whose
     * parent was the tool, wait for this machine's init to reap them (about a second here).
     */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // state ppid pgrp session tty tpgid flags …
            long pfExiting = 0x4;
            return !fields[0].equals("Z") && (Long.parseLong(fields[6]) & pfExiting) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
