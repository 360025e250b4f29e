package simterpose.simulator.kernel;

import simterpose.simulator.engine.Signal;

/**
 * An open /dev/urandom or /dev/random: the real device stays open in the tracee under the fd
 * (so fstat, write, ioctl and lseek are the real kernel's), and the fd is recorded in the
 * process's {@link FdTable} so that dup, close, fork and CLOEXEC at exec are followed; the
 * mediation layer answers its reads from the run's seeded generator. Both devices never block
 * since Linux 5.6, so it is always readable and writable.
 */
public final class RandomDevice implements VirtualFile {
    private static final Readiness ALWAYS = new Readiness(true, true, false, false, false);
    private final Signal never = new Signal();

    @Override
    public Readiness readiness() {
        return ALWAYS;
    }

    @Override
    public Signal changed() {
        return never;
    }

    @Override
    public long edges() {
        return 0; // never changes: one edge-triggered report, then silence (as the real device)
    }

    @Override
    public void release() {
        // nothing held: the real device is closed by the real kernel
    }
}
