package simterpose.tracer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.events.StopEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import simterpose.tracer.syscall.SyscallTable;

class LaunchAndSyscallsTest {
    static final int NR_WRITE = SyscallTable.number("write"), NR_GETPID = SyscallTable.number("getpid"), NR_GETPPID = SyscallTable.number("getppid");

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeftStopped() {
        assertThat(TestApps.stoppedTestApps()).isEmpty();
    }

    @Test
    void helloWriteEntryShowsArgsAndBytesAndExitStatus() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        List<Long> results = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            Path out = tmp.resolve("out.txt");
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("hello")).withStdout(out), stop -> {
                switch (stop.event()) {
                    case StopEvent.SyscallEntry e when e.nr() == NR_WRITE -> {
                        byte[] b = stop.memory().readFully(e.args()[1], (int) e.args()[2]);
                        writes.add(e.args()[0] + ":" + new String(b, StandardCharsets.UTF_8));
                    }
                    case StopEvent.SyscallExit x when x.nr() == NR_WRITE -> results.add(x.result());
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            assertThat(Files.readString(out)).isEqualTo("hello from a traced program\n");
        }
        assertThat(writes).containsExactly("1:hello from a traced program\n");
        assertThat(results).containsExactly(28L);
    }

    @Test
    void exitStatusOfTheCommandIsPropagated() throws Exception {
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of("/bin/sh", "-c", "exit 42"), stop -> Resume.CONTINUE);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(42));
        }
    }

    @Test
    void traceeStartsWithOnlyItsStandardDescriptorsNotTheJvms() throws Exception {
        // The JVM holds jars, epoll and pipe fds; a tracee must not inherit them (its first
        // open() must return 3, as under strace).
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Path out = tmp.resolve("fds.txt");
            Tracee t = tracer.launch(LaunchSpec.of("/bin/ls", "/proc/self/fd").withStdout(out), stop -> Resume.CONTINUE);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            // 0, 1, 2 and the directory ls itself opened to list them.
            assertThat(Files.readAllLines(out)).containsExactly("0", "1", "2", "3");
        }
    }

    @Test
    void staticBinaryIsTracedWithAndWithoutFilter() throws Exception {
        for (TracerOptions options : List.of(TracerOptions.traceAll(), TracerOptions.filter(Set.of(NR_WRITE)))) {
            List<Long> writeResults = new CopyOnWriteArrayList<>();
            try (Tracer tracer = Tracer.open(options)) {
                Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("hello_static")).withStdout(tmp.resolve("s.txt")), stop -> {
                    if (stop.event() instanceof StopEvent.SyscallExit x && x.nr() == NR_WRITE) {
                        writeResults.add(x.result());
                    }
                    return Resume.CONTINUE;
                });
                assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            }
            assertThat(writeResults).containsExactly(13L);
        }
    }

    @Test
    void readOnlyDataIsPatchedWithPokeWhereProcessVmWriteCannot() throws Exception {
        // hello_static writes a string literal: its buffer is in .rodata, a read-only mapping.
        Path out = tmp.resolve("patched");
        int[] plainWrite = {-1};
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("hello_static")).withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    byte[] upper = "HELLO".getBytes(StandardCharsets.US_ASCII);
                    plainWrite[0] = stop.memory().write(e.args()[1], upper, 0, upper.length);
                    stop.writeReadOnly(e.args()[1], upper);
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(plainWrite[0]).isZero();
        assertThat(Files.readString(out)).isEqualTo("HELLO static\n");
    }

    @Test
    void seccompFilterStopsOnlySelectedSyscalls() throws Exception {
        List<Long> entries = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "1000", "1000", "500")
                    .withStdout(tmp.resolve("o")), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    assertThat(e.seccomp()).isTrue();
                    entries.add(e.nr());
                }
                return Resume.NO_EXIT_STOP;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        // 1000 getppid; no clock_gettime (vDSO), no getpid (not selected), nothing else.
        assertThat(entries).hasSize(1000).containsOnly((long) NR_GETPPID);
    }

    /** A handler that reads registers only when it asks: every syscall stop's number, arguments and result are the registers'. */
    @Test
    void registersOnDemandGiveTheSameNumberArgumentsAndResultAsTheRegisters() throws Exception {
        for (TracerOptions options : List.of(TracerOptions.filter(Set.of(NR_GETPPID, NR_WRITE)), TracerOptions.traceAll())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            List<String> mismatches = new CopyOnWriteArrayList<>();
            StopHandler onDemand = new StopHandler() {
                @Override
                public Resume onStop(Stop stop) {
                    Regs regs = stop.regs(); // read now, on the owner thread
                    switch (stop.event()) {
                        case StopEvent.SyscallEntry e -> {
                            seen.add("entry " + e.nr());
                            if (regs == null || regs.nr() != e.nr() || !java.util.Arrays.equals(regs.args(), e.args())) {
                                mismatches.add(e + " vs " + regs);
                            }
                        }
                        case StopEvent.SyscallExit x -> {
                            seen.add("exit " + x.nr() + " = " + x.result());
                            if (regs == null || regs.rax() != x.result() || regs.nr() != x.nr()
                                    || !java.util.Arrays.equals(regs.args(), x.args())) {
                                mismatches.add(x + " vs " + regs);
                            }
                        }
                        default -> { }
                    }
                    return Resume.CONTINUE;
                }

                @Override
                public boolean registersOnDemand() {
                    return true;
                }
            };
            try (Tracer tracer = Tracer.open(options)) {
                Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "3")
                        .withStdout(tmp.resolve("o")), onDemand);
                assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            }
            assertThat(mismatches).isEmpty();
            long ppid = ProcessHandle.current().pid();
            int written = ("ppid=" + ppid + "\n").length();
            assertThat(seen).containsSubsequence("entry " + NR_GETPPID, "exit " + NR_GETPPID + " = " + ppid,
                    "entry " + NR_GETPPID, "exit " + NR_GETPPID + " = " + ppid, "entry " + NR_WRITE,
                    "exit " + NR_WRITE + " = " + written);
        }
    }

    /** A handler that needs nothing at entries: each entry comes at its exit stop, in order, dated at its entry stop. */
    @Test
    void entriesShownAtTheExitStopComeFirstWithTheirOwnTimeNumberAndArguments() throws Exception {
        List<StopEvent> events = new CopyOnWriteArrayList<>();
        List<String> mismatches = new CopyOnWriteArrayList<>();
        StopHandler lateEntries = new StopHandler() {
            @Override
            public Resume onStop(Stop stop) {
                events.add(stop.event());
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    Regs regs = stop.regs();
                    if (regs.nr() != e.nr() || !java.util.Arrays.equals(regs.args(), e.args())) {
                        mismatches.add(e + " vs " + regs);
                    }
                }
                return Resume.CONTINUE;
            }

            @Override
            public boolean registersOnDemand() {
                return true;
            }

            @Override
            public boolean entriesAtExit() {
                return true;
            }
        };
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID, NR_WRITE)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "2")
                    .withStdout(tmp.resolve("o")), lateEntries);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(mismatches).isEmpty();
        List<StopEvent> calls = events.stream().filter(e -> e instanceof StopEvent.SyscallEntry || e instanceof StopEvent.SyscallExit).toList();
        assertThat(calls).hasSize(6);
        long ppid = ProcessHandle.current().pid();
        for (int i = 0; i < calls.size(); i += 2) {
            StopEvent.SyscallEntry entry = (StopEvent.SyscallEntry) calls.get(i);
            StopEvent.SyscallExit exit = (StopEvent.SyscallExit) calls.get(i + 1);
            assertThat(exit.nr()).isEqualTo(entry.nr()).isEqualTo(i < 4 ? NR_GETPPID : NR_WRITE);
            assertThat(entry.seccomp()).isTrue();
            assertThat(entry.nanoTime()).isLessThan(exit.nanoTime());
            assertThat(exit.args()).isEqualTo(entry.args());
            assertThat(exit.result()).isEqualTo(i < 4 ? ppid : ("ppid=" + ppid + "\n").length());
        }
        assertThat(((StopEvent.SyscallEntry) calls.get(4)).args()[0]).isEqualTo(1); // write(1, ...)
    }

    @Test
    void networkClassFilterMakesNoStopForAMillionClockReadsAndAHundredThousandGetppids() throws Exception {
        // trace's `-e trace=%network`: the filter is built from the table's class, so neither the
        // vDSO clock reads nor getppid (a %process call) may stop the tracee even once.
        Set<Integer> network = simterpose.tracer.syscall.TraceExpression.parse("%network");
        assertThat(network).doesNotContain(NR_GETPPID, 228 /* clock_gettime */).contains(41 /* socket */);
        List<Long> entries = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(network))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "100000", "1000000")
                    .withStdout(tmp.resolve("o")), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    entries.add(e.nr());
                }
                return Resume.NO_EXIT_STOP;
            });
            assertThat(t.waitFor(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(entries).isEmpty();
    }

    @Test
    void emulatedGetppidReturnsTheFakeValueToTheProgram() throws Exception {
        Path out = tmp.resolve("ppid.txt");
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "3").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry) {
                    stop.emulate(4242);
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("ppid=4242\n");
    }

    /**
     * An emulated answer alone is written as two words (orig_rax, rax); asked for, the registers
     * show it, and an answer given after other register changes keeps those changes.
     */
    @Test
    void emulatedAnswerShowsInTheRegistersAndKeepsEarlierChanges() throws Exception {
        Path out = tmp.resolve("ppid2.txt");
        List<Regs> seen = new CopyOnWriteArrayList<>();
        int[] n = {0};
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "2").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry) {
                    if (n[0]++ == 0) {
                        stop.emulate(4242);
                        seen.add(stop.regs());
                    } else {
                        stop.setRegs(stop.regs().withArg(0, 77)); // getppid ignores it; it must survive
                        stop.emulate(5151);
                        seen.add(stop.regs());
                    }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("ppid=5151\n"); // the program prints the last one
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).nr()).isEqualTo(-1);
        assertThat(seen.get(0).rax()).isEqualTo(4242);
        assertThat(seen.get(1).nr()).isEqualTo(-1);
        assertThat(seen.get(1).rax()).isEqualTo(5151);
        assertThat(seen.get(1).arg(0)).isEqualTo(77);
    }

    @Test
    void injectedSyscallRunsAndTheOriginalStillRuns() throws Exception {
        Path out = tmp.resolve("inj");
        List<Long> injected = new CopyOnWriteArrayList<>();
        List<Long> exits = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "2").withStdout(out), stop -> {
                switch (stop.event()) {
                    case StopEvent.SyscallEntry e -> injected.add(stop.injectSyscall(NR_GETPID));
                    case StopEvent.SyscallExit x -> exits.add(x.result());
                    default -> { }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            assertThat(injected).containsExactly((long) t.pid(), (long) t.pid());
            long myPid = ProcessHandle.current().pid();
            assertThat(exits).containsExactly(myPid, myPid);
        }
        assertThat(Files.readString(out)).isEqualTo("ppid=" + ProcessHandle.current().pid() + "\n");
    }

    @Test
    void pinnedTracerRunsTheTraceeOnTheChosenCpu() throws Exception {
        List<String> allowed = new CopyOnWriteArrayList<>();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)).pinnedTo(1))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("getppid_loop"), "1").withStdout(tmp.resolve("p")), stop -> {
                if (!(stop.event() instanceof StopEvent.SyscallEntry)) {
                    return Resume.CONTINUE;
                }
                try {
                    Files.readAllLines(Path.of("/proc", Integer.toString(stop.tid()), "status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).forEach(l -> allowed.add(l.split(":\\s*")[1]));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(allowed).isNotEmpty().containsOnly("1");
    }

    @Test
    void aDeferredVerdictOnOneThreadDoesNotHoldUpTheOthers() throws Exception {
        // The first thread to call getppid gets its verdict 300 ms later, from another thread;
        // the other threads' getppid stops must be handled meanwhile.
        List<String> order = new CopyOnWriteArrayList<>();
        int[] held = {0};
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(NR_GETPPID)))) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("threads")).withStdout(tmp.resolve("b")), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    if (held[0] == 0) {
                        held[0] = e.tid();
                        order.add("held " + e.tid());
                        later.schedule(() -> {
                            order.add("released " + e.tid());
                            stop.resume(Resume.CONTINUE);
                        }, 300, TimeUnit.MILLISECONDS);
                        return Resume.DEFERRED;
                    }
                    order.add("getppid " + e.tid());
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        } finally {
            later.shutdownNow();
        }
        int released = order.indexOf("released " + held[0]);
        assertThat(order.subList(1, released)).as(order.toString())
                .anyMatch(o -> o.startsWith("getppid ") && !o.equals("getppid " + held[0]));
    }

    @Test
    void missingProgramIsAClearErrorAndLaunchesNothing() throws Exception {
        Path plain = Files.writeString(tmp.resolve("plain.txt"), "not a program");
        try (Tracer tracer = Tracer.open(TracerOptions.traceAll())) {
            assertThatThrownBy(() -> tracer.launch(LaunchSpec.of("no-such-program-xyz"), s -> Resume.CONTINUE))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("cannot run 'no-such-program-xyz': not found in PATH");
            assertThatThrownBy(() -> tracer.launch(LaunchSpec.of(plain.toString()), s -> Resume.CONTINUE))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("cannot run '" + plain + "': " + plain + " is not executable");
            assertThat(ProcessHandle.current().children().filter(p -> !p.info().command().orElse("").endsWith("sleep")))
                    .isEmpty();
        }
    }
}
