package simterpose.simulator.mediation.inputs;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Reads the real world and writes every value read to {@link InputsFile} (see there for the format). */
public final class RecordingInputs implements RunInputs {
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final DataOutputStream out;

    /** Creates DIR if needed and starts {@code DIR/run-inputs.sim} (replacing one there). */
    public RecordingInputs(Path dir) throws IOException {
        Files.createDirectories(dir);
        OutputStream file = Files.newOutputStream(InputsFile.in(dir));
        file.write(InputsFile.MAGIC);
        new DataOutputStream(file).writeInt(InputsFile.VERSION);
        out = new DataOutputStream(new BufferedOutputStream(new DeflaterOutputStream(file, deflater), 1 << 16));
    }

    @Override
    public double localSpeed(DoubleSupplier measure) {
        double v = measure.getAsDouble();
        write(InputsFile.Kind.LOCAL_SPEED, () -> out.writeDouble(v));
        return v;
    }

    @Override
    public long cpuNanos(LongSupplier read) {
        long v = read.getAsLong();
        write(InputsFile.Kind.CPU_NANOS, () -> Varints.writeSigned(out, v));
        return v;
    }

    @Override
    public short[] revents(Supplier<short[]> probe) {
        short[] v = probe.get();
        write(InputsFile.Kind.REVENTS, () -> {
            Varints.writeSigned(out, v.length);
            for (short s : v) {
                out.writeShort(s);
            }
        });
        return v;
    }

    @Override
    public boolean epollReady(BooleanSupplier probe) {
        boolean v = probe.getAsBoolean();
        write(InputsFile.Kind.EPOLL_READY, () -> out.writeBoolean(v));
        return v;
    }

    @Override
    public byte[] epollEvents(Supplier<byte[]> probe) {
        byte[] v = probe.get();
        write(InputsFile.Kind.EPOLL_EVENTS, () -> {
            Varints.writeSigned(out, v.length);
            out.write(v);
        });
        return v;
    }

    @Override
    public char threadState(IntSupplier read) {
        char v = (char) read.getAsInt();
        write(InputsFile.Kind.THREAD_STATE, () -> out.writeByte(v));
        return v;
    }

    private interface Body {
        void write() throws IOException;
    }

    private void write(InputsFile.Kind kind, Body body) {
        try {
            out.writeByte(kind.tag);
            body.write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's inputs: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
        deflater.end();
    }
}
