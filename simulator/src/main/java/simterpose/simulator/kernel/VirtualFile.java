package simterpose.simulator.kernel;

import simterpose.simulator.engine.Signal;

/**
 * What an open file description refers to in the simulated kernel (sockets, random devices, timerfds; pipes,
 * eventfds... may join later).
 */
public sealed interface VirtualFile permits TcpSocket, UdpSocket, RandomDevice, TimerFd {
    /** What poll would report now. */
    Readiness readiness();

    /**
     * Fires whenever the readiness or the state behind a blocked call may have changed: the wait
     * queue of this file (poll/epoll re-read {@link #readiness()} when it fires).
     */
    Signal changed();

    /**
     * How many wake-ups an edge-triggered epoll watcher would have seen on this file so far
     * (new data, a new connection, a readiness bit rising): EPOLLET reports the file again only
     * when this count moved.
     */
    long edges();

    /** The last reference went away (close of the last fd, exit of the last process holding it). */
    void release();
}
