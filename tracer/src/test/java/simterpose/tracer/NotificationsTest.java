package simterpose.tracer;

import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simterpose.bindings.LibC;
import simterpose.bindings.linux.seccomp_notif;
import simterpose.bindings.linux.seccomp_notif_resp;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Syscalls answered by seccomp user notification (TracerOptions.notified): no ptrace stop, the
 * same SyscallEntry for the handler, a deferred answer that keeps signals pending, and ptrace
 * stops of the same tracee still served while the owner polls.
 */
class NotificationsTest {
    static final int NR_GETPPID = SyscallTable.number("getppid"), NR_WRITE = SyscallTable.number("write");

    @TempDir
    Path tmp;

    @Test
    void notifiedCallsOfManyThreadsAreAnsweredWithoutPtraceStopsBesideTracedOnes() throws Exception {
        Path out = tmp.resolve("threads.txt");
        AtomicInteger notified = new AtomicInteger(), ptraced = new AtomicInteger(), withRegs = new AtomicInteger();
        TracerOptions options = TracerOptions.filter(Set.of(NR_GETPPID, NR_WRITE)).withNotified(Set.of(NR_GETPPID));
        long answered;
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("notified_calls"), "threads", "4", "200").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry e) {
                    if (stop.regs() != null) {
                        withRegs.incrementAndGet();
                    }
                    if (e.nr() == NR_GETPPID) {
                        (stop.notified() ? notified : ptraced).incrementAndGet();
                        stop.emulate(3);
                    } else if (stop.notified()) {
                        notified.addAndGet(1000_000); // a traced call must never come as a notification
                    }
                }
                return Resume.CONTINUE;
            });
            assertThat(t.waitFor(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
            answered = tracer.notificationsAnswered();
        }
        assertThat(Files.readString(out)).isEqualTo("sum=" + 3 * 4 * 200 + "\n");
        assertThat(notified.get()).isEqualTo(800);
        assertThat(ptraced.get()).isZero();
        assertThat(answered).isEqualTo(800);
        assertThat(withRegs.get()).isGreaterThanOrEqualTo(800); // the writes (and the final printf): ptrace stops
    }

    /**
     * A notified call whose answer comes late: a signal sent meanwhile stays pending (the wait is
     * killable only once received) and is delivered as the answered call returns; the call is
     * not cut short with EINTR although the handler has no SA_RESTART.
     */
    @Test
    void aDeferredAnswerKeepsASignalSentMeanwhilePendingUntilTheCallReturns() throws Exception {
        Path out = tmp.resolve("signal.txt");
        CompletableFuture<Stop> held = new CompletableFuture<>();
        AtomicInteger deliveries = new AtomicInteger();
        TracerOptions options = TracerOptions.filter(Set.of(NR_GETPPID)).withNotified(Set.of(NR_GETPPID));
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("notified_calls"), "signal").withStdout(out), stop -> {
                switch (stop.event()) {
                    case StopEvent.SyscallEntry e when stop.notified() -> {
                        held.complete(stop);
                        return Resume.DEFERRED;
                    }
                    case StopEvent.SignalDelivery d -> {
                        if (d.signal() == 10) {
                            deliveries.incrementAndGet();
                        }
                        return Resume.CONTINUE;
                    }
                    default -> {
                        return Resume.CONTINUE;
                    }
                }
            });
            Stop stop = held.get(10, TimeUnit.SECONDS);
            LibC.kill(t.pid(), 10); // SIGUSR1
            Thread.sleep(100);
            assertThat(sigPending(t.pid())).as("SIGUSR1 pending while the call waits").isTrue();
            assertThat(deliveries.get()).isZero();
            stop.emulate(4242);
            stop.resume(Resume.NO_EXIT_STOP);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("getppid=4242 errno=0 handled\n");
        assertThat(deliveries.get()).isEqualTo(1);
    }

    /**
     * A signal that ends a notified call's wait before the owner received it (the owner is busy
     * here): the call is restarted after the handler, although it has no SA_RESTART, as Linux
     * never interrupts getppid; the restarted call comes as a new notification.
     */
    @Test
    void aSignalBeforeTheOwnerTookTheCallRestartsItEvenWithoutSaRestart() throws Exception {
        Path out = tmp.resolve("early.txt");
        AtomicInteger notified = new AtomicInteger();
        CompletableFuture<Void> ownerBusy = new CompletableFuture<>();
        TracerOptions options = TracerOptions.filter(Set.of(NR_GETPPID)).withNotified(Set.of(NR_GETPPID));
        try (Tracer tracer = Tracer.open(options)) {
            Tracee t = tracer.launch(LaunchSpec.of(TestApps.path("notified_calls"), "signal").withStdout(out), stop -> {
                if (stop.event() instanceof StopEvent.SyscallEntry && stop.notified()) {
                    notified.incrementAndGet();
                    stop.emulate(4242);
                } else if (stop.event() instanceof StopEvent.Exec) {
                    // filter and listener in place: once the program runs, the owner receives nothing for a while
                    tracer.runOnOwner(ownerBusy::join);
                }
                return Resume.CONTINUE;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!inSyscall(t.pid(), NR_GETPPID) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(inSyscall(t.pid(), NR_GETPPID)).as("the program waits in getppid").isTrue();
            LibC.kill(t.pid(), 10); // SIGUSR1, before the owner took the call
            Thread.sleep(50);
            ownerBusy.complete(null);
            assertThat(t.waitFor(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus.Exited(0));
        }
        assertThat(Files.readString(out)).isEqualTo("getppid=4242 errno=0 handled\n");
        assertThat(notified.get()).isEqualTo(1);
    }

    /** Whether process {@code pid} sits in syscall {@code nr} (/proc/PID/syscall). */
    private static boolean inSyscall(int pid, int nr) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "syscall")).startsWith(nr + " ");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Whether SIGUSR1 is pending for process {@code pid} (its ShdPnd or its leader's SigPnd line). */
    private static boolean sigPending(int pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
            if (line.startsWith("ShdPnd:") || line.startsWith("SigPnd:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                if ((mask & (1L << 9)) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void structOffsetsMatchTheKernelHeaders() {
        MemoryLayout n = seccomp_notif.layout();
        assertThat(n.byteSize()).isEqualTo(Notifications.NOTIF_BYTES);
        assertThat(n.byteOffset(MemoryLayout.PathElement.groupElement("id"))).isEqualTo(Notifications.NOTIF_ID);
        assertThat(n.byteOffset(MemoryLayout.PathElement.groupElement("pid"))).isEqualTo(Notifications.NOTIF_PID);
        assertThat(n.byteOffset(MemoryLayout.PathElement.groupElement("data"), MemoryLayout.PathElement.groupElement("nr")))
                .isEqualTo(Notifications.NOTIF_NR);
        assertThat(n.byteOffset(MemoryLayout.PathElement.groupElement("data"), MemoryLayout.PathElement.groupElement("args")))
                .isEqualTo(Notifications.NOTIF_ARGS);
        MemoryLayout r = seccomp_notif_resp.layout();
        assertThat(r.byteSize()).isEqualTo(Notifications.RESP_BYTES);
        assertThat(r.byteOffset(MemoryLayout.PathElement.groupElement("val"))).isEqualTo(Notifications.RESP_VAL);
        assertThat(r.byteOffset(MemoryLayout.PathElement.groupElement("error"))).isEqualTo(Notifications.RESP_ERROR);
        assertThat(r.byteOffset(MemoryLayout.PathElement.groupElement("flags"))).isEqualTo(Notifications.RESP_FLAGS);
    }
}
