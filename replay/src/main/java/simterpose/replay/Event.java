package simterpose.replay;

import java.util.List;

/**
 * One entry of a recording, in the order the recorder saw it across all threads: that order is
 * what the replayer enforces. Every event names the recorded thread id ({@code tid}).
 */
public sealed interface Event {
    int tid();

    /**
     * A syscall was entered. {@code args} are its {@code argCount} argument registers;
     * {@code strings} the path and string arguments it read (for checks and divergence reports);
     * {@code inputCrc} the CRC-32 of the buffers it read (write's data, a sockaddr...), 0 if none.
     */
    record Entry(int tid, int nr, long[] args, List<String> strings, int inputCrc) implements Event {}

    /** The syscall last entered by {@code tid} returned {@code result} and wrote {@code writes}. */
    record Exit(int tid, long result, List<Write> writes) implements Event {}

    /** Bytes a syscall left at an address of the process. */
    record Write(long address, byte[] bytes) {}

    /** A file descriptor argument of the next mmap named this file ({@code size} bytes then). */
    record MappedFile(int tid, String path, long size) implements Event {}

    /** Signal {@code signal} was delivered to the thread, at instruction {@code rip}. */
    record Signal(int tid, int signal, long rip) implements Event {}

    /** The thread executed {@code rdtsc} (or {@code rdtscp}, then {@code rcx} = 0) and read {@code value}. */
    record Rdtsc(int tid, long value) implements Event {}

    /** The process image was replaced (execve after the start: recorded, not replayable). */
    record Exec(int tid, String path) implements Event {}

    /** The thread is gone: exit status, or 128 + the signal that killed it. */
    record ThreadGone(int tid, int status) implements Event {}
}
