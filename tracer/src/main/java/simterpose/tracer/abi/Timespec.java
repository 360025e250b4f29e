package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/**
 * {@code struct timespec} (linux/time_types.h, __kernel_timespec on x86_64): {@code tv_sec} at
 * 0, {@code tv_nsec} at 8, 16 bytes.
 */
public record Timespec(long sec, long nsec) {
    public static final int SIZE = 16;

    /** The timespec at {@code address}, or null when it cannot be read. */
    public static Timespec read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : decode(b, 0);
    }

    static Timespec decode(byte[] b, int off) {
        return new Timespec(Bytes.le64(b, off), Bytes.le64(b, off + 8));
    }

    /** Writes it at {@code address}; false when the memory cannot be written. */
    public boolean write(TraceeMemory memory, long address) {
        byte[] b = new byte[SIZE];
        encode(b, 0);
        return memory.write(address, b, 0, SIZE) == SIZE;
    }

    void encode(byte[] b, int off) {
        Bytes.putLe64(b, off, sec);
        Bytes.putLe64(b, off + 8, nsec);
    }

    /** {@code tv_nsec} in [0, 1e9) and {@code tv_sec} not negative: what most syscalls accept (else EINVAL). */
    public boolean valid() {
        return sec >= 0 && nsec >= 0 && nsec < 1_000_000_000L;
    }

    /** {@code {tv_sec=1, tv_nsec=500}}, as strace prints it. */
    @Override
    public String toString() {
        return "{tv_sec=" + sec + ", tv_nsec=" + nsec + "}";
    }
}
