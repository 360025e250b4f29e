package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.RunReport.ActorReport;
import simterpose.simulator.mediation.RunReport.BlockedActor;
import simterpose.simulator.mediation.RunReport.Deadlock;
import simterpose.simulator.mediation.RunReport.Outcome;

/** The end report as text, as JSON (parsed back by an independent strict parser) and as an exit status. */
class RunReportFormatTest {
    private static final Path OUT = Path.of("/tmp/simterpose-out");
    private static final String NASTY = "a \"quoted\" \\ name\n\ttab \u0001 \u007f é ☃ 🎉 \ud800 end";

    private static ActorReport actor(String name, Outcome outcome, int code, String signal, double start, double end) {
        return new ActorReport(name, "host-" + name, "/bin/" + name, 100, outcome, code, signal, start, end, 1_000_000_000_000L,
                7, 42, OUT.resolve(name + ".out"), OUT.resolve(name + ".err"));
    }

    private static final ActorReport SERVER = actor("server", Outcome.EXITED, 0, null, 0, 0.8);
    private static final ActorReport DAEMON = actor("daemon", Outcome.KILLED_AT_KILL_TIME, 0, "SIGKILL", 0, 5);

    @Test
    void exitStatusIsZeroOneOrThree() {
        assertThat(RunReportFormat.exitStatus(report(List.of(SERVER, DAEMON), Optional.empty()))).isZero();
        assertThat(RunReportFormat.exitStatus(report(List.of(SERVER, actor("c", Outcome.EXITED, 3, null, 0, 1)),
                Optional.empty()))).isEqualTo(1);
        assertThat(RunReportFormat.exitStatus(report(List.of(SERVER, actor("c", Outcome.KILLED_BY_SIGNAL, 0, "SIGSEGV", 0, 1)),
                Optional.empty()))).isEqualTo(1);
        assertThat(RunReportFormat.exitStatus(report(List.of(SERVER, actor("c", Outcome.NEVER_STARTED, 0, null, 0, 0)),
                Optional.empty()))).isEqualTo(1);
        Deadlock deadlock = new Deadlock(2.5, List.of(new BlockedActor("c", 1234, "recv(3, ...)", 1.25)));
        assertThat(RunReportFormat.exitStatus(report(List.of(SERVER, actor("c", Outcome.KILLED_BY_DEADLOCK, 0, null, 0, 2.5)),
                Optional.of(deadlock)))).isEqualTo(3);
    }

