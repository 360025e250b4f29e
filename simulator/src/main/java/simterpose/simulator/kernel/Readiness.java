package simterpose.simulator.kernel;

/**
 * What poll/epoll would report for a file now (Linux's tcp_poll).
 *
 * @param readable data to read, a connection to accept, or end of stream
 * @param writable room in the send buffer (or writing would fail at once)
 * @param hup      both directions shut down, or the socket is closed (incl. never connected)
 * @param error    a pending error (SO_ERROR would return it)
 * @param rdhup    the peer shut down its sending side (or we shut down reading)
 */
public record Readiness(boolean readable, boolean writable, boolean hup, boolean error, boolean rdhup) {
    /** poll(2) revents bits. */
    public int pollMask() {
        int m = 0;
        if (readable) {
            m |= LinuxNet.POLLIN | LinuxNet.POLLRDNORM;
        }
        if (writable) {
            m |= LinuxNet.POLLOUT | LinuxNet.POLLWRNORM;
        }
        if (hup) {
            m |= LinuxNet.POLLHUP;
        }
        if (error) {
            m |= LinuxNet.POLLERR;
        }
        if (rdhup) {
            m |= LinuxNet.POLLRDHUP;
        }
        return m;
    }
}
