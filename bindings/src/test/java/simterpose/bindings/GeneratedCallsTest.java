package simterpose.bindings;

import org.junit.jupiter.api.Test;
import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.iovec;
import simterpose.bindings.linux.posix_spawn_file_actions_t;
import simterpose.bindings.linux.posix_spawnattr_t;
import simterpose.bindings.linux.sigset_t;
import simterpose.bindings.linux.user_regs_struct;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real calls through the generated downcalls: children are started with the generated
 * posix_spawn (never fork from the JVM) and reaped with {@link LibC#waitpid} on the test thread,
 * which is also the only thread that issues ptrace requests here.
 */
class GeneratedCallsTest {
    private static final int EXECVE = 59;

    /** A child spawned with file actions and attributes; see {@link #spawn}. */
    private record Child(int pid) {}

    /**
     * posix_spawn of argv[0] with stdin from /dev/null, stdout on {@code stdoutFd} (or inherited
     * when -1), its own process group (a signal meant for it never hits the JVM's group) and an
     * empty signal mask.
     */
    private static Child spawn(Arena arena, int stdoutFd, String... argv) {
        MemorySegment actions = posix_spawn_file_actions_t.allocate(arena);
        MemorySegment attr = posix_spawnattr_t.allocate(arena);
        assertThat(Linux.posix_spawn_file_actions_init(actions)).isZero();
        assertThat(Linux.posix_spawnattr_init(attr)).isZero();
        try {
            assertThat(Linux.posix_spawn_file_actions_addopen(actions, 0, arena.allocateFrom("/dev/null"),
                    Linux.O_RDONLY(), 0)).isZero();
            if (stdoutFd >= 0) {
                assertThat(Linux.posix_spawn_file_actions_adddup2(actions, stdoutFd, 1)).isZero();
                assertThat(Linux.posix_spawn_file_actions_addclose(actions, stdoutFd)).isZero();
            }
            MemorySegment emptyMask = sigset_t.allocate(arena);
            assertThat(Linux.sigemptyset(emptyMask)).isZero();
            assertThat(Linux.posix_spawnattr_setsigmask(attr, emptyMask)).isZero();
            assertThat(Linux.posix_spawnattr_setpgroup(attr, 0)).isZero();
            assertThat(Linux.posix_spawnattr_setflags(attr,
                    (short) (Linux.POSIX_SPAWN_SETPGROUP() | Linux.POSIX_SPAWN_SETSIGMASK()))).isZero();

            MemorySegment argvSegment = arena.allocate(ADDRESS, argv.length + 1);
            for (int i = 0; i < argv.length; i++) {
                argvSegment.setAtIndex(ADDRESS, i, arena.allocateFrom(argv[i]));
            }
            argvSegment.setAtIndex(ADDRESS, argv.length, MemorySegment.NULL);
            MemorySegment pid = arena.allocate(JAVA_INT);
            int error = Linux.posix_spawn(pid, arena.allocateFrom(argv[0]), actions, attr, argvSegment,
                    Linux.environ());
            assertThat(error).as("posix_spawn error %s", Errno.name(error)).isZero();
            return new Child(pid.get(JAVA_INT, 0));
        } finally {
            Linux.posix_spawnattr_destroy(attr);
            Linux.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static int waitStatus(Arena arena, int pid, int options) {
        MemorySegment status = arena.allocate(JAVA_INT);
        assertThat(LibC.waitpid(pid, status, options)).isEqualTo(pid);
        return status.get(JAVA_INT, 0);
    }

    private static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    private static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    private static boolean stopped(int status) {
        return (status & 0xff) == 0x7f;
    }

    @Test
    void posixSpawnedShellExitStatusIsReapedThroughWaitpid() {
        try (Arena arena = Arena.ofConfined()) {
            Child child = spawn(arena, -1, "/bin/sh", "-c", "exit 7");
            int status = waitStatus(arena, child.pid(), 0);
            assertThat(exited(status)).as("status 0x%x is an exit", status).isTrue();
            assertThat(exitCode(status)).isEqualTo(7);
        }
    }

    @Test
    void spawnedChildWritesIntoAPipeDup2edOnItsStdout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            assertThat(Linux.pipe2(fds, Linux.O_CLOEXEC())).isZero();
            int readEnd = fds.getAtIndex(JAVA_INT, 0);
            int writeEnd = fds.getAtIndex(JAVA_INT, 1);
            Child child;
            try {
                child = spawn(arena, writeEnd, "/bin/sh", "-c", "echo hello from $0", "sh");
            } finally {
                Linux.close(writeEnd);
            }
            MemorySegment buffer = arena.allocate(256);
            StringBuilder out = new StringBuilder();
            long n;
            while ((n = Linux.read(readEnd, buffer, buffer.byteSize())) > 0) {
                out.append(new String(buffer.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
            }
            Linux.close(readEnd);
            assertThat(out.toString()).isEqualTo("hello from sh\n");
            assertThat(exitCode(waitStatus(arena, child.pid(), 0))).isZero();
        }
    }

    /**
     * The launch sequence of the tracer (spawn a self-stopping shell, seize it, continue it to
     * its exec event) with generated constants; GETREGS at the exec stop must show execve in
     * orig_rax, which checks user_regs_struct against the kernel itself.
     */
    @Test
    void seizedChildStopsAtExecWithExecveInOrigRax() {
        try (Arena arena = Arena.ofConfined()) {
            Child child = spawn(arena, -1, "/bin/sh", "-c", "kill -STOP $$; exec /bin/true");
            boolean reaped = false;
            try {
                int status = waitStatus(arena, child.pid(), Linux.WUNTRACED());
                assertThat(stopped(status)).isTrue();
                assertThat((status >> 8) & 0xff).isEqualTo(Linux.SIGSTOP());

                LibC.ptrace(Linux.PTRACE_SEIZE(), child.pid(), 0,
                        Linux.PTRACE_O_EXITKILL() | Linux.PTRACE_O_TRACEEXEC() | Linux.PTRACE_O_TRACESYSGOOD());
                LibC.kill(child.pid(), Linux.SIGCONT());

                MemorySegment regs = user_regs_struct.allocate(arena);
                boolean sawExec = false;
                while (true) {
                    status = waitStatus(arena, child.pid(), Linux.__WALL());
                    if (!stopped(status)) {
                        reaped = true;
                        break;
                    }
                    int signal = (status >> 8) & 0xff;
                    int event = status >>> 16;
                    long inject = 0;
                    if (event == Linux.PTRACE_EVENT_EXEC()) {
                        assertThat(signal).isEqualTo(Linux.SIGTRAP());
                        LibC.ptrace(Linux.PTRACE_GETREGS(), child.pid(), 0, regs.address());
                        assertThat(user_regs_struct.orig_rax(regs)).isEqualTo(EXECVE);
                        assertThat(user_regs_struct.rip(regs)).isNotZero();
                        assertThat(user_regs_struct.rsp(regs)).isNotZero();
                        sawExec = true;
                    } else if (event == 0) {
                        inject = signal; // signal-delivery stop (the SIGCONT): pass it on
                    }
                    // event STOP (the group-stop a seize of a stopped task reports): just resume.
                    LibC.ptrace(Linux.PTRACE_CONT(), child.pid(), 0, inject);
                }
                assertThat(sawExec).isTrue();
                assertThat(exited(status)).as("status 0x%x is an exit", status).isTrue();
                assertThat(exitCode(status)).isZero();
            } finally {
                if (!reaped) {
                    LibC.kill(child.pid(), Linux.SIGKILL());
                    LibC.waitpid(child.pid(), MemorySegment.NULL, Linux.__WALL());
                }
            }
        }
    }

    @Test
    void processVmReadvCopiesThroughGeneratedIovecs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocateFrom("simterpose reads memory");
            MemorySegment target = arena.allocate(source.byteSize());
            MemorySegment local = iovec.allocate(arena);
            iovec.iov_base(local, target);
            iovec.iov_len(local, target.byteSize());
            MemorySegment remote = iovec.allocate(arena);
            iovec.iov_base(remote, source);
            iovec.iov_len(remote, source.byteSize());

            long n = LibC.processVmReadv(Linux.getpid(), local, 1, remote, 1);

            assertThat(n).isEqualTo(source.byteSize());
            assertThat(target.getString(0)).isEqualTo("simterpose reads memory");
        }
    }
}
