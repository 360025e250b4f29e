package simterpose.simulator.kernel;

/**
 * An open file description: the file plus the status flags shared by every fd that refers to it
 * (dup'ed fds and the copies a fork makes share O_NONBLOCK, as in Linux; FD_CLOEXEC is per fd,
 * see {@link FdTable}). Counts the fds referring to it; the last one gone releases the file.
 *
 * <p>Threading: engine thread or the running actor only (like the whole kernel).
 */
public final class OpenFile {
    private final VirtualFile file;
    private int statusFlags;
    private int references;

    public OpenFile(VirtualFile file, int statusFlags) {
        this.file = file;
        this.statusFlags = statusFlags & ~LinuxNet.O_CLOEXEC;
    }

    public VirtualFile file() { return file; }

    /** fcntl(F_GETFL): O_RDWR plus O_NONBLOCK when set. */
    public int statusFlags() { return statusFlags | LinuxNet.O_RDWR; }

    /** fcntl(F_SETFL): only O_NONBLOCK changes (Linux ignores the access mode and creation flags here). */
    public void setStatusFlags(int flags) {
        statusFlags = (statusFlags & ~LinuxNet.O_NONBLOCK) | (flags & LinuxNet.O_NONBLOCK);
    }

    public boolean nonBlocking() { return (statusFlags & LinuxNet.O_NONBLOCK) != 0; }

    /** ioctl(FIONBIO) and SOCK_NONBLOCK. */
    public void setNonBlocking(boolean on) {
        statusFlags = on ? statusFlags | LinuxNet.O_NONBLOCK : statusFlags & ~LinuxNet.O_NONBLOCK;
    }

    /** Number of fds (in every table) that refer to this description. */
    public int references() { return references; }

    void retain() {
        references++;
    }

    void drop() {
        if (--references == 0) {
            file.release();
        }
    }
}
