package simterpose.tracer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launched command or an attached process, with every thread and child it creates while
 * traced. Its {@link #exitStatus()} completes once its last traced thread is gone (like
 * {@code strace -f}) with the status of its first process.
 *
 * <p>Thread rule: {@code live} and {@code rootStatus} belong to the owner thread; the future
 * is the only way other threads observe the end.
 */
public final class Tracee {
    private final int pid;
    private final boolean attached;
    final StopHandler handler;
    final boolean kernelFiltered;
    /** The handler reads registers only when it asks ({@link StopHandler#registersOnDemand}). */
    final boolean registersOnDemand;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final PtraceOwner owner;
    /** Owner-thread state. */
    int live;
    ExitStatus rootStatus;
    boolean detaching;

    Tracee(PtraceOwner owner, int pid, boolean attached, StopHandler handler, boolean kernelFiltered) {
        this.owner = owner;
        this.pid = pid;
        this.attached = attached;
        this.handler = handler;
        this.kernelFiltered = kernelFiltered;
        this.registersOnDemand = handler != null && handler.registersOnDemand();
    }

    /** The pid of the launched command (the same after its exec) or of the attached process. */
    public int pid() { return pid; }
    public boolean attached() { return attached; }

    public CompletableFuture<ExitStatus> exitStatus() { return exit; }

    /** Waits until every traced thread of this tree is gone, then gives the first process's status. */
    public ExitStatus waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("tracing failed", e.getCause());
        }
    }

    public ExitStatus waitFor(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        try {
            return exit.get(timeout, unit);
        } catch (ExecutionException e) {
            throw new IllegalStateException("tracing failed", e.getCause());
        }
    }

    /**
     * Stops tracing every thread of this tree and leaves them running; completes
     * {@link #exitStatus()} with {@link ExitStatus.Detached} unless they exit first.
     */
    public void detach() {
        owner.post(new PtraceOwner.Request.Detach(this));
    }

    /** SIGKILLs the whole tree (process group and every known thread). */
    public void kill() {
        owner.post(new PtraceOwner.Request.Kill(this));
    }

    @Override
    public String toString() {
        return (attached ? "attached " : "launched ") + pid;
    }
}
