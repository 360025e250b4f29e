package simterpose.simulator.mediation.handlers;

import static simterpose.simulator.kernel.LinuxNet.O_CLOEXEC;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import simterpose.simulator.kernel.OpenFile;
import simterpose.simulator.kernel.RandomDevice;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * open, openat and openat2 run natively; only two kinds of absolute path are looked at:
 * <ul>
 *   <li>the files that carry host names ({@code HostFiles}: /etc/hosts, /etc/hostname,
 *       /proc/sys/kernel/hostname, /etc/resolv.conf, /etc/nsswitch.conf): the path argument is
 *       pointed at the platform's generated file, written in the tracee's stack below the red
 *       zone, so libc reads simulated names;</li>
 *   <li>/dev/urandom and /dev/random: the fd the real kernel returns is recorded in the virtual
 *       fd table as a {@link RandomDevice} (reads then come from the seeded generator,
 *       {@link RandomHandlers}).</li>
 * </ul>
 * Other paths (relative ones, or these reached another way: a symlink, a dirfd) are the real
 * files. glibc opens /etc/hosts by this exact path for every lookup, so the stat family is left
 * alone (every stat would stop): glibc's stat of /etc/resolv.conf and /etc/nsswitch.conf, which
 * looks for changes, sees the real file, so it reloads the generated one at each lookup — one
 * more open, the same answers.
 */
final class FileHandlers {
    private FileHandlers() {}

    private static final Set<String> RANDOM_DEVICES = Set.of("/dev/urandom", "/dev/random");
    private static final int PATH_MAX = 4096;
    /** The 128 bytes below rsp that x86_64 code may use without moving rsp (System V ABI). */
    private static final int RED_ZONE = 128;
    private static final int O_ACCMODE = 3, O_WRONLY = 1, O_PATH = 0x200000;

    static HandlerResult open(Call c) {
        return open(c, 0, c.arg(1));
    }

    static HandlerResult openat(Call c) {
        return open(c, 1, c.arg(2));
    }

    static HandlerResult openat2(Call c) {
        return open(c, 1, c.mem().readLong(c.arg(2), 0)); // struct open_how starts with its u64 flags
    }

    private static HandlerResult open(Call c, int pathArg, long flags) {
        TraceeMemory.CString raw = c.mem().readCString(c.arg(pathArg), PATH_MAX);
        if (raw == null || raw.truncated() || raw.bytes().length == 0 || raw.bytes()[0] != '/') {
            return HandlerResult.NATIVE; // the real kernel gives EFAULT, ENAMETOOLONG, ENOENT...
        }
        String path = new String(raw.bytes(), StandardCharsets.ISO_8859_1);
        if (RANDOM_DEVICES.contains(path)) {
            return (flags & O_PATH) != 0 || (flags & O_ACCMODE) == O_WRONLY ? HandlerResult.NATIVE : randomDevice(c, flags);
        }
        Path replacement = c.hostFiles().replacement(path, c.proc().host());
        if (replacement != null) {
            redirect(c, pathArg, replacement);
        }
        return HandlerResult.NATIVE;
    }

    /** The real open runs; a descriptor it returns is recorded as a random device. */
    private static HandlerResult randomDevice(Call c, long flags) {
        return new HandlerResult.NativeThen(fd -> {
            if (fd >= 0) {
                c.proc().fds().install((int) fd, new OpenFile(new RandomDevice(), 0), (flags & O_CLOEXEC) != 0);
            }
            return fd;
        });
    }

    /**
     * Points path argument {@code pathArg} at {@code file}: the string goes below the stack's red
     * zone, which the interrupted code does not use, and the kernel copies it at the call's
     * start. If the stack cannot take it, the program opens the real file.
     */
    private static void redirect(Call c, int pathArg, Path file) {
        byte[] bytes = (file + "\0").getBytes(StandardCharsets.UTF_8);
        long at = (c.stop.regs().rsp() - RED_ZONE - bytes.length) & ~15L;
        if (c.write(at, bytes)) {
            c.stop.setRegs(c.stop.regs().withArg(pathArg, at));
        }
    }
}
