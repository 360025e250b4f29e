package simterpose.simulator.mediation.inputs;

import java.nio.file.Path;

/**
 * The file of a run's recorded inputs, {@code DIR/run-inputs.sim}: the 8 bytes {@code SIMTRUN\n},
 * a 4-byte big-endian version ({@link #VERSION}), then a DEFLATE stream (java.util.zip) of tagged
 * records in the order the run read them: a tag byte ({@link Kind}) and its value — a double
 * (8 bytes) for the local speed, a zig-zag varint for a CPU-time read, a boolean byte for
 * epoll readiness, one byte for a parked thread's /proc state letter, a varint length and the values (shorts / bytes) for fd revents and epoll
 * events. Compact: a CPU read is 2-4 bytes before compression.
 */
public final class InputsFile {
    static final byte[] MAGIC = "SIMTRUN\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final String NAME = "run-inputs.sim";

    private InputsFile() {}

    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    /** One record's tag: what the run read. */
    enum Kind {
        LOCAL_SPEED('S'), CPU_NANOS('C'), REVENTS('P'), EPOLL_READY('R'), EPOLL_EVENTS('E'), THREAD_STATE('T');

        final byte tag;

        Kind(char tag) {
            this.tag = (byte) tag;
        }

        static Kind of(int tag) {
            for (Kind k : values()) {
                if (k.tag == tag) {
                    return k;
                }
            }
            return null;
        }

        String describe() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
