package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.tracer.syscall.Mediation;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;

/** How a run begins and ends: bad input, crashes, deadlocks, kill times, other interpreters. */
class RunLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void everyMediatedRowHasAHandlerAndEveryHandlerIsInTheTable() {
        for (Syscall s : SyscallTable.all()) {
            if (s.mediation() == Mediation.MEDIATED_NETWORK || s.mediation() == Mediation.MEDIATED_TIME
                    || s.mediation() == Mediation.OBSERVED) {
                assertThat(Handlers.of(s.number())).as("handler for %s", s.name()).isNotNull();
            }
        }
        for (String name : Handlers.names()) {
            Syscall row = SyscallTable.byName(name).orElseThrow();
            assertThat(row.mediation()).as("row of %s", name).isNotEqualTo(Mediation.NATIVE);
            assertThat(Handlers.filter()).contains(row.number());
        }
    }

    @Test
    void aMissingProgramIsABadInputErrorAtItsActorBeforeAnythingRuns() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080")
                .actor("alice", "/no/such/program", 0);
        Platform p = s.platform();
        assertThatThrownBy(() -> Runner.run(p, p.deployment(), Scenario.options(dir.resolve("out")), new RunListener() {}))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("platform.xml:")
                .hasMessageContaining("/no/such/program");
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    void aCrashingActorIsReportedWhileTheOthersGoOn() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1")
                .actor("alice", "/bin/sh", 0, "-c", "kill -SEGV $$")
                .actor("alice", Scenario.app("tcp_client"), 0.5, "10.0.0.2", "8080", "100000");
        RunReport r = s.run();
        RunReport.ActorReport crashed = r.actors().get(1);
        assertThat(crashed.outcome()).isEqualTo(RunReport.Outcome.KILLED_BY_SIGNAL);
        assertThat(crashed.signal()).isEqualTo("SIGSEGV");
        assertThat(r.actors().get(0).outcome()).isEqualTo(RunReport.Outcome.EXITED);
        assertThat(r.actors().get(2).exitCode()).isZero();
        assertThat(r.actors().get(0).bytesReceived()).isEqualTo(100000);
        assertThat(r.success()).isFalse();
    }

    @Test
    void twoServersAcceptingForeverAreADeadlockNamingBothBlockedCalls() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080")
                .actor("alice", Scenario.app("tcp_server"), 0.25, "9090");
        RunReport r = s.run();
        assertThat(r.deadlock()).isPresent();
        RunReport.Deadlock d = r.deadlock().orElseThrow();
        assertThat(d.blocked()).hasSize(2);
        assertThat(d.blocked()).allSatisfy(b -> assertThat(b.syscall()).startsWith("accept("));
        assertThat(d.blocked()).extracting(RunReport.BlockedActor::since).containsExactlyInAnyOrder(0.0, 0.25);
        assertThat(r.actors()).allSatisfy(a -> assertThat(a.outcome()).isEqualTo(RunReport.Outcome.KILLED_BY_DEADLOCK));
        assertThat(r.success()).isFalse();
    }

    @Test
    void anActorIsKilledAtItsKillTime() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, 2.0, "8080");
        RunReport r = s.run();
        assertThat(r.deadlock()).isEmpty();
        RunReport.ActorReport a = r.actors().getFirst();
        assertThat(a.outcome()).isEqualTo(RunReport.Outcome.KILLED_AT_KILL_TIME);
        assertThat(a.end()).isEqualTo(2.0);
        assertThat(r.makespan()).isEqualTo(2.0);
    }

    @Test
    void pythonClientAndServerWithBlockingSocketsTransferExactly() throws Exception {
        Path server = dir.resolve("server.py");
        Files.writeString(server, """
                import socket, hashlib
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", 9000))
                s.listen(1)
                c, addr = s.accept()
                h = hashlib.sha256()
                n = 0
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    h.update(b)
                    n += len(b)
                c.sendall(b"thanks")
                c.close()
                print(n, h.hexdigest(), addr[0], c.getsockname()[0] if False else "")
                """);
        Path client = dir.resolve("client.py");
        Files.writeString(client, """
                import socket, time
                t0 = time.time()
                s = socket.create_connection(("10.0.0.2", 9000))
                t1 = time.time()
                s.sendall(bytes(range(256)) * 4000)
                s.shutdown(socket.SHUT_WR)
                print(s.recv(100).decode(), s.getpeername()[0], round(t1 - t0, 6))
                s.close()
                """);
        Scenario s = new Scenario(dir, "CM02", "100MBps", "10ms")
                .actor("bob", "/usr/bin/python3", 0, server.toString())
                .actor("alice", "/usr/bin/python3", 0, client.toString());
        RunReport r = s.run();
        assertThat(r.success()).as("%s %s", r, Scenario.text(r.actors().get(1).stderr())).isTrue();
        byte[] data = new byte[256 * 4000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(Scenario.text(r.actors().get(0).stdout()).strip()).isEqualTo(data.length + " " + sha + " 10.0.0.1");
        assertThat(Scenario.text(r.actors().get(1).stdout()).strip()).isEqualTo("thanks 10.0.0.2 0.02");
    }

    @Test
    void sendfileOnASimulatedSocketIsReportedOnceAndFails() throws Exception {
        Path client = dir.resolve("sendfile.py");
        Files.writeString(client, """
                import os, socket
                s = socket.create_connection(("10.0.0.2", 8080))
                f = open(__file__, "rb")
                for i in range(2):
                    try:
                        os.sendfile(s.fileno(), f.fileno(), 0, 10)
                    except OSError as e:
                        print(e.errno)
                s.close()
                """);
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("bob", Scenario.app("tcp_server"), 0, "8080", "1")
                .actor("alice", "/usr/bin/python3", 0, client.toString());
        List<String> diagnostics = new ArrayList<>();
        RunReport r = s.run(new RunListener() {
            @Override
            public void diagnostic(String message) {
                diagnostics.add(message);
            }
        });
        assertThat(Scenario.text(r.actors().get(1).stdout())).isEqualTo("95\n95\n");
        assertThat(diagnostics).hasSize(1);
        assertThat(diagnostics.getFirst()).contains("python3").contains("sendfile(").contains("EOPNOTSUPP");
    }

    @Test
    void measuredCpuTimeBecomesSimulatedTime() throws Exception {
        Path burn = dir.resolve("burn.py");
        Files.writeString(burn, """
                import time
                t0 = time.time()
                c0 = time.process_time()
                x = sum(range(30_000_000))
                print(round(time.time() - t0, 4), round(time.process_time() - c0, 4))
                """);
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", "/usr/bin/python3", 0, burn.toString());
        Platform p = s.platform();
        RunOptions o = new RunOptions(dir.resolve("out"), RunOptions.CpuMode.MEASURED, 2e9, 1, RunOptions.DEFAULT_EPOCH,
                Map.of(), false, RunOptions.UnmediatedPolicy.FAIL, java.time.Duration.ZERO);
        RunReport r = Runner.run(p, p.deployment(), o, new RunListener() {});
        Scenario.assertNoneLeft(r);
        assertThat(r.success()).isTrue();
        // The work between the two clock reads is CPU only: the simulated elapsed time is the
        // CPU time it burnt (scaled by 2 Gflop/s local / 1 Gflop/s host), which the CPU clock reads too.
        String[] f = Scenario.text(r.actors().getFirst().stdout()).strip().split(" ");
        double elapsed = Double.parseDouble(f[0]);
        double cpu = Double.parseDouble(f[1]);
        assertThat(elapsed).isGreaterThan(0.1);
        assertThat(elapsed).isCloseTo(cpu, org.assertj.core.api.Assertions.within(0.01 + 0.05 * cpu));
        assertThat(r.actors().getFirst().end()).isGreaterThan(elapsed);
    }
}
