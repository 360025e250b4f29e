package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.TimeHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * timerfds in simulated time ({@code testapps/src/timerfd.c}): the program's outcomes (counts,
 * errnos, time left, readiness) are the real kernel's, line for line, and each expiry is seen
 * at the simulated date its setting asked for.
 */
class TimerfdUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    void timerfdsMatchRealLinuxAndExpireAtSimulatedDates() throws Exception {
        Process p = new ProcessBuilder(Scenario.app("timerfd")).redirectErrorStream(true).start();
        String real = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(real).isZero();

        RunReport r = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("timerfd"), 0).run();
        assertThat(r.success()).as("%s", UdpAppsUnderSimulationTest.stderrOf(r)).isTrue();
        String simulated = Scenario.text(r.actors().getFirst().stdout());
        assertThat(outcomes(simulated)).isEqualTo(outcomes(real));
        assertThat(simulated).contains("case=periodic read=8 count=3", "case=nothing-yet read=EAGAIN count=0",
                "case=epoll n=1 data=42 events=1", "case=child read=8 count=1", "case=short-buffer read=EINVAL",
                "case=past-periodic read=8 count=6");

        Map<String, Map<String, String>> dates = Scenario.results(r.actors().getFirst()).stream()
                .collect(Collectors.toMap(m -> m.get("ev"), m -> m));
        // the program starts at date 0: its first timer, 0.25 s, expires at 0.25
        assertThat(d(dates.get("oneshot"), "t") - TimeHandlers.BOOT_OFFSET_SECONDS).isCloseTo(0.25, within(1e-3));
        Map<String, Double> after = Map.of("oneshot", 0.25, "poll", 0.4, "select", 0.5, "absolute", 0.2,
                "realtime", 0.15, "boottime", 0.05, "epoll", 0.3);
        for (var e : after.entrySet()) {
            Map<String, String> m = dates.get(e.getKey());
            assertThat(d(m, "t") - d(m, "from")).as(e.getKey()).isCloseTo(e.getValue(), within(1e-6));
        }
    }

    /** The lines that carry no time. */
    private static List<String> outcomes(String output) {
        return output.lines().filter(l -> !l.startsWith("RESULT ")).toList();
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }
}
