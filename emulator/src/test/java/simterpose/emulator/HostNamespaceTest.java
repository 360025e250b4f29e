package simterpose.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.mediation.RunReport.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.emulator.Emulation.actor;

/** What a program sees of its emulated host: its name, its address, the platform's names, and no other network. */
class HostNamespaceTest {

    @Test
    void aProgramSeesItsHostsNameAddressAndOnlyTheRelaysInterface(@TempDir Path dir) throws Exception {
        String look = "hostname; cat /etc/hostname; getent hosts server; ip -o -4 addr show | awk '{print $2, $4}'; "
                + "ip -o link show | awk -F': ' '{print \"link\", $2}'";
        Emulation e = Emulation.run(dir, Emulation.twoHosts("10MBps", "1ms", "SHARED"),
                actor("client", 0, "sh", "-c", look), null);
        assertThat(e.actor(0).exitCode()).isZero();
        assertThat(Files.readAllLines(e.actor(0).stdout())).containsExactly(
                "client", "client", "10.0.0.2        server", "lo 127.0.0.1/8", "tun0 10.0.0.1/32", "link lo", "link tun0");
    }

    @Test
    void anActorStartsAtItsStartTimeAndIsKilledWithItsChildrenAtItsKillTime(@TempDir Path dir) throws Exception {
        String zone = Emulation.twoHosts("10MBps", "1ms", "SHARED");
        String actors = "<actor host=\"server\" function=\"sh\" start_time=\"0.2\" kill_time=\"0.7\">"
                + "<argument value=\"-c\"/><argument value=\"sleep 30.123 &amp; wait\"/></actor>\n";
        Emulation e = Emulation.run(dir, zone, actors, null);
        assertThat(e.actor(0).outcome()).isEqualTo(Outcome.KILLED_AT_KILL_TIME);
        // real time: a loaded machine delays a start or a kill (0.92 s for 0.7 in a CI suite at load 10),
        // never advances one; the sleep would end at 30 s
        assertThat(e.actor(0).start()).isBetween(0.2 - 0.01, 0.2 + 0.3);
        assertThat(e.actor(0).end()).isBetween(0.7 - 0.01, 0.7 + 0.8);
        // the shell's child died with it
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").endsWith("sleep 30.123")))
                .isEmpty();
    }

    @Test
    void actorsOfOneStartTimeStartTogetherNotOneLaunchAfterAnother(@TempDir Path dir) throws Exception {
        // eight programs due at 0.3 s print the real time of their start; launched one after the
        // other (nsenter, the exit wrapper: 4-10 ms each) their starts spread over 40-80 ms
        Attempts.upTo(Attempts.MAX, attempt -> {
            Path d = Files.createDirectories(dir.resolve("attempt-" + attempt));
            StringBuilder actors = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                actors.append(actor(i % 2 == 0 ? "client" : "server", 0.3, "date", "+%s.%N"));
            }
            Emulation e = Emulation.run(d, Emulation.twoHosts("10MBps", "1ms", "SHARED"), actors.toString(), null);
            double first = Double.POSITIVE_INFINITY, last = 0;
            for (int i = 0; i < 8; i++) {
                double t = Double.parseDouble(Files.readString(e.actor(i).stdout()).strip());
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            assertThat(last - first).as("spread of the real starts (s)").isLessThan(0.010);
            for (int i = 0; i < 8; i++) {
                assertThat(e.actor(i).start()).as("the report's start of actor " + i).isEqualTo(e.actor(0).start());
            }
        });
    }

    @Test
    void anExitStatusAbove128IsAnExitAndADeathBySignalIsASignal(@TempDir Path dir) throws Exception {
        Emulation e = Emulation.run(dir, Emulation.twoHosts("10MBps", "1ms", "SHARED"),
                // it lives a moment: the pid is looked up in /proc aside, and a program gone within
                // a few ms of its start is not found there (its row then has pid -1)
                actor("client", 0, "sh", "-c", "sleep 0.5; exit 130")
                        + actor("server", 0, "sh", "-c", "kill -SEGV $$")
                        + actor("server", 0, "sh", "-c", "exit 3"), null);
        assertThat(e.actor(0).outcome()).isEqualTo(Outcome.EXITED);
        assertThat(e.actor(0).exitCode()).isEqualTo(130);
        assertThat(e.actor(1).outcome()).isEqualTo(Outcome.KILLED_BY_SIGNAL);
        assertThat(e.actor(1).signal()).isEqualTo("SIGSEGV");
        assertThat(e.actor(2).outcome()).isEqualTo(Outcome.EXITED);
        assertThat(e.actor(2).exitCode()).isEqualTo(3);
        assertThat(e.actor(0).pid()).as("the program's own pid, as under run").isPositive();
    }
}
