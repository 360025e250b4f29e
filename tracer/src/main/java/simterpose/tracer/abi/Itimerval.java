package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/**
 * {@code struct itimerval} (linux/time.h on x86_64, setitimer/getitimer): {@code it_interval} at
 * 0, {@code it_value} at 16, each a timeval; 32 bytes.
 */
public record Itimerval(Timeval interval, Timeval value) {
    public static final int SIZE = 32;

    /** The itimerval at {@code address}, or null when it cannot be read. */
    public static Itimerval read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : new Itimerval(Timeval.decode(b, 0), Timeval.decode(b, 16));
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
