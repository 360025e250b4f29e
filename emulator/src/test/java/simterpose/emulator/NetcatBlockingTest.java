package simterpose.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The LTTng study's netcat table (issue 13) from real kernels: {@code echo lttng | nc -N server
 * 5000} against {@code nc -l 5000}, both netcat-openbsd, over one 100 ms link, read from the
 * {@code strace -f -ttt -T} logs that {@code emulate --strace} writes.
 *
 * <p>Tolerances, from 20 runs at load average 16–21 on 2 vCPUs: the accept (from the client's
 * connect) ended 0.41–1.03% after 3L, so 2%; the wait after connect and the final poll were
 * 0.1–4.9% over 2L in 37 of 40 samples (the other three 27–50% over: a program scheduled late,
 * which {@link Attempts} absorbs), so the issue's 5%.
 */
class NetcatBlockingTest {
    static final double L = 0.100;

    @Test
    void netcatBlocksThreeLatenciesInAcceptAndTwoInConnectAndInItsFinalPoll(@TempDir Path dir) throws Exception {
        Attempts.upTo(Attempts.MAX, attempt -> netcat(java.nio.file.Files.createDirectories(dir.resolve("run" + attempt))));
    }

    private static void netcat(Path dir) throws Exception {
        Path input = dir.resolve("lttng.txt");
        Files.writeString(input, "lttng\n");
        String actors = "<actor host=\"server\" function=\"nc\" kill_time=\"" + Emulation.SERVER_KILL_TIME + "\"><argument value=\"-l\"/><argument value=\"5000\"/></actor>\n"
                + "<actor host=\"client\" function=\"nc\" start_time=\"0.1\"><argument value=\"-N\"/><argument value=\"server\"/>"
                + "<argument value=\"5000\"/><prop id=\"stdin\" value=\"" + input + "\"/></actor>\n";
        Path strace = dir.resolve("strace");
        Emulation e = Emulation.run(dir, Emulation.twoHosts("10MBps", "100ms", "SHARED"), actors, strace);
        assertThat(e.actor(0).exitCode()).isZero();
        assertThat(e.actor(1).exitCode()).isZero();
        assertThat(Files.readString(e.actor(0).stdout())).isEqualTo("lttng\n");

        List<String> server = log(strace, "server.nc.");
        List<String> client = log(strace, "client.nc.");
        // The client starts 0.1 s after the server (so that it finds it listening on a busy
        // machine), and each needs a few ms (more under strace) to reach its call: the server's
        // accept is measured from the client's connect (both logs are on this machine's clock),
        // which is when the study's accept began too.
        String accept = first(server, "accept4?\\(3,");
        String connect = first(client, "connect\\(3, \\{sa_family=AF_INET");
        double acceptEnd = startOf(accept) + durationOf(accept);
        assertThat(acceptEnd - startOf(connect)).as("server accept, from the client's connect")
                .isCloseTo(3 * L, within(3 * L * 0.02));
        // connect returns EINPROGRESS, then the client waits in select for the SYN-ACK
        assertThat(client.stream().anyMatch(l -> l.contains("connect(3, {sa_family=AF_INET") && l.contains("EINPROGRESS")))
                .isTrue();
        assertThat(duration(client, "pselect6\\(|select\\(|poll\\(\\[\\{fd=3, events=POLLOUT")).as("client wait after connect")
                .isCloseTo(2 * L, within(2 * L * 0.05));
        List<String> polls = client.stream().filter(l -> l.matches("[0-9.]+ poll\\(.*")).toList();
        assertThat(durationOf(polls.getLast())).as("client's final poll, until the server's FIN")
                .isCloseTo(2 * L, within(2 * L * 0.05));
    }

    /** The one log of the actor's process, named as {@code run --strace} names its own: PREFIX&lt;pid&gt;.strace. */
    private static List<String> log(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertThat(logs).singleElement().extracting(f -> f.getFileName().toString()).asString()
                    .matches(Pattern.quote(prefix) + "\\d+\\.strace");
            return Files.readAllLines(logs.getFirst());
        }
    }

    /** The first call whose text matches {@code call} right after the timestamp. */
    private static String first(List<String> log, String call) {
        Pattern p = Pattern.compile("^[0-9.]+ (" + call + ")");
        return log.stream().filter(l -> p.matcher(l).find()).findFirst().orElseThrow(
                () -> new AssertionError("no " + call + " in\n" + String.join("\n", log)));
    }

    private static double duration(List<String> log, String call) {
        return durationOf(first(log, call));
    }

    private static double startOf(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    private static double durationOf(String line) {
        Matcher m = Pattern.compile("<([0-9.]+)>$").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
