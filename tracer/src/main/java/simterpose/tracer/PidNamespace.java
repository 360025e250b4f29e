package simterpose.tracer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.tracer.launch.Spawn;

/**
 * A PID namespace that launched tracees are born in, with a mount namespace whose {@code /proc}
 * is that namespace's procfs: so a tracee's pids (getpid, gettid, what fork and wait return,
 * {@code /proc/self}) are small numbers that depend only on the order in which the run's
 * processes and threads were created, not on what else this machine ran before. Made and closed
 * on the owner thread; {@link #spawnInside} runs on the spawner thread ({@link ShellSpawner}).
 *
 * <p><b>How.</b> The owner thread {@code unshare}s a new PID and mount namespace for its own
 * children, makes its mounts slaves of the host's (so nothing mounted here leaks out), and
 * spawns a tiny init (perl, Essential on Debian): pid 1 of the namespace, which mounts the
 * namespace's procfs over {@code /proc} and then reaps the orphans re-parented to it. Pid 1 of
 * a namespace must exist for as long as anything is launched in it (when it dies the kernel
 * kills the namespace and forks there fail), and it ignores every signal it has no handler
 * for: that is why it is not a tracee. The owner then returns to the host's namespaces; each
 * launch enters the namespaces ({@code setns}, on the spawner thread) around its posix_spawn
 * only, so the rest of the tracer keeps reading {@code /proc/TID} with the global tids it sees.
 *
 * <p><b>What a tracee sees.</b> Its first launched process is pid 2 (pid 1 is the init); every
 * process and thread of the run takes the next free number in creation order; a launched
 * actor's getppid() is 0 (its parent, simterpose, is outside the namespace, as for a process
 * started by {@code nsenter}); its orphans are re-parented to pid 1. The kernel translates
 * whatever crosses the boundary (waitpid results, kill targets, SCM_CREDENTIALS, SO_PEERCRED);
 * the tracer itself keeps seeing global pids.
 *
 * <p><b>Cleanup.</b> The init dies with the owner thread (PR_SET_PDEATHSIG, SIGKILL) or at
 * {@link #close}; its death kills whatever is left in the namespace.
 */
final class PidNamespace {
    private static final int CLONE_FS = 0x200, CLONE_NEWNS = 0x20000, CLONE_NEWPID = 0x20000000;
    private static final long MS_REC = 0x4000, MS_SLAVE = 1 << 19;
    private static final int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    private static final int WNOHANG = 1, WALL = 0x40000000;

    /**
     * The init: PR_SET_PDEATHSIG(SIGKILL) (prctl 157); if the owner thread that spawned it
     * (argument: "PID/task/TID", looked up in this machine's procfs, still its /proc then) ended
     * before, no signal will come: it ends. Then the namespace's procfs on /proc with nosuid,
     * nodev, noexec (mount 165), then wait for orphans for ever. The CHLD handler makes pid 1
     * receive SIGCHLD, which cuts the sleep short when an orphan comes and goes.
     */
    private static final String INIT = """
            $SIG{CHLD} = sub {};
            syscall(157, 1, 9) == 0 or die "prctl: $!";
            -e "/proc/$ARGV[0]" or exit 1; # simterpose ended (killed) before prctl
            my ($source, $target, $type) = ("proc", "/proc", "proc"); # syscall wants writable strings
            syscall(165, $source, $target, $type, 14, 0) == 0 or die "mount proc: $!";
            $0 = "simterpose-init";
            for (;;) { wait == -1 and sleep 1 }
            """;

    private static final int SIGKILL = 9;
    /** How long {@link #close} waits for the init to end. */
    private static final long CLOSE_WAIT_NANOS = 2_000_000_000L;

    private final int init;
    /** The pids launched in the namespace (children of this process): reaped at close if still zombies. */
    private final java.util.Set<Integer> launched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int pidNs, mntNs, hostPidNs, hostMntNs, cwd;

    private PidNamespace(int init, int pidNs, int mntNs, int hostPidNs, int hostMntNs, int cwd) {
        this.init = init;
        this.pidNs = pidNs;
        this.mntNs = mntNs;
        this.hostPidNs = hostPidNs;
        this.hostMntNs = hostMntNs;
        this.cwd = cwd;
    }

    /**
     * Creates the namespaces and their init, on the owner thread.
     *
     * @throws LaunchException when this machine refuses (no CAP_SYS_ADMIN: not root), with why
     */
    static PidNamespace create(PtraceCalls calls) {
        try (Arena arena = Arena.ofConfined()) {
            // setns into a mount namespace needs a private fs_struct (cwd and root): only this thread's.
            LibC.unshare(CLONE_FS);
            int hostMnt = open(arena, "/proc/thread-self/ns/mnt", O_RDONLY);
            int hostPid = open(arena, "/proc/thread-self/ns/pid", O_RDONLY);
            int cwd = open(arena, ".", O_PATH | O_DIRECTORY);
            int hostProc = open(arena, "/proc", O_PATH | O_DIRECTORY);
            long hostProcDev = device("/proc");
            try {
                LibC.unshare(CLONE_NEWNS | CLONE_NEWPID);
            } catch (ErrnoException x) { // not root: this thread is still in the host's namespaces
                closeQuietly(hostMnt, hostPid, cwd, hostProc);
                throw refused(x);
            }
            int init = -1, mnt = -1, pid = -1;
            PidNamespace made = null;
            try {
                LibC.mount(MemorySegment.NULL, arena.allocateFrom("/"), MemorySegment.NULL, MS_REC | MS_SLAVE);
                mnt = open(arena, "/proc/thread-self/ns/mnt", O_RDONLY); // still the host's procfs here
                String owner = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // PID/task/TID
                init = Spawn.spawn(Path.of("/usr/bin/perl"), List.of("perl", "-e", INIT, owner), List.of(), null,
                        Path.of("/dev/null"), Path.of("/dev/null"), Path.of("/dev/null"), false);
                pid = LibC.openat(hostProc, arena.allocateFrom(init + "/ns/pid"), O_RDONLY | O_CLOEXEC);
                awaitProcMount(calls, init, hostProcDev);
                made = new PidNamespace(init, pid, mnt, hostPid, hostMnt, cwd);
                return made;
            } catch (IOException e) {
                throw new LaunchException("cannot give the run its own pids: /proc/thread-self: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                if (init > 0) {
                    killAndReap(calls, init);
                }
                throw e instanceof ErrnoException x ? refused(x) : e;
            } finally {
                LibC.setns(hostMnt, CLONE_NEWNS);
                LibC.fchdir(cwd);
                LibC.setns(hostPid, CLONE_NEWPID);
                closeQuietly(hostProc);
                if (made == null) {
                    closeQuietly(mnt, pid, hostMnt, hostPid, cwd);
                }
            }
        }
    }

