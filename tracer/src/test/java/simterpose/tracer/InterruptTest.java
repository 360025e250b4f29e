package simterpose.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

/**
 * {@link Tracer#interrupt}: a thread that runs natively (computing, or blocked in a syscall the
 * filter lets through) is stopped on request, shown as an Interrupted stop, and resumes where it
 * was.
 */
class InterruptTest {
    static final int NR_GETPPID = SyscallTable.number("getppid");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void aThreadSpinningInUserSpaceIsInterruptedAfterEachQuantumOfItsCpuTimeAndGoesOnComputing() throws Exception {
        CompletableFuture<Integer> burner = new CompletableFuture<>();
        List<Long> interruptedAt = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            // one thread computing for about ever (no syscall): only an interrupt stops it
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("cpu_threads"), "1", "1000000000000")
                    .withStdout(tmp.resolve("out")), stop -> {
                switch (stop.event()) {
                    case StopEvent.NewChild c -> burner.complete(c.childTid());
                    case StopEvent.Interrupted i -> interruptedAt.add(stop.regs().rip());
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            try {
                int tid = burner.get(10, TimeUnit.SECONDS);
                try (ThreadCpuClock cpu = ThreadCpuClock.of(t.pid(), tid)) {
                    long quantum = 20_000_000L;
                    long last = cpu.nanos();
                    for (int i = 0; i < 3; i++) {
                        while (cpu.nanos() - last < quantum) {
                            Thread.sleep(1);
                        }
                        last = cpu.nanos();
                        // refused while the previous interrupt's stop is still on its way (seen under load): ask again
                        long asked = System.nanoTime();
                        boolean sent;
                        while (!(sent = tracer.interrupt(tid)) && System.nanoTime() - asked < 5_000_000_000L) {
                            Thread.sleep(1);
                        }
                        assertThat(sent).isTrue();
                    }
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (interruptedAt.size() < 3 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertThat(interruptedAt).hasSize(3);
                    // resumed: it computes again
                    long after = cpu.nanos();
                    while (cpu.nanos() - after < quantum && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertThat(cpu.nanos() - after).isGreaterThanOrEqualTo(quantum);
                }
            } finally {
                t.kill();
                t.waitFor(10, TimeUnit.SECONDS);
            }
        }
        // every interrupt caught it in user space (not at 0, not in the kernel half)
        assertThat(interruptedAt).allSatisfy(rip -> assertThat(rip).isBetween(1L, 0x7fff_ffff_ffffL));
    }

    @Test
    void aThreadInterruptedInsideANativeNanosleepRestartsItAndSleepsItsFullTime() throws Exception {
        AtomicInteger interrupts = new AtomicInteger();
        Path out = tmp.resolve("ticks");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            long t0 = System.nanoTime();
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("sleeper"), "10").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.Interrupted) {
                    interrupts.incrementAndGet();
                }
                return Resume.CONTINUE;
            });
            // ten 100 ms nanosleeps: interrupt it in one, and once that stop was taken, in a later one
            // (one interrupt is in flight at a time; on a loaded machine the first stop may take a while)
            Thread.sleep(50);
            assertThat(tracer.interrupt(t.pid())).isTrue();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (interrupts.get() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(100);
            assertThat(tracer.interrupt(t.pid())).isTrue();
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(7));
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(1_000_000_000L);
        }
        assertThat(interrupts.get()).isEqualTo(2);
        assertThat(Files.readString(out)).isEqualTo(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "tick " + i + "\n")
                .collect(java.util.stream.Collectors.joining()));
    }

    @Test
    void aThreadThatIsNotTracedCannotBeInterrupted() throws Exception {
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            assertThat(tracer.interrupt((int) ProcessHandle.current().pid())).isFalse();
        }
    }
}
