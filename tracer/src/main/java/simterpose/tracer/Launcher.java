package simterpose.tracer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.tracer.launch.Spawn;

import static simterpose.tracer.Ptrace.*;

/**
 * Brings processes under the owner: launch (posix_spawn of a shell that stops itself, SEIZE,
 * SIGCONT; the program's exec is then handled by {@link ExecSetup}) and attach (SEIZE +
 * INTERRUPT of every thread of a running process). Never fork() from the JVM, and not
 * ProcessBuilder: see DESIGN.md. Owner thread only.
 */
final class Launcher {
    private final PtraceOwner owner;
    private final TracedThreads threads;
    private final PtraceCalls calls;
    private final boolean kernelFiltered;
    /** Where launched tracees are born (TracerOptions.ownPids), or null for this machine's pid namespace. */
    private PidNamespace namespace;

    Launcher(PtraceOwner owner, TracedThreads threads, PtraceCalls calls, boolean kernelFiltered) {
        this.owner = owner;
        this.threads = threads;
        this.calls = calls;
        this.kernelFiltered = kernelFiltered;
    }

    void launchInto(PidNamespace ns) {
        this.namespace = ns;
    }

    Tracee launch(PtraceOwner.Request.Launch l) {
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
            pid = namespace == null ? spawn.getAsInt() : namespace.spawnInside(spawn);
        } catch (Spawn.SpawnException e) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': " + e.getMessage(), e);
        }
        calls.waitpid(pid, WUNTRACED);
        int st = calls.status();
        if (!stopped(st)) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': the launch shell ended early (status " + st + ")");
        }
        try {
            calls.ptrace(SEIZE, pid, 0, FOLLOW_OPTIONS | O_EXITKILL);
            LibC.kill(pid, SIGCONT);
        } catch (ErrnoException e) {
            // Leave nothing behind: the shell is stopped and not traced.
            LibC.kill(pid, SIGKILL);
            calls.waitpid(pid, 0);
            throw new LaunchException("cannot trace '" + spec.argv().getFirst() + "': " + e.getMessage(), e);
        }
        Tracee tracee = new Tracee(owner, pid, false, l.handler(), kernelFiltered);
        Tid t = new Tid(pid, tracee);
        t.hiddenUntilExec = true;
        t.launchPath = l.program();
        threads.add(t);
        tracee.live = 1;
        return tracee;
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
