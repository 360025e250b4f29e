package simterpose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.cli.TraceDifferentialTest.BIN;
import static simterpose.cli.TraceDifferentialTest.javaMain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.syscall.SyscallTable;

/**
 * The step console of {@code memtrace -s} and {@code trace --step} driven in a real terminal:
 * {@code script} (util-linux) runs the command on a new pseudo-terminal, which becomes its
 * controlling terminal, and passes what the test writes as typed input.
 */
class StepConsoleTerminalTest {
    @TempDir
    Path dir;

    record Session(int exit, String terminal) {}

    /** Runs simterpose ARGS on a pty (stdin redirected from /dev/null), types {@code keys} (each line answers one prompt), returns what the terminal showed. */
    private Session onTerminal(String keys, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaMain());
        cmd.addAll(List.of(args));
        // stdin from /dev/null: the console must read the terminal itself, not its stdin
        String line = cmd.stream().map(StepConsoleTerminalTest::shellQuote).collect(Collectors.joining(" ")) + " < /dev/null";
        Process p = new ProcessBuilder("script", "-qfec", line, "/dev/null").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(keys.getBytes(StandardCharsets.UTF_8));
            in.flush();
            byte[] shown = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out");
            }
            return new Session(p.exitValue(), new String(shown, StandardCharsets.UTF_8).replace("\r", ""));
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @AfterEach
    void nothingLeftStoppedOrTraced() throws IOException {
        // No process of ours may be left in a stopped or traced state (t/T in ps).
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
            try {
                String s = Files.readString(stat);
                String state = s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
                if (s.contains("(memory_shape)")) {
                    assertThat(state).as("memory_shape %d left behind", h.pid()).isNotIn("t", "T");
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
    }

    @Test
    void memtraceConsoleShowsRegistersProcessSystemAndHelpThenContinues() throws Exception {
        Path events = dir.resolve("events");
        Session s = onTerminal("help\nn\nregs\np\ns\nmaps\nn\nregs\nc\n",
                "memtrace", "-s", "-o", events.toString(), "--", BIN.resolve("memory_shape").toString(), dir.toString());
        String t = s.terminal();
        assertThat(s.exit()).as(t).isZero();
        // help lists the commands
        assertThat(t).contains("next, n", "regs", "process, proc, p [ID]", "system, sys, s", "continue, cont, c", "detach", "quit");
        // the prompt says pid, syscall, entry or exit; the first syscall of a program is brk(NULL)
        assertThat(t).containsPattern("\\(memtrace pid \\d+\\) exec> ").containsPattern("\\(memtrace pid \\d+\\) brk entry> ")
                .containsPattern("\\(memtrace pid \\d+\\) brk exit> ");
        // regs at brk's entry: number 12 in orig_rax, rax -ENOSYS, rdi the argument (NULL)
        assertThat(t).contains(String.format("orig_rax = 0x%016x  syscall number: brk", SyscallTable.number("brk")))
                .contains("rax      = 0xffffffffffffffda  result: not yet")
                .contains("rdi      = 0x0000000000000000  argument 1: NULL")
                .contains("rsi      = ");
        // regs at its exit: rax is the break
        assertThat(t).containsPattern("rax      = 0x0000[0-9a-f]{12}  result: 0x[0-9a-f]+");
        // process: memtrace's accounting and the kernel's figures; system: /proc/meminfo
        assertThat(t).containsPattern("process \\d+ \\(" + BIN.resolve("memory_shape") + "\\)")
                .contains("  heap ", "VmRSS:", "system memory (/proc/meminfo)", "MemTotal");
        assertThat(t).contains("mappings of thread ").contains("[stack]");
        // continue: no more prompts; the events and the summary went to the file
        assertThat(t).contains("leaving step mode");
        assertThat(Files.readString(events)).contains("mmap(NULL, 67108864,").contains(": exited with 0");
        assertThat(dir.resolve("done")).exists();
    }

    @Test
    void detachLeavesTheProgramRunningToItsNormalEnd() throws Exception {
        Path events = dir.resolve("events");
        Session s = onTerminal("n\nn\ndetach\n",
                "memtrace", "-s", "-o", events.toString(), "--", BIN.resolve("memory_shape").toString(), dir.toString());
        assertThat(s.exit()).as(s.terminal()).isZero();
        assertThat(s.terminal()).contains("detaching");
        assertThat(Files.readString(events)).contains(": detached");
        // untraced, it still makes every step and writes DIR/done last
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(dir.resolve("done")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(dir.resolve("done")).exists();
    }

    @Test
    void quitEndsTheProgram() throws Exception {
        Path events = dir.resolve("events");
        Session s = onTerminal("n\nquit\n",
                "memtrace", "-s", "-o", events.toString(), "--", BIN.resolve("memory_shape").toString(), dir.toString());
        assertThat(s.exit()).as(s.terminal()).isEqualTo(128 + 9);
        assertThat(Files.readString(events)).contains("+++ killed by SIGKILL +++");
        Thread.sleep(300);
        assertThat(dir.resolve("done")).doesNotExist();
    }

    @Test
    void traceStepStopsOnlyAtTheSelectedCallsWithTheirRegisters() throws Exception {
        Session s = onTerminal("regs\nn\nregs\nc\n",
                "trace", "--step", "-e", "trace=munmap", "-o", dir.resolve("trace").toString(), "--",
                BIN.resolve("memory_shape").toString(), "threads", "1");
        String t = s.terminal();
        assertThat(s.exit()).as(t).isZero();
        assertThat(t).containsPattern("\\(trace pid \\d+\\) munmap entry> ").containsPattern("\\(trace pid \\d+\\) munmap exit> ")
                .doesNotContain("mmap entry>", "brk entry>")
                .contains(String.format("orig_rax = 0x%016x  syscall number: munmap", SyscallTable.number("munmap")))
                .contains("rax      = 0x0000000000000000  result: 0")
                .contains("r10      = ").contains("unused by munmap");
        assertThat(Files.readString(dir.resolve("trace"))).contains("munmap(");
    }

    @Test
    void stepModeWithoutATerminalIsOneErrorLineAndExitTwo() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setsid", "-w"));
        cmd.addAll(javaMain());
        cmd.addAll(List.of("memtrace", "-s", "--", BIN.resolve("memory_shape").toString(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.strip()).startsWith("simterpose: memtrace -s: no terminal").doesNotContain("\n");
        assertThat(dir.resolve("a")).doesNotExist(); // nothing launched
    }
}
