package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/**
 * {@code struct itimerspec} (linux/time_types.h on x86_64): {@code it_interval} at 0,
 * {@code it_value} at 16, 32 bytes.
 */
public record Itimerspec(Timespec interval, Timespec value) {
    public static final int SIZE = 32;

    /** The itimerspec at {@code address}, or null when it cannot be read. */
    public static Itimerspec read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : new Itimerspec(Timespec.decode(b, 0), Timespec.decode(b, 16));
    }

    /** Writes it at {@code address}; false when the memory cannot be written. */
    public boolean write(TraceeMemory memory, long address) {
        byte[] b = new byte[SIZE];
        interval.encode(b, 0);
        value.encode(b, 16);
        return memory.write(address, b, 0, SIZE) == SIZE;
    }

    /** {@code {it_interval={...}, it_value={...}}}, as strace prints it. */
    @Override
    public String toString() {
        return "{it_interval=" + interval + ", it_value=" + value + "}";
    }
}
