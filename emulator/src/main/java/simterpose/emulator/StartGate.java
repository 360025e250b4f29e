package simterpose.emulator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.bindings.LibC;
import simterpose.bindings.linux.Linux;

/**
 * Holds the actors of one start time until that time, then releases them together. Starting a
 * process in a host's namespaces (nsenter, the {@link ExitWrapper}) takes a few milliseconds, so
 * actors the deployment starts at the same date, started one after the other, began up to 25 ms
 * apart (four clients of bench-fidelity's share4: 2 round trips), while {@code run} starts them
 * at the same instant. So every actor is launched ahead of its date and waits, just before its
 * exec, for a shared lock ({@code flock(2)}, LOCK_SH) on this gate's file, which the emulator
 * holds exclusively until the date: unlocking it wakes every waiter at once. A wrapper that
 * comes to the gate after its release (a launch slower than the lead) goes straight through.
 * flock(2) through {@link LibC}, not {@code FileChannel.lock}: the JDK's locks are fcntl(2)
 * record locks, which on Linux never conflict with the wrapper's perl {@code flock}.
 *
 * <p>Used by the emulation's thread only.
 */
final class StartGate implements AutoCloseable {
    private static final int LOCK_EX = 2, LOCK_UN = 8;

    final Path file;
    private int fd;

    private StartGate(Path file, int fd) {
        this.file = file;
        this.fd = fd;
    }

    /** The gate file {@code file}, made and locked: the actors that wait on it are held until {@link #release}. */
    static StartGate closed(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.open(arena.allocateFrom(file.toString()), Linux.O_RDONLY() | Linux.O_CLOEXEC(), 0);
            LibC.flock(fd, LOCK_EX);
            return new StartGate(file, fd);
        }
    }

    boolean released() {
        return fd < 0;
    }

    /** Lets every actor held here go (and those that come later straight through). */
    void release() {
        if (fd >= 0) {
            LibC.flock(fd, LOCK_UN);
            LibC.close(fd);
            fd = -1;
        }
    }

    /** Releases the gate if it is still closed and deletes its file. */
    @Override
    public void close() {
        release();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover empty file in the temporary directory: harmless
        }
    }
}
