package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntSupplier;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;

import static simterpose.tracer.Ptrace.WUNTRACED;

/**
 * Spawns the launch shells from a thread of its own, so that they are its children and not the
 * owner thread's, and watches each until it has stopped itself.
 *
 * <p>Why: every {@code waitpid(-1, __WALL|__WNOTHREAD)} of the owner walks the owner thread's
 * children and its tracees, and takes the lock of each thread that sits in a ptrace stop (one
 * awaiting a verdict, say); a launched tracee that is also the owner's child is walked twice.
 * At 5 000 pairs that walk was 70% of the run's CPU (perf: {@code wait_consider_task},
 * {@code _raw_spin_unlock_irq} under the owner thread); here each tracee is walked once. The
 * owner still makes every ptrace call: the kernel lets a tracer in the real parent's thread
 * group seize and reap the child as if it were its own.
 *
 * <p>Two daemon threads, started by the owner thread (they inherit its CPU affinity and
 * personality, so the tracees do): the spawner runs {@code posix_spawn} (the owner waits for
 * the pid, as long as the spawn's vfork lasts); the watcher waits for each shell in turn with
 * {@code waitpid(pid, WUNTRACED)} and hands the status to the owner, which seizes it. The
 * watcher never waits for "any child": that would take the owner's ptrace stops, which the
 * kernel also reports to a tracee's real parent in the tracer's thread group.
 *
 * <p>Left alone: a launched tracee detached by the owner is, when it ends, a zombie of this
 * thread group that nobody reaps until the tool exits.
 */
final class ShellSpawner {
    /** Where a watched shell's waitpid status goes (the owner posts it to itself). */
    interface StatusSink {
        void shellStatus(int pid, int status);
    }

    private final LinkedBlockingQueue<Runnable> spawns = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Integer> watched = new LinkedBlockingQueue<>();
    private final StatusSink sink;

    ShellSpawner(StatusSink sink) {
        this.sink = sink;
    }

    /** Starts both threads; call from the owner thread, after it has set its affinity and personality. */
    void start() {
        Thread.ofPlatform().name("tracee-spawner").daemon(true).start(() -> serve(spawns));
        Thread.ofPlatform().name("tracee-shell-watcher").daemon(true).start(this::watch);
    }

    /**
     * Runs {@code spawn} (a posix_spawn returning the pid) on the spawner thread and returns its
     * pid; the shell is then watched until it stops or ends. Its status reaches the sink only
     * after the caller's current request has been served (it is posted to the owner).
     */
    int spawn(IntSupplier spawn) {
        CompletableFuture<Integer> pid = new CompletableFuture<>();
        spawns.add(() -> {
            try {
                int p = spawn.getAsInt();
                pid.complete(p);
                watched.add(p);
            } catch (RuntimeException e) {
                pid.completeExceptionally(e);
            }
        });
        try {
            return pid.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Watches {@code pid} (a shell of ours) once more, until it stops or ends. */
    void watch(int pid) {
        watched.add(pid);
    }

    private static void serve(LinkedBlockingQueue<Runnable> queue) {
        while (true) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void watch() {
        MemorySegment status = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
        while (true) {
            int pid;
            try {
                pid = watched.take();
            } catch (InterruptedException e) {
                return;
            }
            if (waitFor(pid, status)) {
                sink.shellStatus(pid, status.get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    /** waitpid(pid, WUNTRACED), again after EINTR; false if the pid is not a child (cannot happen before its seize). */
    private static boolean waitFor(int pid, MemorySegment status) {
        while (true) {
            try {
                LibC.waitpid(pid, status, WUNTRACED);
                return true;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    return false;
                }
            }
        }
    }
}
