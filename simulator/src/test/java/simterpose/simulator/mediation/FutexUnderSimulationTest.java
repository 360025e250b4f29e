package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Futex waits with a timeout wait in simulated time ({@link FutexHandlers}): libc's timed waits
 * (pthread_cond_timedwait/clockwait, sem_timedwait/clockwait, pthread_timedjoin_np) and raw
 * futex calls (wake, requeue, wake-op, a signal, a word that changed, a past deadline, a
 * semaphore shared with a forked child) end as
 * they end natively, at the simulated dates their timeouts, wakes and signals give; Python's timed Event.wait and Queue.get wait their time instead of expiring at
 * once or spinning.
 */
class FutexUnderSimulationTest {
    @TempDir
    Path dir;

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private Scenario scenario(String name) throws Exception {
        return new Scenario(Files.createDirectories(dir.resolve(name)), "LV08", "100MBps", "10ms");
    }

    /** The case → outcome pairs of futex_timeouts' RESULT lines. */
    private static Map<String, String> outcomes(List<Map<String, String>> results) {
        Map<String, String> m = new LinkedHashMap<>();
        results.forEach(r -> m.put(r.get("case"), r.get("ret")));
        return m;
    }

    @Test
    void timedFutexWaitsEndAsNativelyAtTheirSimulatedDates() throws Exception {
        String app = Scenario.app("futex_timeouts");
        Path nativeOut = dir.resolve("native.out");
        // The native reference orders its threads with 0.1 s sleeps: on a busy machine a waiter may
        // not be waiting yet when it is woken or requeued. Up to three tries; the reference is the
        // first whose timing held (the simulated run below is never retried).
        Map<String, String> expected = Map.of();
        for (int attempt = 0; attempt < 3 && !(expected.getOrDefault("wake_mixed", "").equals("3/all0")
                && expected.getOrDefault("requeue", "").equals("2/1/all0")
                && expected.getOrDefault("wake_op", "").equals("1/all0/b=1")); attempt++) {
            Process p = new ProcessBuilder(app).redirectOutput(nativeOut.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(15, TimeUnit.SECONDS)) { // a waiter without a timeout missed its wake: it waits for ever
                p.destroyForcibly().waitFor();
                continue;
            }
            assertThat(p.exitValue()).isZero();
            expected = outcomes(Scenario.results(nativeOut));
        }
        assertThat(expected).as("natively").containsEntry("cond_realtime_expires", "ETIMEDOUT")
                .containsEntry("wait_interrupted", "EINTR").containsEntry("wake_mixed", "3/all0").containsEntry("requeue", "2/1/all0")
                .containsEntry("wake_op", "1/all0/b=1").containsEntry("shared_posted", "0").hasSize(13);

        RunReport r = scenario("c").actor("alice", app, 0).run();
        assertThat(r.deadlock()).isEmpty();
        RunReport.ActorReport a = r.actors().getFirst();
        assertThat(a.outcome()).isEqualTo(RunReport.Outcome.EXITED);
        List<Map<String, String>> results = Scenario.results(a);
        assertThat(outcomes(results)).as("under the simulation, as natively").isEqualTo(expected);
        // Each case lasts the simulated time its timeout, wake, thread end or signal gives.
        Map<String, Double> expectedTimes = Map.ofEntries(Map.entry("cond_realtime_expires", 0.2),
                Map.entry("cond_monotonic_signalled", 0.3), Map.entry("sem_expires", 0.25), Map.entry("sem_posted", 0.1),
                Map.entry("join_in_time", 0.2), Map.entry("join_expires", 0.1), Map.entry("wait_interrupted", 0.15),
                Map.entry("wait_changed", 0.0), Map.entry("wait_past", 0.0), Map.entry("wake_mixed", 0.1),
                Map.entry("requeue", 0.2), Map.entry("wake_op", 0.1), Map.entry("shared_posted", 0.1));
        for (Map<String, String> result : results) {
            assertThat(Double.parseDouble(result.get("t"))).as(result.get("case"))
                    .isCloseTo(expectedTimes.get(result.get("case")), within(0.0015));
        }
        assertThat(r.makespan()).isCloseTo(2.1, within(0.01));
    }

