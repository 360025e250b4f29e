package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static simterpose.tracer.syscall.SyscallClass.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SyscallTableTest {
    private static final Path UNISTD = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");

    @Test
    void everyNumberOfTheInstalledKernelHeaderHasItsName() throws IOException {
        Map<Integer, String> header = new LinkedHashMap<>();
        Matcher m = Pattern.compile("#define __NR_(\\w+) (\\d+)").matcher(Files.readString(UNISTD));
        while (m.find()) {
            header.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        assertThat(header).hasSizeGreaterThan(300);
        header.forEach((nr, name) -> {
            String expected = name;
            assertThat(SyscallTable.byNumber(nr)).as("syscall %d", nr).hasValueSatisfying(
                    s -> assertThat(s.name()).isEqualTo(expected));
            assertThat(SyscallTable.byName(expected)).map(Syscall::number).hasValue(nr);
        });
    }

    @Test
    void numbersAfterTheHeaderComeFromNewerKernels() {
        assertThat(SyscallTable.byName("mseal")).map(Syscall::number).hasValue(462);
        assertThat(SyscallTable.byName("fchmodat2")).map(Syscall::number).hasValue(452);
        assertThat(SyscallTable.byName("uretprobe")).map(Syscall::number).hasValue(335);
        assertThat(SyscallTable.byNumber(336)).isEmpty();
        assertThat(SyscallTable.name(999)).isEqualTo("syscall_0x3e7");
    }

    @Test
    void classesMatchStraceForASample() {
        assertThat(cls("openat")).containsExactlyInAnyOrder(DESC, FILE);
        assertThat(cls("open")).containsExactlyInAnyOrder(DESC, FILE);
        assertThat(cls("read")).containsExactly(DESC);
        assertThat(cls("socket")).containsExactly(NETWORK);
        assertThat(cls("sendfile")).containsExactlyInAnyOrder(DESC, NETWORK);
        assertThat(cls("getpid")).containsExactly(PURE);
        assertThat(cls("getuid")).containsExactlyInAnyOrder(CREDS, PURE);
        assertThat(cls("newfstatat")).containsExactlyInAnyOrder(DESC, FILE, FSTAT, STAT_LIKE);
        assertThat(cls("stat")).containsExactlyInAnyOrder(FILE, STAT, STAT_LIKE);
        assertThat(cls("lstat")).containsExactlyInAnyOrder(FILE, LSTAT, STAT_LIKE);
        assertThat(cls("statfs")).containsExactlyInAnyOrder(FILE, STATFS, STATFS_LIKE);
        assertThat(cls("clock_gettime")).containsExactly(CLOCK);
        assertThat(cls("nanosleep")).isEmpty();
        assertThat(cls("execve")).containsExactlyInAnyOrder(FILE, PROCESS);
        assertThat(cls("mmap")).containsExactlyInAnyOrder(DESC, MEMORY);
        assertThat(cls("kill")).containsExactlyInAnyOrder(SIGNAL, PROCESS);
        assertThat(cls("shmat")).containsExactlyInAnyOrder(IPC, MEMORY);
        assertThat(cls("exit_group")).containsExactly(PROCESS);
        assertThat(cls("clone3")).containsExactly(PROCESS);
    }

    @Test
    void numberByNameIsTheKernelsAndAnUnknownNameIsABug() {
        assertThat(SyscallTable.number("socket")).isEqualTo(41);
        assertThat(SyscallTable.number("exit_group")).isEqualTo(231);
        assertThatThrownBy(() -> SyscallTable.number("no_such_call")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodedRowsHaveOneDecoderPerArgument() {
        long decoded = SyscallTable.all().stream().filter(s -> !s.args().isEmpty()).count();
        assertThat(decoded).isGreaterThanOrEqualTo(100);
        assertThat(SyscallTable.byName("openat").orElseThrow().args())
                .containsExactly(Arg.DIRFD, Arg.PATH, Arg.OFLAGS, Arg.OMODE);
    }

    private static java.util.Set<SyscallClass> cls(String name) {
        return SyscallTable.byName(name).orElseThrow().classes();
    }
}
