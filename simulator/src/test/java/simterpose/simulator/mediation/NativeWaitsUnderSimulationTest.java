package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls that block in the real kernel (a parent's wait for its children, a read of a pipe) and
 * that another tracee ends natively: the woken thread is held at the call's exit stop until its
 * turn in the engine's order ({@code HandlerResult.NATIVE_WAIT}), so what it does next does not
 * depend on where the real scheduler put it beside the running tracee, and runs repeat.
 */
class NativeWaitsUnderSimulationTest {
    @TempDir
    Path dir;

    private Scenario scenario(String name) throws Exception {
        return new Scenario(Files.createDirectories(dir.resolve(name)), "LV08", "100MBps", "10ms");
    }

    /**
     * reap_together: each round's four children end at one simulated date while their parent
     * waits in waitpid. The first child's end wakes the parent natively; held until its turn,
     * which comes after the other children due at that date, it finds them all gone and reaps
     * them with WNOHANG: every round, every run. Before wait4 was stopped, the woken parent ran
     * beside the next child and, depending on the real scheduler, found it still alive.
     */
    @Test
    void aParentWokenByAChildsExitWaitsForItsTurnBehindTheChildrenDueAtThatDate() throws Exception {
        int rounds = 30;
        for (int run = 0; run < 3; run++) {
            RunReport r = scenario("reap" + run).actor("alice", Scenario.app("reap_together"), 0, Integer.toString(rounds), "4", "4").run();
            assertThat(r.deadlock()).isEmpty();
            RunReport.ActorReport a = r.actors().getFirst();
            assertThat(a.exitCode()).isZero();
            assertThat(Scenario.text(a.stdout()).strip()).as("run %d", run)
                    .isEqualTo("reaped together " + 4 * rounds + " of " + 4 * rounds);
        }
    }

    /**
     * pipe_together: each round's four threads end at one simulated date, each counting itself
     * done in shared memory and writing a byte into a pipe the main thread waits on (in read, or
     * in poll or epoll_wait on the pipe alone, without a timeout: run natively too; or each
     * connects to an AF_UNIX socket that main waits on in accept). The first
     * byte wakes main natively; held at its call's exit stop until its turn, which comes after
     * the other threads due at that date, it sees all four done, every round, every run. Before,
     * it ran on beside them and saw the count the real scheduler left it (one, mostly).
     */
    @ParameterizedTest
    @ValueSource(strings = {"read", "poll", "epoll", "accept"})
    void aThreadWokenByAPipeWriteWaitsForItsTurnBehindTheThreadsDueAtThatDate(String how) throws Exception {
        int rounds = 30;
        for (int run = 0; run < 3; run++) {
            RunReport r = scenario(how + run).actor("alice", Scenario.app("pipe_together"), 0, Integer.toString(rounds), "4", "4", how).run();
            assertThat(r.deadlock()).isEmpty();
            RunReport.ActorReport a = r.actors().getFirst();
            assertThat(a.exitCode()).isZero();
            assertThat(Scenario.text(a.stdout()).strip()).as("%s, run %d", how, run)
                    .isEqualTo("saw every thread done in " + rounds + " of " + rounds + " rounds");
        }
    }

    /**
     * pipe_pieces: a thread writes its four-byte message into a pipe one byte at a time, reading
     * the clock between the writes, while main waits in read with room for all of it. A read of a
     * pipe waits for its turn in the simulation and runs natively once bytes are there, so main
     * reads after the writer's turn: the whole message, every round, every run. Left to block
     * natively, main took the first byte as soon as it was written, mid-turn: one byte, mostly.
     */
    @Test
    void aPipeReadTakesAtItsTurnWhatTheWriterWroteInItsTurn() throws Exception {
        int rounds = 30;
        for (int run = 0; run < 3; run++) {
            RunReport r = scenario("pieces" + run).actor("alice", Scenario.app("pipe_pieces"), 0, Integer.toString(rounds), "4").run();
            assertThat(r.deadlock()).isEmpty();
            RunReport.ActorReport a = r.actors().getFirst();
            assertThat(a.exitCode()).isZero();
            assertThat(Scenario.text(a.stdout()).strip()).as("run %d", run)
                    .isEqualTo("read whole messages in " + rounds + " of " + rounds + " rounds");
        }
    }

    /**
     * The same message through an AF_UNIX stream socket pair (send, then recv with room for it
     * all): a receive of a real socket waits for its turn as a read of a pipe does.
     */
    @Test
    void aUnixSocketReceiveTakesAtItsTurnWhatTheSenderSentInItsTurn() throws Exception {
        int rounds = 30;
        for (int run = 0; run < 3; run++) {
            RunReport r = scenario("unixpieces" + run)
                    .actor("alice", Scenario.app("pipe_pieces"), 0, Integer.toString(rounds), "4", "socketpair").run();
            assertThat(r.deadlock()).isEmpty();
            RunReport.ActorReport a = r.actors().getFirst();
            assertThat(a.exitCode()).isZero();
            assertThat(Scenario.text(a.stdout()).strip()).as("run %d", run)
                    .isEqualTo("read whole messages in " + rounds + " of " + rounds + " rounds");
        }
    }
}
