package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/** {@code struct pollfd} (poll.h): {@code fd} (int) at 0, {@code events} at 4, {@code revents} at 6 (shorts); 8 bytes. */
public record Pollfd(int fd, short events, short revents) {
    public static final int SIZE = 8;
    /** Offset of {@code revents}, the field poll writes back. */
    public static final int REVENTS = 6;

    /** The {@code k}-th pollfd of the array at {@code address}, or null when it cannot be read. */
    public static Pollfd read(TraceeMemory memory, long address, int k) {
        byte[] b = memory.readFully(address + (long) SIZE * k, SIZE);
        return b == null ? null : decode(b, 0);
    }

    /** The {@code k}-th pollfd of {@code array}, pollfds back to back as poll takes them. */
    public static Pollfd decode(byte[] array, int k) {
        int at = SIZE * k;
        return new Pollfd(Bytes.le32(array, at), (short) Bytes.le16(array, at + 4), (short) Bytes.le16(array, at + REVENTS));
    }

    /** Sets the {@code revents} of the {@code k}-th pollfd of {@code array}, as poll answers. */
    public static void putRevents(byte[] array, int k, short revents) {
        Bytes.putLe16(array, SIZE * k + REVENTS, revents);
    }
}
