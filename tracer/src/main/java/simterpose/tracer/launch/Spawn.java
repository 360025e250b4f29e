package simterpose.tracer.launch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.posix_spawn_file_actions_t;
import simterpose.bindings.linux.posix_spawnattr_t;
import simterpose.bindings.linux.sigset_t;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * posix_spawn through FFM: the only way simterpose creates processes (fork from the JVM can
 * deadlock the child; ProcessBuilder's reaper thread would steal ptrace stops). The child gets
 * its own process group, an empty signal mask and default signal dispositions (the JVM blocks
 * and ignores some signals, and ignored dispositions survive exec).
 *
 * <p>glibc's posix_spawn uses CLONE_VFORK: the caller is suspended until the child has execed,
 * so the calling thread cannot seize the child in between; that is why the tracer spawns
 * {@code /bin/sh -c 'kill -STOP $$; exec "$0" "$@"'} and seizes the stopped shell. (A FIFO
 * opened in a file action would block the caller too, so that variant cannot work with it.)
 */
public final class Spawn {
    private Spawn() {}

    /**
     * Links the libc functions {@link #spawn} calls (each jextract downcall is generated code,
     * a few ms on first use), without calling them: for a start-up that has a spare thread.
     */
    public static void link() {
        List.of(Linux.posix_spawn_file_actions_init$handle(), Linux.posix_spawnattr_init$handle(),
                Linux.posix_spawn_file_actions_addchdir_np$handle(), Linux.posix_spawn_file_actions_addopen$handle(),
                Linux.posix_spawn_file_actions_addclosefrom_np$handle(), Linux.sigemptyset$handle(),
                Linux.sigfillset$handle(), Linux.posix_spawnattr_setsigmask$handle(),
                Linux.posix_spawnattr_setsigdefault$handle(), Linux.posix_spawnattr_setpgroup$handle(),
                Linux.posix_spawnattr_setflags$handle(), Linux.posix_spawn$handle(),
                Linux.posix_spawn_file_actions_destroy$handle(), Linux.posix_spawnattr_destroy$handle());
    }

    /**
     * Spawns {@code path} with exactly {@code argv} and {@code envp} ("NAME=value" strings).
     *
     * @param newProcessGroup put the child in a process group of its own (pgid = pid)
     * @return the child's pid
     * @throws SpawnException with errno if posix_spawn fails (e.g. a redirection file cannot be opened)
     */
    public static int spawn(Path path, List<String> argv, List<String> envp, Path cwd,
                            Path stdin, Path stdout, Path stderr, boolean newProcessGroup) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = posix_spawn_file_actions_t.allocate(arena);
            MemorySegment attr = posix_spawnattr_t.allocate(arena);
            check("posix_spawn_file_actions_init", Linux.posix_spawn_file_actions_init(actions));
            check("posix_spawnattr_init", Linux.posix_spawnattr_init(attr));
            try {
                if (cwd != null) {
                    check("addchdir", Linux.posix_spawn_file_actions_addchdir_np(actions, arena.allocateFrom(cwd.toString())));
                }
                int writeFlags = Linux.O_WRONLY() | Linux.O_CREAT() | Linux.O_TRUNC();
                if (stdin != null) {
                    check("addopen stdin", Linux.posix_spawn_file_actions_addopen(actions, 0,
                            arena.allocateFrom(stdin.toString()), Linux.O_RDONLY(), 0));
                }
                if (stdout != null) {
                    check("addopen stdout", Linux.posix_spawn_file_actions_addopen(actions, 1,
                            arena.allocateFrom(stdout.toString()), writeFlags, 0644));
                }
                if (stderr != null) {
                    check("addopen stderr", Linux.posix_spawn_file_actions_addopen(actions, 2,
                            arena.allocateFrom(stderr.toString()), writeFlags, 0644));
                }
                // The JVM's own descriptors (jars, epoll, pipes) must not leak into the tracee: it
                // would see fds it never opened, and its first open() would not return 3.
                check("addclosefrom", Linux.posix_spawn_file_actions_addclosefrom_np(actions, 3));
                MemorySegment empty = sigset_t.allocate(arena);
                MemorySegment all = sigset_t.allocate(arena);
                check("sigemptyset", Linux.sigemptyset(empty));
                check("sigfillset", Linux.sigfillset(all));
                check("setsigmask", Linux.posix_spawnattr_setsigmask(attr, empty));
                check("setsigdefault", Linux.posix_spawnattr_setsigdefault(attr, all));
                int flags = Linux.POSIX_SPAWN_SETSIGMASK() | Linux.POSIX_SPAWN_SETSIGDEF();
                if (newProcessGroup) {
                    flags |= Linux.POSIX_SPAWN_SETPGROUP();
                    check("setpgroup", Linux.posix_spawnattr_setpgroup(attr, 0));
                }
                check("setflags", Linux.posix_spawnattr_setflags(attr, (short) flags));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = Linux.posix_spawn(pid, arena.allocateFrom(path.toString()), actions, attr,
                        stringArray(arena, argv), stringArray(arena, envp));
                if (r != 0) {
                    throw new SpawnException("posix_spawn " + path, r);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                Linux.posix_spawn_file_actions_destroy(actions);
                Linux.posix_spawnattr_destroy(attr);
            }
        } catch (SpawnException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String what, int r) {
        if (r != 0) {
            throw new SpawnException(what, r);
        }
    }

    /** posix_spawn or one of its set-up calls failed with {@code errno}. */
    public static final class SpawnException extends RuntimeException {
        private final int errno;

        SpawnException(String what, int errno) {
            super(what + ": " + simterpose.bindings.Errno.name(errno) + " (" + simterpose.bindings.Errno.describe(errno) + ")");
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
