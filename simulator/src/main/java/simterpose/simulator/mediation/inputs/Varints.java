package simterpose.simulator.mediation.inputs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Zig-zag LEB128 varints (small CPU deltas and lengths take one or two bytes). */
final class Varints {
    private Varints() {}

    static void writeSigned(DataOutput out, long v) throws IOException {
        long u = (v << 1) ^ (v >> 63);
        while ((u & ~0x7FL) != 0) {
            out.writeByte((int) ((u & 0x7F) | 0x80));
            u >>>= 7;
        }
        out.writeByte((int) u);
    }

    static long readSigned(DataInput in) throws IOException {
        long u = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            u |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (u >>> 1) ^ -(u & 1);
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }
}
