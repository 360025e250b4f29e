package simterpose.simulator.mediation.tracee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which of a process's real fds (the ones the simulation does not mediate) a read or write may
 * block on until another tracee acts: a pipe or FIFO, a socket, a terminal or other character
 * device, an anonymous inode (eventfd, signalfd, inotify). On such an fd a write, send or receive
 * asks for its exit stop ({@link HandlerResult#NATIVE_WAIT}) and a read waits for its turn in the
 * simulation (the I/O handlers); a regular file, a directory, a block device or a memory device
 * (/dev/null, /dev/zero...) never waits for another tracee, so its I/O costs nothing more.
 *
 * <p>The kind is read once per fd number from the real kernel (a stat of {@code /proc/TGID/fd/N},
 * which follows the fd to its inode) and kept until the number may name something else: the
 * handlers of close, dup2 and dup3 {@link #forget} it, exec forgets them all. A number freed
 * another way (close_range, which does not stop) keeps its old kind: at worst a call then costs
 * what it need not, or is left to block natively as every such call was before.
 *
 * <p>Threading: the tracer's owner thread only (threads of one process share it).
 */
public final class RealFdKinds {
    /** stat's file type bits (S_IFMT) and the kinds that never wait for another process. */
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFBLK = 0060000,
            S_IFLNK = 0120000, S_IFCHR = 0020000;
    /** The memory devices' major number (/dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom). */
    private static final int MEM_MAJOR = 1;

    private final String fdDirectory;
    private final Map<Integer, Boolean> mayBlock = new HashMap<>();

    RealFdKinds(int tgid) {
        this.fdDirectory = "/proc/" + tgid + "/fd/";
    }

    /** Whether a read or write of real fd {@code fd} may wait for another process; false for a closed fd. */
    boolean mayBlock(int fd) {
        Boolean known = mayBlock.get(fd);
        if (known != null) {
            return known;
        }
        Boolean kind = kindOf(fd);
        if (kind == null) {
            return false; // not open: the call fails at once (EBADF)
        }
        mayBlock.put(fd, kind);
        return kind;
    }

    private Boolean kindOf(int fd) {
        if (fd < 0) {
            return null;
        }
        Map<String, Object> st;
        try {
            st = Files.readAttributes(Path.of(fdDirectory + fd), "unix:mode,rdev");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        int type = (Integer) st.get("mode") & S_IFMT;
        if (type == S_IFCHR) {
            long rdev = (Long) st.get("rdev");
            return ((rdev >>> 8) & 0xfff) != MEM_MAJOR;
        }
        return type != S_IFREG && type != S_IFDIR && type != S_IFBLK && type != S_IFLNK;
    }

    /** {@code fd} was closed or replaced (close, dup2, dup3 onto it). */
    void forget(int fd) {
        mayBlock.remove(fd);
    }

    /** exec: the FD_CLOEXEC fds are gone, and their numbers may name anything next. */
    void forgetAll() {
        mayBlock.clear();
    }
}
