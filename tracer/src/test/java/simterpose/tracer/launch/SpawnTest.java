package simterpose.tracer.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.posix_spawn_file_actions_t;
import simterpose.bindings.linux.posix_spawnattr_t;
import simterpose.bindings.linux.sigset_t;

/** Spawn calls libc through one address-taking downcall: the sizes and flags it hard-codes, and a real spawn. */
class SpawnTest {
    @TempDir
    Path dir;

    @Test
    void hardCodedSizesAndFlagsAreTheHeadersOnes() {
        assertThat(Spawn.FILE_ACTIONS_SIZE).isEqualTo(posix_spawn_file_actions_t.sizeof());
        assertThat(Spawn.ATTR_SIZE).isEqualTo(posix_spawnattr_t.sizeof());
        assertThat(Spawn.SIGSET_SIZE).isEqualTo(sigset_t.sizeof());
        assertThat(List.of(Spawn.O_RDONLY, Spawn.O_WRONLY, Spawn.O_CREAT, Spawn.O_TRUNC))
                .isEqualTo(List.of(Linux.O_RDONLY(), Linux.O_WRONLY(), Linux.O_CREAT(), Linux.O_TRUNC()));
        assertThat(List.of(Spawn.POSIX_SPAWN_SETPGROUP, Spawn.POSIX_SPAWN_SETSIGDEF, Spawn.POSIX_SPAWN_SETSIGMASK))
                .isEqualTo(List.of(Linux.POSIX_SPAWN_SETPGROUP(), Linux.POSIX_SPAWN_SETSIGDEF(), Linux.POSIX_SPAWN_SETSIGMASK()));
    }

    @Test
    void spawnedChildGetsItsDirectoryRedirectionsGroupCleanSignalsAndNoJvmFds() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "from stdin\n");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        String script = "pwd; cat; echo ENV=$X; grep -E '^Sig(Blk|Ign)' /proc/self/status;"
                + " echo PGID=$(cut -d' ' -f5 /proc/self/stat) PID=$$; ls /proc/self/fd | wc -l; echo oops >&2";
        int pid = Spawn.spawn(Path.of("/bin/sh"), List.of("sh", "-c", script), List.of("X=1"), dir, in, out, err, true);
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        child.onExit().get(10, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.subList(0, 4)).containsExactly(dir.toRealPath().toString(), "from stdin", "ENV=1",
                "SigBlk:\t0000000000000000");
        // glibc keeps its own real-time signals 32 and 33 ignored; every standard one (1-31) is default
        assertThat(Long.parseLong(lines.get(4).substring("SigIgn:\t".length()), 16) & 0x7fff_ffffL)
                .as(lines.get(4)).isZero();
        assertThat(lines.get(5)).isEqualTo("PGID=" + pid + " PID=" + pid);
        assertThat(lines.get(6)).as("fds 0-2 and ls's own directory fd").isEqualTo("4");
        assertThat(Files.readString(err)).isEqualTo("oops\n");
    }

    @Test
    void aMissingProgramIsAnErrno() {
        assertThatThrownBy(() -> Spawn.spawn(dir.resolve("nope"), List.of("nope"), List.of(), null, null, null, null, false))
                .isInstanceOf(Spawn.SpawnException.class)
                .satisfies(e -> assertThat(((Spawn.SpawnException) e).errno()).isEqualTo(2));
    }
}
