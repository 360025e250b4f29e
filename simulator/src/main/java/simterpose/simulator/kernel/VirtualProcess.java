package simterpose.simulator.kernel;

import simterpose.simulator.platform.Host;

/**
 * The kernel's view of one traced process: its host, its virtual fd table (shared by its
 * threads, and between processes cloned with CLONE_FILES) and its I/O counters for the end
 * report.
 *
 * <p>Threading: engine thread or the running actor only.
 */
public final class VirtualProcess {
    private final int pid;
    private final Host host;
    private final FdTable fds;
    long bytesSent;
    long bytesReceived;
    private boolean exited;

    VirtualProcess(int pid, Host host, FdTable fds) {
        this.pid = pid;
        this.host = host;
        this.fds = fds;
    }

    public int pid() { return pid; }

    public Host host() { return host; }

    public FdTable fds() { return fds; }

    /** Bytes this process's send/write calls handed to its sockets. */
    public long bytesSent() { return bytesSent; }

    /** Bytes this process's recv/read calls took from its sockets (MSG_PEEK excluded). */
    public long bytesReceived() { return bytesReceived; }

    /**
     * The child of a fork/clone: same host; a copy of the fd table sharing the descriptions, or
     * the very same table for CLONE_FILES.
     */
    public VirtualProcess fork(int childPid, boolean shareFdTable) {
        return new VirtualProcess(childPid, host, shareFdTable ? fds.share() : fds.forkCopy());
    }

    /**
     * The process exited (all its threads): its fds are closed unless another process shares
     * the table; sockets whose last fd this was are closed as by close(2).
     */
    public void exit() {
        if (!exited) {
            exited = true;
            fds.leave();
        }
    }

    public boolean exited() { return exited; }

    @Override
    public String toString() {
        return "process " + pid + "@" + host.name();
    }
}
