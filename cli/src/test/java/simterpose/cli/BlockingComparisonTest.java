package simterpose.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.cli.views.StraceLogReader.Call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** compare's per-blocking-call table, from strace -ttt -T logs as run and emulate write them. */
class BlockingComparisonTest {

    @Test
    void pairsEachActorsBlockingCallsInOrderAndShowsACallThatBlocksInOneRunOnlyOnItsOwnRow(@TempDir Path dir)
            throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path emulate = Files.createDirectories(dir.resolve("emulate"));
        // run's writer: simulated dates, only the mediated calls
        Files.writeString(run.resolve("server.nc.1000.strace"), """
                946684800.000000 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3 <0.000000>
                946684800.000000 accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4 <0.300873>
                946684800.300873 read(4, "lttng\\n", 16384) = 6 <0.000000>
                946684800.300873 +++ exited with 0 +++
                """);
        Files.writeString(run.resolve("client.nc.1001.strace"), """
                946684800.000000 connect(3, {sa_family=AF_INET, sin_port=htons(5000)}, 16) = -1 EINPROGRESS (Operation now in progress) <0.000000>
                946684800.000000 pselect6(4, NULL, [3], NULL, NULL, NULL) = 1 (out [3]) <0.200000>
                946684800.200000 poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}]) <0.200000>
                """);
        // real strace under emulate: real dates, every call, one file per process (here the client forked a child,
        // and a thread of the server's cut its accept: unfinished/resumed)
        Files.writeString(emulate.resolve("server.nc.2.strace"), """
                1796626364.000100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3 <0.000021>
                [pid 3] 1796626364.000200 accept4(3, NULL, NULL, SOCK_CLOEXEC <unfinished ...>
                [pid 4] 1796626364.100000 nanosleep({tv_sec=0, tv_nsec=500000}, NULL) = 0 <0.000520>
                [pid 3] 1796626364.305300 <... accept4 resumed>) = 4 <0.305100>
                [pid 3] 1796626364.305400 read(4, "lttng\\n", 16384) = 6 <0.000012>
                """);
        Files.writeString(emulate.resolve("client.nc.2.strace"), """
                1796626364.001000 connect(3, {sa_family=AF_INET, sin_port=htons(5000)}, 16) = -1 EINPROGRESS (Operation now in progress) <0.000090>
                1796626364.001100 pselect6(4, NULL, [3], NULL, NULL, NULL) = 1 (out [3]) <0.201000>
                1796626364.300000 poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}]) <0.199000>
                """);
        Files.writeString(emulate.resolve("client.nc.7.strace"), """
                1796626364.202200 wait4(-1, 0x7ffd, 0, NULL) = 8 <0.050000>
                """);
        Files.writeString(emulate.resolve("notes.txt"), "not a log\n");

        long min = 1_000_000;
        Map<String, List<Call>> runCalls = BlockingComparison.read(run, min);
        Map<String, List<Call>> emulateCalls = BlockingComparison.read(emulate, min);
        assertThat(emulateCalls.get("client.nc")).extracting(Call::name).containsExactly("pselect6", "wait4", "poll");
        List<BlockingComparison.Row> rows = BlockingComparison.match(runCalls, emulateCalls);

        assertThat(rows).extracting(BlockingComparison.Row::actor, BlockingComparison.Row::syscall).containsExactly(
                org.assertj.core.groups.Tuple.tuple("client.nc", "pselect6"),
                org.assertj.core.groups.Tuple.tuple("client.nc", "wait4"),
                org.assertj.core.groups.Tuple.tuple("client.nc", "poll"),
                org.assertj.core.groups.Tuple.tuple("server.nc", "accept4"));
        assertThat(rows.get(0).relativeDifference()).isCloseTo((0.200 - 0.201) / 0.201, within(1e-9));
        assertThat(rows.get(1).run()).isNull();
        assertThat(rows.get(2).relativeDifference()).isCloseTo((0.200 - 0.199) / 0.199, within(1e-9));
        assertThat(rows.get(3).emulated().durationNanos()).isEqualTo(305_100_000L);
        assertThat(rows.get(3).emulated().startNanos()).as("the accept began at its unfinished line")
                .isEqualTo(1_796_626_364_000_200_000L);

        String text = BlockingComparison.text(rows, min, null);
        assertThat(text).contains("client.nc  pselect6   200.000       201.000         -0.5%\n")
                .contains("client.nc  wait4            -        50.000  emulate only\n")
                .contains("server.nc  accept4    300.873       305.100         -1.4%\n");
        JsonWriter w = new JsonWriter();
        BlockingComparison.json(w, rows);
        assertThat(w.toJson().replaceAll("\\s", "")).contains("{\"actor\":\"client.nc\",\"syscall\":\"wait4\","
                + "\"runDuration\":null,\"emulateDuration\":0.05,\"relativeDifference\":null}");
    }
}