    @Test
    void textShowsMakespanOneRowPerActorTheDeadlockAndWallTime() {
        Deadlock deadlock = new Deadlock(2.5, List.of(new BlockedActor("client", 1234, "recv(3, 0x7ffd, 65536, 0)", 1.25)));
        String text = RunReportFormat.text(report(List.of(SERVER, DAEMON,
                actor("client", Outcome.KILLED_BY_DEADLOCK, 0, null, 0.1, 2.5),
                actor("late", Outcome.NEVER_STARTED, 0, null, 0, 0)), Optional.of(deadlock)));
        assertThat(text.lines().toList()).containsExactly(
                "simulated makespan: 2.5 s",
                "",
                "actor   host         outcome            start (s)  end (s)       sent (B)  received (B)  syscalls",
                "server  host-server  exit 0                     0      0.8  1000000000000             7        42",
                "daemon  host-daemon  killed at 5 s              0        5  1000000000000             7        42",
                "client  host-client  killed (deadlock)        0.1      2.5  1000000000000             7        42",
                "late    host-late    never started              -        -  1000000000000             7        42",
                "",
                "deadlock at 2.5 s: every live actor is blocked and nothing is pending",
                "  client (tid 1234) blocked in recv(3, 0x7ffd, 65536, 0) since 1.25 s",
                "",
                "wall time: 1.500 s, 3000 mediated syscalls");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesBackToTheSameReport() {
        Deadlock deadlock = new Deadlock(2.5, List.of(new BlockedActor(NASTY, 1234, "recv(3, \"\\n\", 1, 0)", 1.25)));
        ActorReport nasty = new ActorReport(NASTY, "h", NASTY, 1, Outcome.KILLED_BY_SIGNAL, 0, "SIGSEGV", 1e-9, 1.0 / 3,
                0, 0, 0, Path.of("/elsewhere/x.out"), null);
        String json = RunReportFormat.json(report(List.of(SERVER, nasty, actor("late", Outcome.NEVER_STARTED, 0, null, 0, 0)),
                Optional.of(deadlock)), OUT);
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
        assertThat(root.keySet()).containsExactly("makespan", "exitStatus", "actors", "deadlock", "mediatedSyscalls",
                "payloadBytesCopied", "outputDirectory", "wallSeconds");
        assertThat(root).containsEntry("makespan", 2.5).containsEntry("exitStatus", 3L)
                .containsEntry("mediatedSyscalls", 3000L).containsEntry("payloadBytesCopied", 0L).containsEntry("outputDirectory", OUT.toString())
                .containsEntry("wallSeconds", 1.5);
        List<Map<String, Object>> actors = (List<Map<String, Object>>) root.get("actors");
        assertThat(actors).hasSize(3);
        assertThat(actors.get(0)).containsExactly(Map.entry("name", "server"), Map.entry("host", "host-server"),
                Map.entry("function", "/bin/server"), Map.entry("outcome", "exited"), Map.entry("exitCode", 0L),
                entry("signal", null), Map.entry("start", 0.0), Map.entry("end", 0.8),
                Map.entry("bytesSent", 1_000_000_000_000L), Map.entry("bytesReceived", 7L), Map.entry("syscallsMediated", 42L),
                Map.entry("stdout", "server.out"), Map.entry("stderr", "server.err"));
        // Every character survives, the lone surrogate included (escaped as \ud800).
        assertThat(actors.get(1)).containsEntry("name", NASTY).containsEntry("function", NASTY)
                .containsEntry("outcome", "killed_by_signal").containsEntry("signal", "SIGSEGV").containsEntry("exitCode", null)
                .containsEntry("start", 1e-9).containsEntry("end", 1.0 / 3)
                .containsEntry("stdout", "/elsewhere/x.out").containsEntry("stderr", null);
        assertThat(actors.get(2)).containsEntry("outcome", "never_started").containsEntry("start", null)
                .containsEntry("end", null);
        Map<String, Object> d = (Map<String, Object>) root.get("deadlock");
        assertThat(d).containsEntry("at", 2.5);
        assertThat((List<Object>) d.get("blocked")).containsExactly(Map.of("actor", NASTY, "tid", 1234L,
                "syscall", "recv(3, \"\\n\", 1, 0)", "since", 1.25));
        assertThat(json).doesNotContain("\n\t").contains("\\ud800", "\\u0001", "\\u007f", "é ☃ 🎉");
        assertThat(json.lines().filter(l -> l.contains("wallSeconds"))).containsExactly("  \"wallSeconds\": 1.5");
    }

    @Test
    void jsonShowsThePeakHeapOnlyWhenMeasured() {
        RunReport r = report(List.of(SERVER), Optional.empty());
        assertThat(MiniJson.parse(RunReportFormat.json(r, OUT, 123456789))).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("peakHeapBytes", 123456789L);
        assertThat(RunReportFormat.json(r, OUT)).doesNotContain("peakHeapBytes");
    }

    @Test
    void jsonWithoutDeadlockHasNull() {
        String json = RunReportFormat.json(report(List.of(SERVER), Optional.empty()), OUT);
        assertThat(MiniJson.parse(json)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("deadlock", null).containsEntry("exitStatus", 0L);
    }

    @Test
    void jsonWriterRejectsMisuseAndWritesNonFiniteAsNull() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().toJson()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        String json = new JsonWriter().beginArray().value(Double.NaN).value(Double.NEGATIVE_INFINITY).value(-0.0)
                .beginObject().endObject().beginArray().endArray().value(true).endArray().toJson();
        assertThat(MiniJson.parse(json)).isEqualTo(java.util.Arrays.asList(null, null, -0.0, Map.of(), List.of(), true));
        assertThat(new JsonWriter().value("x").toJson()).isEqualTo("\"x\"\n");
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }

    private static RunReport report(List<ActorReport> actors, Optional<Deadlock> deadlock) {
        return new RunReport(2.5, actors, deadlock, Duration.ofMillis(1500), 3000);
    }
}
