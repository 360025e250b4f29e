package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/** {@code struct timeval} (linux/time_types.h on x86_64): {@code tv_sec} at 0, {@code tv_usec} at 8, 16 bytes. */
public record Timeval(long sec, long usec) {
    public static final int SIZE = 16;

    /** The timeval at {@code address}, or null when it cannot be read. */
    public static Timeval read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : decode(b, 0);
    }

    static Timeval decode(byte[] b, int off) {
        return new Timeval(Bytes.le64(b, off), Bytes.le64(b, off + 8));
    }

    /** Writes it at {@code address}; false when the memory cannot be written. */
    public boolean write(TraceeMemory memory, long address) {
        byte[] b = new byte[SIZE];
        encode(b, 0);
        return memory.write(address, b, 0, SIZE) == SIZE;
    }

    void encode(byte[] b, int off) {
        Bytes.putLe64(b, off, sec);
        Bytes.putLe64(b, off + 8, usec);
    }

    /** {@code {tv_sec=1, tv_usec=500}}, as strace prints it. */
    @Override
    public String toString() {
        return "{tv_sec=" + sec + ", tv_usec=" + usec + "}";
    }
}
