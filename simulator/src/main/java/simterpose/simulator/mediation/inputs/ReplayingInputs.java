package simterpose.simulator.mediation.inputs;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.InflaterInputStream;

/**
 * Gives back the inputs of {@link InputsFile} in their recorded order instead of reading the
 * real world. When the run asks for an input of another kind than the next recorded one, or for
 * more than were recorded, the first such request is kept as the {@link #divergence()}: the
 * run's watchdog then stops the run where it is (as Ctrl-C does; until then, within a
 * millisecond, it goes on with live values) and the caller reports it and exits 3. Inputs left
 * unread at the end are a divergence too ({@link #finish()}).
 */
public final class ReplayingInputs implements RunInputs {
    private final DataInputStream in;
    private final Path file;
    private long index;
    /** Read by the run's watchdog, which then stops the run. */
    private volatile String divergence;

    /** Opens DIR's recording; a missing, foreign or newer file is an IOException saying which. */
    public ReplayingInputs(Path dir) throws IOException {
        file = InputsFile.in(dir);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        byte[] magic = raw.readNBytes(InputsFile.MAGIC.length);
        if (!Arrays.equals(magic, InputsFile.MAGIC)) {
            raw.close();
            throw new IOException(file + ": not a recording of a run's inputs (made by run --record)");
        }
        int version = new DataInputStream(raw).readInt();
        if (version != InputsFile.VERSION) {
            raw.close();
            throw new IOException(file + ": recording format version " + version + ", this simterpose reads "
                    + InputsFile.VERSION);
        }
        in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(raw), 1 << 16));
    }

    private interface Body<T> {
        T read() throws IOException;
    }

    /** The next recorded value of {@code kind}, or null once diverged (then the caller reads live). */
    private <T> T next(InputsFile.Kind kind, Body<T> body) {
        if (divergence != null) {
            return null;
        }
        long at = index++;
        try {
            int tag = in.read();
            if (tag < 0) {
                diverge("input #" + at + ": the run asked for a " + kind.describe() + " after the last recorded input");
                return null;
            }
            InputsFile.Kind recorded = InputsFile.Kind.of(tag);
            if (recorded == null) {
                throw new IOException("unknown record tag " + tag);
            }
            if (recorded != kind) {
                diverge("input #" + at + ": recorded a " + recorded.describe() + ", the run asked for a " + kind.describe());
                return null;
            }
            return body.read();
        } catch (EOFException e) {
            diverge(file + " is truncated at input #" + at);
            return null;
        } catch (IOException e) {
            diverge(file + ": unreadable at input #" + at + ": " + e.getMessage());
            return null;
        }
    }

    private void diverge(String what) {
        divergence = "run --replay diverged at " + what;
    }

    @Override
    public double localSpeed(DoubleSupplier measure) {
        Double v = next(InputsFile.Kind.LOCAL_SPEED, in::readDouble);
        return v != null ? v : measure.getAsDouble();
    }

    @Override
    public long cpuNanos(LongSupplier read) {
        Long v = next(InputsFile.Kind.CPU_NANOS, () -> Varints.readSigned(in));
        return v != null ? v : read.getAsLong();
    }

    @Override
    public short[] revents(Supplier<short[]> probe) {
        short[] v = next(InputsFile.Kind.REVENTS, () -> {
            short[] r = new short[(int) Varints.readSigned(in)];
            for (int i = 0; i < r.length; i++) {
                r[i] = in.readShort();
            }
            return r;
        });
        return v != null ? v : probe.get();
    }

    @Override
    public boolean epollReady(BooleanSupplier probe) {
        Boolean v = next(InputsFile.Kind.EPOLL_READY, in::readBoolean);
        return v != null ? v : probe.getAsBoolean();
    }

    @Override
    public byte[] epollEvents(Supplier<byte[]> probe) {
        byte[] v = next(InputsFile.Kind.EPOLL_EVENTS, () -> in.readNBytes((int) Varints.readSigned(in)));
        return v != null ? v : probe.get();
    }

    /**
     * The recording in DIR, one readable line per input in the order the run read them
     * ({@code "cpu nanos 123456"}, {@code "revents [1, 0]"}...): for tests and for a look at a recording.
     */
    public static java.util.List<String> describe(Path dir) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try (ReplayingInputs r = new ReplayingInputs(dir)) {
            for (int tag; (tag = r.in.read()) >= 0; ) {
                InputsFile.Kind k = InputsFile.Kind.of(tag);
                if (k == null) {
                    throw new IOException(r.file + ": unknown record tag " + tag + " at input #" + lines.size());
                }
                String value = switch (k) {
                    case LOCAL_SPEED -> Double.toString(r.in.readDouble());
                    case CPU_NANOS -> Long.toString(Varints.readSigned(r.in));
                    case EPOLL_READY -> Boolean.toString(r.in.readBoolean());
                    case REVENTS -> {
                        short[] v = new short[(int) Varints.readSigned(r.in)];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = r.in.readShort();
                        }
                        yield Arrays.toString(v);
                    }
                    case EPOLL_EVENTS -> java.util.HexFormat.of().formatHex(r.in.readNBytes((int) Varints.readSigned(r.in)));
                    case THREAD_STATE -> Character.toString((char) r.in.readUnsignedByte());
                };
                lines.add(k.describe() + " " + value);
            }
        }
        return lines;
    }

    @Override
    public char threadState(IntSupplier read) {
        Integer v = next(InputsFile.Kind.THREAD_STATE, in::readUnsignedByte);
        return v != null ? (char) v.intValue() : (char) read.getAsInt();
    }

    /** At the end of the run: recorded inputs it did not ask for are a divergence. */
    public void finish() {
        if (divergence != null) {
            return;
        }
        try {
            int tag = in.read();
            if (tag >= 0) {
                InputsFile.Kind k = InputsFile.Kind.of(tag);
                diverge("input #" + index + ": the run ended, the recording goes on with a "
                        + (k == null ? "record tagged " + tag : k.describe()));
            }
        } catch (IOException e) {
            diverge(file + ": unreadable at input #" + index + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<String> divergence() {
        return Optional.ofNullable(divergence);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
