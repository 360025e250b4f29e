package simterpose.tracer.launch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import simterpose.bindings.CCall;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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

    // Start-up: these libc functions are called through CCall's one downcall handle, not one
    // jextract handle each (CCall says why that is sound on x86_64).
    private static final MemorySegment POSIX_SPAWN = function("posix_spawn"),
            FILE_ACTIONS_INIT = function("posix_spawn_file_actions_init"),
            FILE_ACTIONS_DESTROY = function("posix_spawn_file_actions_destroy"),
            ADDCHDIR = function("posix_spawn_file_actions_addchdir_np"),
            ADDOPEN = function("posix_spawn_file_actions_addopen"),
            ADDCLOSEFROM = function("posix_spawn_file_actions_addclosefrom_np"),
            ATTR_INIT = function("posix_spawnattr_init"), ATTR_DESTROY = function("posix_spawnattr_destroy"),
            SETSIGMASK = function("posix_spawnattr_setsigmask"), SETSIGDEFAULT = function("posix_spawnattr_setsigdefault"),
            SETPGROUP = function("posix_spawnattr_setpgroup"), SETFLAGS = function("posix_spawnattr_setflags"),
            SIGEMPTYSET = function("sigemptyset"), SIGFILLSET = function("sigfillset");

    /**
     * glibc x86_64 sizes of posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t (their
     * jextract layouts say the same, SpawnTest checks it; reading a layout costs its class's
     * initialization at start-up). O_* and POSIX_SPAWN_* are Linux's ABI values.
     */
    static final long FILE_ACTIONS_SIZE = 80, ATTR_SIZE = 336, SIGSET_SIZE = 128;
    static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_TRUNC = 01000;
    static final int POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    private static MemorySegment function(String name) {
        return CCall.function(name);
    }

    /** {@code function(a...)}, unused trailing arguments 0; its int result. */
    private static int call(MemorySegment function, long a1, long a2, long a3, long a4, long a5, long a6) {
        return (int) CCall.call(function, a1, a2, a3, a4, a5, a6);
    }

    private static int call(MemorySegment function, MemorySegment a1) {
        return call(function, a1.address(), 0, 0, 0, 0, 0);
    }

    private static int call(MemorySegment function, MemorySegment a1, long a2) {
        return call(function, a1.address(), a2, 0, 0, 0, 0);
    }

    /**
     * Links the one downcall {@link #spawn} makes, without calling it: for a start-up that
     * has a spare thread.
     */
    public static void link() {
        CCall.link();
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
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            check("posix_spawn_file_actions_init", call(FILE_ACTIONS_INIT, actions));
            check("posix_spawnattr_init", call(ATTR_INIT, attr));
            try {
                if (cwd != null) {
                    check("addchdir", call(ADDCHDIR, actions, arena.allocateFrom(cwd.toString()).address()));
                }
                int writeFlags = O_WRONLY | O_CREAT | O_TRUNC;
                if (stdin != null) {
                    check("addopen stdin", addopen(actions, 0, arena.allocateFrom(stdin.toString()), O_RDONLY));
                }
                if (stdout != null) {
                    check("addopen stdout", addopen(actions, 1, arena.allocateFrom(stdout.toString()), writeFlags));
                }
                if (stderr != null) {
                    check("addopen stderr", addopen(actions, 2, arena.allocateFrom(stderr.toString()), writeFlags));
                }
                // The JVM's own descriptors (jars, epoll, pipes) must not leak into the tracee: it
                // would see fds it never opened, and its first open() would not return 3.
                check("addclosefrom", call(ADDCLOSEFROM, actions, 3));
                MemorySegment empty = arena.allocate(SIGSET_SIZE, 8);
                MemorySegment all = arena.allocate(SIGSET_SIZE, 8);
                check("sigemptyset", call(SIGEMPTYSET, empty));
                check("sigfillset", call(SIGFILLSET, all));
                check("setsigmask", call(SETSIGMASK, attr, empty.address()));
                check("setsigdefault", call(SETSIGDEFAULT, attr, all.address()));
                int flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
                if (newProcessGroup) {
                    flags |= POSIX_SPAWN_SETPGROUP;
                    check("setpgroup", call(SETPGROUP, attr, 0));
                }
                check("setflags", call(SETFLAGS, attr, flags));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = call(POSIX_SPAWN, pid.address(), arena.allocateFrom(path.toString()).address(), actions.address(),
                        attr.address(), stringArray(arena, argv).address(), stringArray(arena, envp).address());
                if (r != 0) {
                    throw new SpawnException("posix_spawn " + path, r);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                call(FILE_ACTIONS_DESTROY, actions);
                call(ATTR_DESTROY, attr);
            }
        }
    }

    private static int addopen(MemorySegment actions, int fd, MemorySegment file, int flags) {
        return call(ADDOPEN, actions.address(), fd, file.address(), flags, 0644, 0);
    }

    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        // the pointers as longs, copied in one go: setAtIndex(ADDRESS, ...) would build its
        // VarHandle on the first launch, on the ptrace owner (~1 ms of each start, JFR)
        long[] pointers = new long[strings.size() + 1]; // ends with NULL
        for (int i = 0; i < strings.size(); i++) {
            pointers[i] = arena.allocateFrom(strings.get(i)).address();
        }
        MemorySegment array = arena.allocate(ADDRESS, pointers.length);
        MemorySegment.copy(pointers, 0, array, JAVA_LONG, 0, pointers.length);
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
