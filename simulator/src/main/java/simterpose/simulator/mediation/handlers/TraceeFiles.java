package simterpose.simulator.mediation.handlers;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A tracee's real open files, seen from the tracer through /proc: the file an fd names and its
 * file position. Used where a syscall moves bytes between a real file and a virtual socket.
 */
final class TraceeFiles {
    private TraceeFiles() {}

    /** A read-only channel on the regular file {@code fd} of process {@code pid}; null if it is not one. */
    static FileChannel open(int pid, int fd) throws IOException {
        Path p = Path.of("/proc", Integer.toString(pid), "fd", Integer.toString(fd));
        if (!Files.isRegularFile(p)) {
            return null;
        }
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    /** The file position of {@code fd} (the "pos:" line of /proc/PID/fdinfo/FD), -1 if the fd is gone. */
    static long position(int pid, int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "fdinfo", Integer.toString(fd)))) {
                if (line.startsWith("pos:")) {
                    return Long.parseLong(line.substring(4).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone: the caller reports EBADF
        }
        return -1;
    }

    /** Fills {@code into} with the bytes at {@code position}; returns how many (fewer at the end of the file or an I/O error). */
    static long read(FileChannel file, long position, MemorySegment into) {
        ByteBuffer b = into.asByteBuffer();
        try {
            while (b.hasRemaining()) {
                int n = file.read(b, position + b.position());
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // what was read before the error
        }
        return b.position();
    }
}
