package simterpose.simulator.mediation.tracee;

import simterpose.simulator.mediation.inputs.RunInputs;
import simterpose.tracer.RealFdProbe;

/**
 * A process's real fds as the run observes them: the real kernel's readiness
 * ({@link RealFdProbe}), every answer passed through the run's {@link RunInputs} so that
 * {@code run --record} keeps it and {@code run --replay} gives it back.
 */
public final class ObservedFds {
    private final RealFdProbe probe;
    private final RunInputs inputs;

    ObservedFds(RealFdProbe probe, RunInputs inputs) {
        this.probe = probe;
        this.inputs = inputs;
    }

    /** poll-style revents of {@code fds} for {@code events} (see {@link RealFdProbe#revents}). */
    public short[] revents(int[] fds, short[] events) {
        return inputs.revents(() -> probe.revents(fds, events));
    }

    /** Up to {@code max} ready events of a real epoll fd, as epoll_wait writes them. */
    public byte[] epollEvents(int epfd, int max) {
        return inputs.epollEvents(() -> probe.epollEvents(epfd, max));
    }

    /**
     * Whether a read of real fd {@code fd} would return at once (see
     * {@link RealFdProbe#readWouldNotWait}); kept by the run's inputs as a one-fd readiness answer.
     */
    public boolean readWouldNotWait(int fd) {
        return inputs.revents(() -> new short[] {(short) (probe.readWouldNotWait(fd) ? 1 : 0)})[0] != 0;
    }

    /** Whether a real epoll fd has an event ready. */
    public boolean epollReady(int epfd) {
        return inputs.epollReady(() -> probe.epollReady(epfd));
    }

    void close() {
        probe.close();
    }
}
