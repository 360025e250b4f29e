package simterpose.simulator.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's refusals seen by real programs (the escape probes, testapps/src/escape_probe.h):
 * each way past the simulated kernel fails at its first step with the errno the README
 * documents. SandboxConformanceTest (cli) adds the native runs and a listener on a wire.
 */
class SandboxUnderSimulationTest {
    @TempDir
    Path dir;

    @Test
    void everyEscapeRouteFailsAtItsFirstStepWithTheDocumentedErrno() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms");
        String[][] routes = {
                {"i386", "socketcall(SOCKET) failed: ENOSYS"},
                {"io_uring", "io_uring_setup failed: ENOSYS"},
                {"user_notif", "seccomp(NEW_LISTENER) failed: EINVAL"},
                {"packet", "socket(AF_PACKET) failed: EAFNOSUPPORT"}};
        for (String build : new String[] {"escape_probe", "escape_probe_static"}) {
            for (String[] route : routes) {
                s.actor("alice", Scenario.app(build), 0, route[0], "10.0.0.2", "9", "lo");
            }
        }
        RunReport r = s.run();
        for (int i = 0; i < r.actors().size(); i++) {
            RunReport.ActorReport a = r.actors().get(i);
            String[] route = routes[i % routes.length];
            assertThat(a.exitCode()).as(a.function()).isZero();
            assertThat(Scenario.text(a.stdout())).as(a.function() + " " + route[0]).isEqualTo(route[0] + ": " + route[1] + "\n");
        }
    }

    @Test
    void aChildClonedWithCloneUntracedIsFollowedAndEndsWithTheRun() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("untraced_child"), 0);
        RunReport r = s.run();
        Matcher m = Pattern.compile("child (\\d+) time (-?\\d+)\n").matcher(Scenario.text(r.actors().getFirst().stdout()));
        assertThat(m.matches()).as(Scenario.text(r.actors().getFirst().stdout())).isTrue();
        // Followed: time(2) was answered by the simulated clock (an unfollowed child gets -1, ENOSYS).
        assertThat(Long.parseLong(m.group(2))).isEqualTo((long) RunOptions.DEFAULT_EPOCH);
        // Blocked natively for ever, it is reported and ended with the run.
        assertThat(r.deadlock()).isPresent();
        assertThat(r.deadlock().orElseThrow().blocked()).singleElement()
                .satisfies(b -> assertThat(b.syscall()).startsWith("read("));
        assertThat(Scenario.aliveNamed("untraced_child", Integer.parseInt(m.group(1)))).isFalse(); // the pid it printed is its namespace's
    }

    @Test
    void aProcessOutsideTheRunCannotBeAttachedReadNorRobbedOfItsFds() throws Exception {
        Process outside = new ProcessBuilder("sleep", "60").start();
        try {
            String script = String.join("\n",
                    "import ctypes, os",
                    "libc = ctypes.CDLL(None, use_errno=True)",
                    "pid = " + outside.pid(),
                    "def report(name, r):",
                    "    print(name, r, os.strerror(ctypes.get_errno()) if r < 0 else '')",
                    "report('ptrace', libc.ptrace(16, pid, None, None))",  // PTRACE_ATTACH
                    "buf = ctypes.create_string_buffer(8)",
                    "class iovec(ctypes.Structure): _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]",
                    "local = iovec(ctypes.addressof(buf), 8); remote = iovec(0x400000, 8)",
                    "report('process_vm_readv', libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0))",
                    "try:",
                    "    os.pidfd_open(pid)",
                    "except OSError as e:",
                    "    print('pidfd_open', e.strerror)",  // the run's PID namespace does not even show it
                    "mine_iov = iovec(ctypes.addressof(buf), 8)",
                    "print('own process_vm_readv', libc.process_vm_readv(os.getpid(), ctypes.byref(local), 1, ctypes.byref(mine_iov), 1, 0))",
                    "mine = os.pidfd_open(os.getpid())",
                    "print('own pidfd_getfd ok', libc.syscall(438, mine, 1, 0) >= 0)");
            Path file = dir.resolve("outside.py");
            java.nio.file.Files.writeString(file, script + "\n");
            Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", "/usr/bin/python3", 0, file.toString());
            RunReport r = s.run();
            assertThat(Scenario.text(r.actors().getFirst().stdout())).isEqualTo("""
                    ptrace -1 Operation not permitted
                    process_vm_readv -1 Operation not permitted
                    pidfd_open No such process
                    own process_vm_readv 8
                    own pidfd_getfd ok True
                    """);
        } finally {
            outside.destroyForcibly().waitFor();
        }
    }
}
