package simterpose.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.tracer.Stop;
import simterpose.tracer.syscall.SyscallTable;

/**
 * A recorded mmap made for real in the replayed process, so its memory map is the recorded
 * one: a file mapping reopens the recorded file (which must have the recorded size) just for
 * the call; the address is the recorded result, taken with MAP_FIXED_NOREPLACE so nothing
 * already mapped is clobbered.
 */
final class RealMapping {
    private static final int NR_CLOSE = SyscallTable.number("close"), NR_OPENAT = SyscallTable.number("openat"),
            NR_MMAP = SyscallTable.number("mmap");
    private static final long AT_FDCWD = -100, O_RDONLY = 0, O_RDWR = 2;
    private static final long MAP_SHARED = 0x01, MAP_FIXED = 0x10, MAP_FIXED_NOREPLACE = 0x100000, PROT_WRITE = 0x2;

    /** Why the mapping could not be made as recorded: the recorded side and what happened instead. */
    record Mismatch(String recorded, String actual) {}

    private RealMapping() {}

    /**
     * Makes {@code call} (an mmap stopped at its entry) for real at {@code recorded}, the address
     * it returned when recorded, mapping {@code file} if the recording names one.
     *
     * @return null once mapped as recorded, else the mismatch
     */
    static Mismatch map(Stop stop, Event.Entry call, Event.MappedFile file, long recorded) {
        long[] a = call.args();
        long fd = a[4];
        long realFd = -1;
        if (file != null) {
            Path path = Path.of(file.path());
            long size;
            try {
                size = Files.size(path);
            } catch (IOException ex) {
                size = -1;
            }
            if (!Files.isRegularFile(path) || size != file.size()) {
                return new Mismatch(CallText.of(call) + " maps " + file.path() + " (" + file.size() + " bytes)",
                        size < 0 ? "that file is missing" : "that file now has " + size + " bytes");
            }
            byte[] name = (file.path() + "\0").getBytes(StandardCharsets.UTF_8);
            long at = (stop.regs().rsp() - 256 - name.length) & ~15L; // below the red zone: unused at a syscall
            stop.memory().write(at, name, 0, name.length);
            boolean writable = (a[3] & MAP_SHARED) != 0 && (a[2] & PROT_WRITE) != 0;
            realFd = stop.injectSyscall(NR_OPENAT, AT_FDCWD, at, writable ? O_RDWR : O_RDONLY, 0);
            if (realFd < 0) {
                return new Mismatch(CallText.of(call) + " maps " + file.path(), "opening it fails (errno " + -realFd + ")");
            }
        }
        long flags = (a[3] & MAP_FIXED) != 0 ? a[3] : a[3] | MAP_FIXED_NOREPLACE;
        long got = stop.injectSyscall(NR_MMAP, recorded, a[1], a[2], flags, file != null ? realFd : fd, a[5]);
        if (realFd >= 0) {
            stop.injectSyscall(NR_CLOSE, realFd);
        }
        if (got != recorded) {
            return new Mismatch(CallText.of(call) + " = 0x" + Long.toHexString(recorded),
                    CallText.of(call) + " = " + (got < 0 && got >= -4095 ? "errno " + -got : "0x" + Long.toHexString(got)));
        }
        return null;
    }
}
