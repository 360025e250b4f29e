package simterpose.simulator.mediation;

import simterpose.simulator.mediation.handlers.MediationTable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import simterpose.simulator.mediation.handlers.MediationTable.Support;
import simterpose.tracer.syscall.SyscallTable;

/** The one table of what a simulation does with each syscall, and the views read from it. */
class MediationTableTest {
    private static final Path DOC = Path.of(System.getProperty("simterpose.root", ".."), "docs", "syscalls.md");

    @Test
    void theSeccompFilterStopsExactlyTheRowsAndEachRowHasAHandlerAndANote() {
        Set<Integer> rows = MediationTable.rows().stream().map(r -> r.syscall().number()).collect(Collectors.toSet());
        assertThat(MediationTable.stopped()).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(MediationTable.rows()).allSatisfy(r -> {
            assertThat(MediationTable.handler(r.syscall().number())).as(r.name()).isNotNull();
            assertThat(r.note()).as(r.name()).isNotBlank();
        });
        assertThat(MediationTable.support(SyscallTable.number("getpid"))).isEqualTo(Support.NATIVE);
        assertThat(MediationTable.handler(SyscallTable.number("getpid"))).isNull();
        assertThat(MediationTable.support(SyscallTable.number("recvfrom"))).isEqualTo(Support.MEDIATED);
        assertThat(MediationTable.support(SyscallTable.number("splice"))).isEqualTo(Support.UNMEDIATED);
    }

    @Test
    void readinessCallsClockReadsAndChildWaitsAreTheOnlyRowsThatDoNotCountAsProgress() {
        Set<String> idle = MediationTable.rows().stream().filter(r -> !r.progress()).map(MediationTable.Row::name)
                .collect(Collectors.toSet());
        assertThat(idle).containsExactlyInAnyOrder("poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
                "epoll_pwait2", "clock_gettime", "gettimeofday", "time", "wait4", "waitid");
    }

    /**
     * docs/syscalls.md is the table printed: a row changed without regenerating it fails here.
     * {@code -Dsimterpose.updateDocs=true} rewrites it.
     */
    @Test
    void theSupportTableInTheDocsIsGeneratedFromTheRows() throws IOException {
        String generated = MediationTable.markdown();
        if (Boolean.getBoolean("simterpose.updateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated);
        }
        assertThat(DOC).exists();
        assertThat(Files.readString(DOC)).as("docs/syscalls.md is stale: re-run this test with -Dsimterpose.updateDocs=true")
                .isEqualTo(generated);
        assertThat(generated).contains("| 45 | `recvfrom` | mediated |").contains("`getpid`");
    }
}
