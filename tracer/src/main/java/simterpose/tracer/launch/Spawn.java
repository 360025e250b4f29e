package simterpose.tracer.launch;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final int POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04,
            POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_TRUNC = 01000;
    /** sizeof(posix_spawn_file_actions_t) is 80 and sizeof(posix_spawnattr_t) 336 on glibc x86_64; room to spare. */
    private static final long OPAQUE_SIZE = 1024;

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd);
    }

    private static final MethodHandle SPAWN = fn("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = fn("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = fn("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_OPEN = fn("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_CHDIR = fn("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_INIT = fn("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = fn("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_FLAGS = fn("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_PGROUP = fn("posix_spawnattr_setpgroup", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_SIGMASK = fn("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SIGDEFAULT = fn("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = fn("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGFILLSET = fn("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

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
            MemorySegment actions = arena.allocate(OPAQUE_SIZE, 16);
            MemorySegment attr = arena.allocate(OPAQUE_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            try {
                if (cwd != null) {
                    check("addchdir", (int) FA_CHDIR.invokeExact(actions, arena.allocateFrom(cwd.toString())));
                }
                if (stdin != null) {
                    check("addopen stdin", (int) FA_OPEN.invokeExact(actions, 0, arena.allocateFrom(stdin.toString()), O_RDONLY, 0));
                }
                if (stdout != null) {
                    check("addopen stdout", (int) FA_OPEN.invokeExact(actions, 1,
                            arena.allocateFrom(stdout.toString()), O_WRONLY | O_CREAT | O_TRUNC, 0644));
                }
                if (stderr != null) {
                    check("addopen stderr", (int) FA_OPEN.invokeExact(actions, 2,
                            arena.allocateFrom(stderr.toString()), O_WRONLY | O_CREAT | O_TRUNC, 0644));
                }
                MemorySegment empty = arena.allocate(128, 8);
                MemorySegment all = arena.allocate(128, 8);
                check("sigemptyset", (int) SIGEMPTYSET.invokeExact(empty));
                check("sigfillset", (int) SIGFILLSET.invokeExact(all));
                check("setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, empty));
                check("setsigdefault", (int) ATTR_SIGDEFAULT.invokeExact(attr, all));
                int flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
                if (newProcessGroup) {
                    flags |= POSIX_SPAWN_SETPGROUP;
                    check("setpgroup", (int) ATTR_PGROUP.invokeExact(attr, 0));
                }
                check("setflags", (int) ATTR_FLAGS.invokeExact(attr, (short) flags));
                MemorySegment argvArray = stringArray(arena, argv);
                MemorySegment envArray = stringArray(arena, envp);
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = (int) SPAWN.invokeExact(pid, arena.allocateFrom(path.toString()), actions, attr, argvArray, envArray);
                if (r != 0) {
                    throw new SpawnException("posix_spawn " + path, r);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
                ignored = (int) ATTR_DESTROY.invokeExact(attr);
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
