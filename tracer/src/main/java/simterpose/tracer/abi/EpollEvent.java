package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/**
 * {@code struct epoll_event} (sys/epoll.h), packed on x86_64: {@code events} (u32) at 0,
 * {@code data} (u64) at 4; 12 bytes.
 */
public record EpollEvent(int events, long data) {
    public static final int SIZE = 12;

    /** The {@code k}-th epoll_event of the array at {@code address}, or null when it cannot be read. */
    public static EpollEvent read(TraceeMemory memory, long address, int k) {
        byte[] b = memory.readFully(address + (long) SIZE * k, SIZE);
        return b == null ? null : decode(b);
    }

    /** The epoll_event in the first {@link #SIZE} bytes of {@code b}. */
    public static EpollEvent decode(byte[] b) {
        return new EpollEvent(Bytes.le32(b, 0), Bytes.le64(b, 4));
    }

    /** Its 12 packed bytes, as epoll_wait writes them. */
    public byte[] bytes() {
        byte[] b = new byte[SIZE];
        Bytes.putLe32(b, 0, events);
        Bytes.putLe64(b, 4, data);
        return b;
    }
}
