package simterpose.tracer.abi;

import simterpose.tracer.memory.TraceeMemory;

/**
 * {@code struct msghdr} (sys/socket.h on x86_64): {@code msg_name} at 0, {@code msg_namelen}
 * (u32) at 8, {@code msg_iov} at 16, {@code msg_iovlen} at 24, {@code msg_control} at 32,
 * {@code msg_controllen} at 40, {@code msg_flags} (int) at 48; 56 bytes.
 */
public record Msghdr(long name, int namelen, long iov, long iovlen, long control, long controllen, int flags) {
    public static final int SIZE = 56;
    /** Offsets of the fields a handler writes back (recvmsg's namelen, controllen and flags). */
    public static final int NAMELEN = 8, CONTROLLEN = 40, FLAGS = 48;

    /** The msghdr at {@code address}, or null when it cannot be read. */
    public static Msghdr read(TraceeMemory memory, long address) {
        byte[] b = memory.readFully(address, SIZE);
        return b == null ? null : decode(b, 0);
    }

    static Msghdr decode(byte[] b, int off) {
        return new Msghdr(Bytes.le64(b, off), Bytes.le32(b, off + NAMELEN), Bytes.le64(b, off + 16),
                Bytes.le64(b, off + 24), Bytes.le64(b, off + 32), Bytes.le64(b, off + CONTROLLEN),
                Bytes.le32(b, off + FLAGS));
    }
}