    private static LaunchException refused(ErrnoException x) {
        return new LaunchException("cannot give the run its own pids: " + x.getMessage()
                + " (a PID namespace needs root, i.e. CAP_SYS_ADMIN)", x);
    }

    /**
     * Runs {@code spawn} (a posix_spawn) with its child born in the namespaces; returns its result.
     * On the thread that spawns the tracees ({@link ShellSpawner}'s), which first gets an fs_struct
     * (cwd and root) of its own, as setns into a mount namespace needs (a no-op the next times).
     */
    int spawnInside(IntSupplier spawn) {
        LibC.unshare(CLONE_FS);
        LibC.setns(pidNs, CLONE_NEWPID);
        LibC.setns(mntNs, CLONE_NEWNS);
        LibC.fchdir(cwd); // setns moved this thread to the namespace's root
        try {
            int pid = spawn.getAsInt();
            launched.add(pid);
            return pid;
        } finally {
            LibC.setns(hostMntNs, CLONE_NEWNS);
            LibC.fchdir(cwd);
            LibC.setns(hostPidNs, CLONE_NEWPID);
        }
    }

    /** The init's global pid (not a tracee: the owner's waitpid(-1) may see it end). */
    int initPid() {
        return init;
    }

    /**
     * Kills the init, and with it whatever is left in the namespace; reaps it, for at most
     * {@link #CLOSE_WAIT_NANOS}. A dying init waits in the kernel (zap_pid_ns_processes) until
     * every process of its namespace is reaped, and the launched programs are this process's
     * children: so while it waits, their zombies are reaped here (a blocking waitpid of the init
     * would wait for itself). One left after that ends with the tool.
     */
    void close(PtraceCalls calls) {
        try {
            LibC.kill(init, SIGKILL);
        } catch (ErrnoException ignored) {
            // already reaped
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
            while (LibC.waitpid(init, status, WNOHANG | WALL) == 0 && System.nanoTime() < deadline) {
                reapLaunchedZombies(status);
                Thread.sleep(1);
            }
        } catch (ErrnoException ignored) {
            // already reaped (the owner's waitpid(-1) took it)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(pidNs, mntNs, hostPidNs, hostMntNs, cwd);
    }

    /** Reaps each launched program that is a zombie of this process in the namespace (NSpid of two levels). */
    private void reapLaunchedZombies(MemorySegment status) {
        for (var it = launched.iterator(); it.hasNext(); ) {
            int pid = it.next();
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"));
            } catch (IOException e) {
                it.remove(); // reaped already
                continue;
            }
            boolean zombie = lines.stream().anyMatch(l -> l.startsWith("State:\tZ"));
            boolean ours = lines.stream().anyMatch(l -> l.startsWith("NSpid:") && l.substring(6).strip().split("\\s+").length > 1);
            if (zombie && ours) {
                try {
                    LibC.waitpid(pid, status, WNOHANG | WALL);
                } catch (ErrnoException e) {
                    // not our child (any more): another reaper had it
                }
                it.remove();
            }
        }
    }

    /** Closes each fd that was opened (not -1), whatever close says. */
    private static void closeQuietly(int... fds) {
        for (int fd : fds) {
            try {
                if (fd >= 0) {
                    LibC.close(fd);
                }
            } catch (ErrnoException ignored) {
                // already closed
            }
        }
    }

    static void killAndReap(PtraceCalls calls, int pid) {
        try {
            LibC.kill(pid, 9);
            calls.waitpid(pid, WALL);
        } catch (ErrnoException ignored) {
            // already reaped (the owner's waitpid(-1) took it)
        }
    }

    /** Waits (up to 10 s) until this thread's /proc is another filesystem: the init has mounted its procfs. */
    private static void awaitProcMount(PtraceCalls calls, int init, long hostProcDev) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (device("/proc") == hostProcDev) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
                if (LibC.waitpid(init, status, WNOHANG | WALL) == init) {
                    throw new LaunchException("cannot give the run its own pids: the namespace's init ended at once"
                            + " (status " + status.get(ValueLayout.JAVA_INT, 0) + "; does /usr/bin/perl run, can root mount proc?)");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("cannot give the run its own pids: the namespace's init did not mount /proc in 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static long device(String path) {
        try {
            return ((Number) Files.getAttribute(Path.of(path), "unix:dev")).longValue();
        } catch (IOException e) {
            throw new LaunchException("cannot give the run its own pids: stat " + path + ": " + e.getMessage(), e);
        }
    }

    private static int open(Arena arena, String path, int flags) {
        return LibC.open(arena.allocateFrom(path), flags | O_CLOEXEC, 0);
    }
}
