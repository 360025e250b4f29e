package simterpose.bindings;

/** A libc call failed; carries errno and its symbolic name (ESRCH, EPERM, ...). */
public final class ErrnoException extends RuntimeException {
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
