package simterpose.simulator.mediation.inputs;

import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every value a run reads from the real world that can differ between two runs of the same
 * deployment: the measured local speed, each thread's CPU-time read at its stops, and the
 * readiness of real fds (pipes, files, stdin) as probed. {@link #live()} reads them;
 * {@link RecordingInputs} reads them and writes each to a file; {@link ReplayingInputs} returns
 * the recorded ones in the same order, so a measured run replays to the same report.
 *
 * <p>Threading: the tracer's owner thread only (the order of the reads is the engine's).
 */
public sealed interface RunInputs extends AutoCloseable permits RunInputs.Live, RecordingInputs, ReplayingInputs {

    /** This machine's flop/s for one core ({@code measure} reads it live). */
    double localSpeed(DoubleSupplier measure);

    /** A thread's CPU time in ns, -1 if unreadable ({@code read} reads it live). */
    long cpuNanos(LongSupplier read);

    /** poll-style revents of real fds ({@code probe} probes them live). */
    short[] revents(Supplier<short[]> probe);

    /** Whether a real epoll fd is ready ({@code probe} probes it live). */
    boolean epollReady(java.util.function.BooleanSupplier probe);

    /** The ready events of a real epoll fd, as epoll_wait writes them. */
    byte[] epollEvents(Supplier<byte[]> probe);

    /**
     * A parked thread's state letter in /proc (S: still blocked natively), as the engine reads it
     * at an idle point to decide whether the thread runs again.
     */
    char threadState(java.util.function.IntSupplier read);

    /** The first way a replayed run asked for other inputs than were recorded (then exit 3). */
    default Optional<String> divergence() {
        return Optional.empty();
    }

    @Override
    default void close() throws java.io.IOException {}

    static RunInputs live() {
        return Live.INSTANCE;
    }

    /** Reads the real world, keeps nothing. */
    enum Live implements RunInputs {
        INSTANCE;

        @Override public double localSpeed(DoubleSupplier measure) { return measure.getAsDouble(); }
        @Override public long cpuNanos(LongSupplier read) { return read.getAsLong(); }
        @Override public short[] revents(Supplier<short[]> probe) { return probe.get(); }
        @Override public boolean epollReady(java.util.function.BooleanSupplier probe) { return probe.getAsBoolean(); }
        @Override public byte[] epollEvents(Supplier<byte[]> probe) { return probe.get(); }
        @Override public char threadState(java.util.function.IntSupplier read) { return (char) read.getAsInt(); }
    }
}
