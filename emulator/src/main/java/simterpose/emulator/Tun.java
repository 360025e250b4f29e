package simterpose.emulator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.bindings.LinuxExtra;
import simterpose.bindings.linux.Linux;

/**
 * A TUN device inside one host's network namespace, held by its file descriptor: what the
 * host's kernel routes out of {@link #NAME} arrives here as one IP packet per read, and what is
 * written here enters the host's kernel as if received. The device exists as long as the fd is
 * open (it is not persistent) and dies with the namespace.
 *
 * <p>Opened from a short-lived platform thread that setns-es into the namespace first: a TUN
 * device is created in the namespace of the thread that opens it, and setns of a network
 * namespace moves only the calling thread. Without {@code IFF_VNET_HDR} the device offers the
 * stack no segmentation offload, so the kernel segments before handing packets over: every read
 * is at most the device's MTU (checked by the relay, which drops anything larger).
 *
 * <p>Threading: {@link #read} from one reader thread, {@link #write} from the relay thread.
 */
final class Tun implements AutoCloseable {
    /** The device's name in every host's namespace. */
    static final String NAME = "tun0";
    /** The MTU the hosts' TUN devices get (an Ethernet's): packets never exceed it. */
    static final int MTU = 1500;

    final int fd;
    private volatile boolean closed;

    private Tun(int fd) {
        this.fd = fd;
    }

    /** Creates the device in the network namespace of process {@code pid}. */
    static Tun openIn(int pid) {
        int[] fd = {-1};
        RuntimeException[] failure = {null};
        Thread opener = Thread.ofPlatform().name("tun-open-" + pid).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                int ns = LibC.open(arena.allocateFrom("/proc/" + pid + "/ns/net"), Linux.O_RDONLY() | Linux.O_CLOEXEC(), 0);
                try {
                    LibC.setns(ns, LinuxExtra.CLONE_NEWNET); // this thread only; it ends right after
                } finally {
                    LibC.close(ns);
                }
                int tun = LibC.open(arena.allocateFrom("/dev/net/tun"), Linux.O_RDWR() | Linux.O_CLOEXEC() | Linux.O_NONBLOCK(), 0);
                MemorySegment ifreq = arena.allocate(40, 8);
                ifreq.setString(0, NAME);
                ifreq.set(ValueLayout.JAVA_SHORT, LinuxExtra.IFNAMSIZ, (short) (LinuxExtra.IFF_TUN | LinuxExtra.IFF_NO_PI));
                try {
                    LibC.ioctl(tun, LinuxExtra.TUNSETIFF, ifreq);
                } catch (ErrnoException e) {
                    LibC.close(tun);
                    throw e;
                }
                fd[0] = tun;
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening a TUN device");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Tun(fd[0]);
    }

    /**
     * Reads one packet into {@code buffer}, waiting up to {@code timeoutMs} when none is there:
     * its length, or 0 when none came (or the device is closed). The fd is non-blocking, so a
     * busy device costs one read per packet and only an idle one a poll.
     */
    int read(MemorySegment buffer, MemorySegment pollfd, int timeoutMs) {
        for (int attempt = 0; attempt < 2 && !closed; attempt++) {
            try {
                return LibC.read(fd, buffer, buffer.byteSize());
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) {
                    if (closed) {
                        return 0;
                    }
                    throw e;
                }
            }
            if (attempt == 0) {
                pollfd.set(ValueLayout.JAVA_INT, 0, fd);
                pollfd.set(ValueLayout.JAVA_SHORT, 4, LinuxExtra.POLLIN);
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                try {
                    if (LibC.poll(pollfd, 1, timeoutMs) == 0) {
                        return 0;
                    }
                } catch (ErrnoException e) {
                    return 0; // EINTR
                }
            }
        }
        return 0;
    }

    /** Hands one IP packet to the host's kernel (a full TUN queue drops it, as a wire would). */
    void write(MemorySegment packet, int length) {
        if (closed) {
            return;
        }
        try {
            LibC.write(fd, packet, length);
        } catch (ErrnoException e) {
            // EIO once the namespace is gone at the end of a run; a lost packet otherwise
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (ErrnoException e) {
                // already gone
            }
        }
    }
}
