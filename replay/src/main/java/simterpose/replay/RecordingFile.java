package simterpose.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The file {@code DIR/recording.sim}: format version {@value #VERSION}.
 *
 * <pre>
 * "SIMTREC\n"  8 bytes magic
 * version      4 bytes, big-endian
 * then a zlib (DEFLATE) stream of:
 *   header     pid, argc, argv strings, envc, env strings, cwd, executable (path, size,
 *              sha256, build id), stack pointer, initial stack bytes, auxv pairs
 *   events     tag byte + fields, in the order the recorder saw them across threads:
 *     1 Entry      tid, nr, argc, args (zigzag), string count, strings, input CRC-32
 *     2 Exit       tid, result (zigzag), write count, (address, length, bytes)...
 *     3 MappedFile tid, path, size
 *     4 Signal     tid, signal, rip
 *     5 Rdtsc      tid, value
 *     6 Exec       tid, path
 *     7 ThreadGone tid, status
 *     0 End        exit status (zigzag): the last record
 * integers are unsigned LEB128 varints (zigzag-mapped where signed); strings and byte arrays
 * are a varint length then the bytes (UTF-8 for strings).
 * </pre>
 *
 * Compression: java.util.zip's DEFLATE at its fastest level. The bulk of a recording is the
 * bytes syscalls wrote (data received); the per-syscall overhead is a few varint bytes that
 * deflate squeezes further. No library needed: zstd (com.github.luben:zstd-jni) compresses
 * faster at a similar ratio but brings a native JNI library into a tool whose only native code
 * is its own FFM bindings.
 */
public final class RecordingFile {
    public static final String NAME = "recording.sim";
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "SIMTREC\n".getBytes(StandardCharsets.US_ASCII);
    private static final int END = 0, ENTRY = 1, EXIT = 2, MAPPED_FILE = 3, SIGNAL = 4, RDTSC = 5, EXEC = 6, GONE = 7;

    private RecordingFile() {}

    /** A whole recording, read back. */
    public record Recording(Header header, List<Event> events, int exitStatus) {}

    /** The bad recording: a clear message for the user. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    /** Streams events to the file; one thread at a time. */
    public static final class Writer implements AutoCloseable {
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        private final Out out;
        private long events;

        public Writer(Path file, Header header) throws IOException {
            OutputStream raw = Files.newOutputStream(file);
            raw.write(MAGIC);
            raw.write(new byte[] {0, 0, 0, VERSION});
            out = new Out(new BufferedOutputStream(new DeflaterOutputStream(raw, deflater, 1 << 16), 1 << 16));
            out.varint(header.pid());
            out.strings(header.argv());
            out.strings(header.env());
            out.string(header.cwd());
            Executable exe = header.executable();
            out.string(exe.path());
            out.varint(exe.size());
            out.string(exe.sha256());
            out.string(exe.buildId());
            out.varint(header.stackPointer());
            out.bytes(header.initialStack());
            out.varint(header.auxv().size());
            for (long[] pair : header.auxv()) {
                out.varint(pair[0]);
                out.varint(pair[1]);
            }
        }

        public void write(Event event) throws IOException {
            events++;
            switch (event) {
                case Event.Entry e -> {
                    out.tag(ENTRY, e.tid());
                    out.varint(e.nr());
                    out.varint(e.args().length);
                    for (long a : e.args()) {
                        out.signed(a);
                    }
                    out.strings(e.strings());
                    out.varint(e.inputCrc() & 0xffffffffL);
                }
                case Event.Exit x -> {
                    out.tag(EXIT, x.tid());
                    out.signed(x.result());
                    out.varint(x.writes().size());
                    for (Event.Write w : x.writes()) {
                        out.varint(w.address());
                        out.bytes(w.bytes());
                    }
                }
                case Event.MappedFile m -> {
                    out.tag(MAPPED_FILE, m.tid());
                    out.string(m.path());
                    out.varint(m.size());
                }
                case Event.Signal s -> {
                    out.tag(SIGNAL, s.tid());
                    out.varint(s.signal());
                    out.varint(s.rip());
                }
                case Event.Rdtsc r -> {
                    out.tag(RDTSC, r.tid());
                    out.varint(r.value());
                }
                case Event.Exec x -> {
                    out.tag(EXEC, x.tid());
                    out.string(x.path());
                }
                case Event.ThreadGone g -> {
                    out.tag(GONE, g.tid());
                    out.varint(g.status());
                }
            }
        }

        public long events() {
            return events;
        }

        /** Writes the end record with the program's exit status and closes the file. */
        public void finish(int exitStatus) throws IOException {
            out.stream.write(END);
            out.signed(exitStatus);
            close();
        }

        @Override
        public void close() throws IOException {
            out.stream.close();
            deflater.end();
        }
    }

    /** Reads a whole recording. */
    public static Recording read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] magic = raw.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new FormatException(file + ": not a simterpose recording (bad magic)");
            }
            byte[] v = raw.readNBytes(4);
            int version = v.length < 4 ? -1 : (v[0] & 0xff) << 24 | (v[1] & 0xff) << 16 | (v[2] & 0xff) << 8 | (v[3] & 0xff);
            if (version != VERSION) {
                throw new FormatException(file + ": recording format version " + version + ", this simterpose reads version " + VERSION);
            }
            Inflater inflater = new Inflater();
            try {
                In in = new In(new DataInputStream(new BufferedInputStream(new InflaterInputStream(raw, inflater, 1 << 16), 1 << 16)));
                int pid = (int) in.varint();
                List<String> argv = in.strings(), env = in.strings();
                String cwd = in.string();
                Executable exe = new Executable(in.string(), in.varint(), in.string(), in.string());
                long sp = in.varint();
                byte[] stack = in.bytes();
                int pairs = (int) in.varint();
                List<long[]> auxv = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    auxv.add(new long[] {in.varint(), in.varint()});
                }
                Header header = new Header(pid, argv, env, cwd, exe, sp, stack, auxv);
                List<Event> events = new ArrayList<>();
                while (true) {
                    int tag = in.stream.read();
                    if (tag < 0) {
                        throw new FormatException(file + ": truncated after " + events.size() + " events (the recording did not finish)");
                    }
                    if (tag == END) {
                        return new Recording(header, events, (int) in.signed());
                    }
                    int tid = (int) in.varint();
                    events.add(switch (tag) {
                        case ENTRY -> {
                            int nr = (int) in.varint();
                            long[] args = new long[(int) in.varint()];
                            for (int i = 0; i < args.length; i++) {
                                args[i] = in.signed();
                            }
                            yield new Event.Entry(tid, nr, args, in.strings(), (int) in.varint());
                        }
                        case EXIT -> {
                            long result = in.signed();
                            int n = (int) in.varint();
                            List<Event.Write> writes = new ArrayList<>(n);
                            for (int i = 0; i < n; i++) {
                                writes.add(new Event.Write(in.varint(), in.bytes()));
                            }
                            yield new Event.Exit(tid, result, writes);
                        }
                        case MAPPED_FILE -> new Event.MappedFile(tid, in.string(), in.varint());
                        case SIGNAL -> new Event.Signal(tid, (int) in.varint(), in.varint());
                        case RDTSC -> new Event.Rdtsc(tid, in.varint());
                        case EXEC -> new Event.Exec(tid, in.string());
                        case GONE -> new Event.ThreadGone(tid, (int) in.varint());
                        default -> throw new FormatException(file + ": unknown record tag " + tag + " after " + events.size() + " events");
                    });
                }
            } catch (EOFException | java.util.zip.ZipException e) {
                throw new FormatException(file + ": truncated or corrupt recording (" + e.getMessage() + ")");
            } finally {
                inflater.end();
            }
        }
    }

    private record Out(OutputStream stream) {
        void tag(int tag, int tid) throws IOException {
            stream.write(tag);
            varint(tid);
        }

        void varint(long v) throws IOException {
            while ((v & ~0x7fL) != 0) {
                stream.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            stream.write((int) v);
        }

        void signed(long v) throws IOException {
            varint((v << 1) ^ (v >> 63));
        }

        void bytes(byte[] b) throws IOException {
            varint(b.length);
            stream.write(b);
        }

        void string(String s) throws IOException {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void strings(List<String> list) throws IOException {
            varint(list.size());
            for (String s : list) {
                string(s);
            }
        }
    }

    private record In(DataInputStream stream) {
        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = stream.readUnsignedByte();
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new EOFException("varint longer than 64 bits");
        }

        long signed() throws IOException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        byte[] bytes() throws IOException {
            long n = varint();
            if (n > Integer.MAX_VALUE - 8) {
                throw new EOFException("a length of " + n + " bytes");
            }
            byte[] b = new byte[(int) n];
            stream.readFully(b);
            return b;
        }

        String string() throws IOException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        List<String> strings() throws IOException {
            int n = (int) varint();
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(string());
            }
            return list;
        }
    }
}
