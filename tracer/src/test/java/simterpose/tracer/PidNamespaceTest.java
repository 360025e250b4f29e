package simterpose.tracer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracer's {@link TracerOptions#ownPids}: launched programs are born in a PID namespace of their own. */
class PidNamespaceTest {

    @Test
    void aLaunchedProgramIsPidTwoOfItsNamespace() throws Exception {
        try (Tracer tracer = Tracer.open(TracerOptions.filter(java.util.Set.of(39)).withOwnPids())) {
            assertThat(tracer.ownPidsRefused()).isEmpty();
            Tracee t = tracer.launch(LaunchSpec.of("/bin/sleep", "0.05"), stop -> Resume.CONTINUE);
            assertThat(nsPids(t.pid())).as("NSpid of %d", t.pid()).endsWith(" 2"); // pid 1 is the init
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
    }

    /**
     * A dying namespace init waits in the kernel until every process of its namespace is reaped,
     * and a launched program is the tool's child: a program detached earlier, now a zombie nobody
     * reaps, must not make the owner thread wait for ever for the init it killed at close.
     */
    @Test
    void closeEndsTheNamespaceWhileADetachedProgramIsAZombieOfTheTool() throws Exception {
        Tracer tracer = Tracer.open(TracerOptions.filter(java.util.Set.of(39)).withOwnPids());
        Tracee t = tracer.launch(LaunchSpec.of("/bin/sleep", "0.2"), stop -> Resume.CONTINUE);
        int pid = t.pid();
        t.detach();
        assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Detached());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!state(pid).equals("Z") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(state(pid)).as("the detached program ended, unreaped").isEqualTo("Z");
        int init = namespaceInit();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(tracer::close);
        closed.get(20, TimeUnit.SECONDS);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!state(init).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(state(init)).as("the namespace's init reaped (the owner did not wait for ever)").isEmpty();
        assertThat(state(pid)).as("the zombie reaped").isEmpty();
    }

    private static int namespaceInit() {
        // the init is the tool's only child named simterpose-init (its comm)
        return (int) ProcessHandle.current().children()
                .filter(h -> comm(h.pid()).equals("simterpose-init")).findFirst().orElseThrow().pid();
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The process's state letter, "" once it is gone. */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String nsPids(int pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("NSpid:"))
                .findFirst().orElseThrow().substring(6).strip().replaceAll("\\s+", " ");
    }
}