    /**
     * join_together: each round's four threads end at one simulated date while the main thread
     * joins them in order. The first one's exit wakes main's untimed futex wait natively; main must
     * still wait for its turn, after the other threads due at that date (their turns were ready
     * first), so it finds them gone and joins them without a futex call: one wait per round, every
     * run. Before main was held at its wait's exit stop, it ran on natively beside them, and whether
     * it found the next thread alive (one more futex call) depended on the real scheduler.
     */
    @Test
    void aJoinerWokenByAThreadsExitWaitsForItsTurnBehindTheThreadsDueAtThatDate() throws Exception {
        int rounds = 40;
        for (int run = 0; run < 3; run++) {
            List<String> mainFutexes = new ArrayList<>();
            RunReport r = scenario("join" + run).actor("alice", Scenario.app("join_together"), 0, Integer.toString(rounds), "4", "4")
                    .run(new RunListener() {
                        @Override
                        public boolean followsSyscalls() {
                            return true;
                        }

                        @Override
                        public void syscall(SyscallSeen call) {
                            if (call.thread() == 0 && call.nr() == FUTEX) {
                                mainFutexes.add(call.text());
                            }
                        }
                    });
            assertThat(r.deadlock()).isEmpty();
            assertThat(r.actors().getFirst().outcome()).isEqualTo(RunReport.Outcome.EXITED);
            assertThat(mainFutexes).as("run %d: main's futex calls", run).hasSize(rounds);
        }
    }

    /** futex(2) on x86-64. */
    private static final int FUTEX = 202;

    @Test
    void pythonTimedEventAndQueueWaitsTakeTheirSimulatedTimeAndRepeat() throws Exception {
        assumeThat(PYTHON).isExecutable();
        Path script = Files.writeString(dir.resolve("ev.py"), """
                import resource, threading, time, queue
                resource.setrlimit(resource.RLIMIT_CPU, (10, 10))  # a spin at a frozen clock ends, killed
                t0 = time.monotonic()
                r = threading.Event().wait(0.5)
                t1 = time.monotonic()
                try:
                    queue.Queue().get(timeout=0.3)
                    got = "item"
                except queue.Empty:
                    got = "empty"
                t2 = time.monotonic()
                print("RESULT event=%s event_wait=%.6f queue=%s queue_wait=%.6f" % (r, t1 - t0, got, t2 - t1), flush=True)
                """);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RunReport r = scenario("py" + i).actor("alice", PYTHON.toString(), 0, script.toString()).run();
            assertThat(r.deadlock()).isEmpty();
            RunReport.ActorReport a = r.actors().getFirst();
            assertThat(a.outcome()).as("python ends by itself (a spin at a frozen clock hits its CPU limit)")
                    .isEqualTo(RunReport.Outcome.EXITED);
            Map<String, String> got = Scenario.results(a).getFirst();
            assertThat(got).containsEntry("event", "False").containsEntry("queue", "empty");
            assertThat(Double.parseDouble(got.get("event_wait"))).isCloseTo(0.5, within(1e-3));
            assertThat(Double.parseDouble(got.get("queue_wait"))).isCloseTo(0.3, within(1e-3));
            // The queue's wait is one futex wait, not a spin (31 250 syscalls when its deadline expired at once).
            assertThat(a.syscallsMediated()).isLessThan(2_000);
            runs.add(Scenario.text(a.stdout()) + Scenario.text(a.stderr()) + " mediated " + a.syscallsMediated()
                    + " end " + a.end());
        }
        assertThat(runs.get(1)).as("second run, CPU model none").isEqualTo(runs.get(0));
    }

    /** A multiprocessing.Event lives in memory shared by two processes: a set() in one wakes the other's timed wait. */
    @Test
    void pythonMultiprocessingEventIsWokenFromAnotherProcess() throws Exception {
        assumeThat(PYTHON).isExecutable();
        Path script = Files.writeString(dir.resolve("mp.py"), """
                import multiprocessing as mp, time
                def setter(ev):
                    time.sleep(0.2)
                    ev.set()
                if __name__ == "__main__":
                    mp.set_start_method("fork")
                    ev = mp.Event()
                    t0 = time.monotonic()
                    p = mp.Process(target=setter, args=(ev,))
                    p.start()
                    r = ev.wait(5)
                    print("RESULT set=%s waited=%.6f" % (r, time.monotonic() - t0), flush=True)
                    p.join()
                """);
        RunReport r = scenario("mp").actor("alice", PYTHON.toString(), 0, script.toString()).run();
        assertThat(r.deadlock()).isEmpty();
        Map<String, String> got = Scenario.results(r.actors().getFirst()).getFirst();
        assertThat(got).containsEntry("set", "True");
        assertThat(Double.parseDouble(got.get("waited"))).as("woken by the child's set(), not at the 5 s deadline")
                .isCloseTo(0.2, within(1e-3));
    }
}
