package simterpose.tracer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.tracer.launch.Spawn;

import static simterpose.tracer.Ptrace.*;

/**
 * Brings processes under the owner: launch (posix_spawn, on {@link ShellSpawner}'s thread, of
 * a shell that stops itself; when that stop is reported, {@link #shellReported}: SEIZE,
 * SIGCONT; the program's exec is then handled by {@link ExecSetup}) and attach (SEIZE +
 * INTERRUPT of every thread of a running process). Never fork() from the JVM, and not
 * ProcessBuilder: see DESIGN.md. Owner thread only.
 */
final class Launcher {
    private final PtraceOwner owner;
    private final TracedThreads threads;
    private final PtraceCalls calls;
    private final StopDispatch dispatch;
    private final ShellSpawner spawner;
    private final boolean kernelFiltered;
    /** Where launched tracees are born (TracerOptions.ownPids), or null for this machine's pid namespace. */
    private PidNamespace namespace;

    Launcher(PtraceOwner owner, TracedThreads threads, PtraceCalls calls, StopDispatch dispatch, ShellSpawner spawner,
             boolean kernelFiltered) {
        this.owner = owner;
        this.threads = threads;
        this.calls = calls;
        this.dispatch = dispatch;
        this.spawner = spawner;
        this.kernelFiltered = kernelFiltered;
    }

    void launchInto(PidNamespace ns) {
        this.namespace = ns;
    }

    /** Spawns the launch shell; {@code whenSeized} (if not null) is completed once it is seized. */
    Tracee launch(PtraceOwner.Request.Launch l, CompletableFuture<Tracee> whenSeized) {
        LaunchSpec spec = l.spec();
        // The program gets argv[0] as the user wrote it (a shell does the same), not the path
        // it resolved to. dash cannot set argv[0] apart from the path, so only then bash runs the
        // trampoline, named "sh": in that mode it reads no startup file (not even $BASH_ENV).
        String given = spec.argv().getFirst();
        String program = l.program().toString();
        boolean sameName = given.equals(program);
        Path shell = Path.of(sameName ? "/bin/sh" : "/bin/bash");
        List<String> argv = new ArrayList<>(sameName
                ? List.of("sh", "-c", "kill -STOP $$; exec \"$0\" \"$@\"", program)
                : List.of("sh", "-c", "kill -STOP $$; p=$1; shift; exec -a \"$0\" \"$p\" \"$@\"", given, program));
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        int pid;
        try {
            java.util.function.IntSupplier spawn = () -> Spawn.spawn(shell, argv, l.envp(), spec.cwd(), spec.stdin(),
                    spec.stdout(), spec.stderr(), true);
            PidNamespace ns = namespace;
            pid = spawner.spawn(ns == null ? spawn : () -> ns.spawnInside(spawn)); // on the spawner thread
        } catch (Spawn.SpawnException e) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': " + e.getMessage(), e);
        }
        Tracee tracee = new Tracee(owner, pid, false, l.handler(), kernelFiltered);
        Tid t = new Tid(pid, tracee);
        t.hiddenUntilExec = true;
        t.launchPath = l.program();
        threads.add(t);
        t.seizePending = true;
        t.whenSeized = whenSeized;
        tracee.live = 1;
        return tracee;
    }

    /**
     * {@link ShellSpawner} saw launch shell {@code pid} stop itself (or end first): seize it and
     * let it exec the program. Launches overlap: the owner does not wait for each shell to start
     * (bin/bench-pairs: ~4 ms each when it did).
     */
    void shellReported(int pid, int status) {
        Tid t = threads.get(pid);
        if (t == null || !t.seizePending) {
            return;
        }
        t.seizePending = false;
        CompletableFuture<Tracee> whenSeized = t.whenSeized;
        t.whenSeized = null;
        if (!stopped(status)) {
            dispatch.gone(t, status, System.nanoTime()); // killed before its start, or sh failed
            if (whenSeized != null) {
                whenSeized.complete(t.tracee); // its exit status says what happened
            }
            return;
        }
        try {
            calls.ptrace(SEIZE, t.tid, 0, FOLLOW_OPTIONS | O_EXITKILL);
            LibC.kill(t.tid, SIGCONT);
            if (whenSeized != null) {
                whenSeized.complete(t.tracee);
            }
        } catch (ErrnoException e) {
            if (whenSeized != null) {
                whenSeized.completeExceptionally(new LaunchException("cannot trace '" + t.launchPath + "': " + e.getMessage(), e));
            }
            // Leave nothing behind: the shell is stopped and not traced; its death is reported
            // as the tracee's (the handler sees it end before its exec).
            LibC.kill(t.tid, SIGKILL);
            t.seizePending = true; // its death comes through the watcher too
            spawner.watch(t.tid);
            org.tinylog.Logger.warn("cannot trace '{}': {}", t.launchPath, e.getMessage());
        }
    }

    Tracee attach(int pid, StopHandler handler) {
        Path tasks = Path.of("/proc", Integer.toString(pid), "task");
        Tracee tracee = new Tracee(owner, pid, true, handler, false);
        Set<Integer> seen = new HashSet<>();
        boolean found = true;
        while (found) { // threads may be born while we seize the others: list again until none is new
            found = false;
            List<Integer> now;
            try (Stream<Path> s = Files.list(tasks)) {
                now = s.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
            } catch (IOException e) {
                if (seen.isEmpty()) {
                    throw new LaunchException("cannot attach to pid " + pid + ": no such process");
                }
                break;
            }
            for (int tid : now) {
                if (!seen.add(tid)) {
                    continue;
                }
                try {
                    calls.ptrace(SEIZE, tid, 0, FOLLOW_OPTIONS);
                    calls.ptrace(INTERRUPT, tid, 0, 0);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.ESRCH && !threads.isEmpty()) {
                        continue;
                    }
                    if (tracee.live == 0) {
                        throw new LaunchException("cannot attach to pid " + pid + ": " + e.errnoName()
                                + " (" + Errno.describe(e.errno()) + ")");
                    }
                    continue;
                }
                Tid t = new Tid(tid, tracee);
                t.newborn = true;
                threads.add(t);
                tracee.live++;
                found = true;
            }
        }
        return tracee;
    }
}
