package simterpose.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import simterpose.tracer.Auxv;
import simterpose.tracer.memory.TraceeMemory;

/**
 * A new image's start as the kernel laid it out at exec: argc, argv, envp and auxv from the stack
 * pointer up, and the strings and AT_RANDOM bytes above them, to the end of the {@code [stack]}
 * mapping. Read at the recorded exec; written back at the replayed one.
 */
final class StartImage {
    private StartImage() {}

    private static final int MAX_STRINGS = 1 << 16, MAX_STACK = 8 << 20;

    static Header read(TraceeMemory mem, int pid, long sp, Executable exe, Path cwdLink) throws IOException {
        long end = stackEnd(pid, sp);
        byte[] stack = mem.readFully(sp, (int) (end - sp));
        if (stack == null) {
            throw new IOException("cannot read the new image's stack of pid " + pid);
        }
        long argc = mem.readLong(sp, 0);
        List<String> argv = strings(mem, sp + 8, (int) argc);
        List<String> env = strings(mem, sp + 8 * (argc + 2), MAX_STRINGS);
        String cwd;
        try {
            cwd = Files.readSymbolicLink(cwdLink).toString();
        } catch (IOException e) {
            cwd = "";
        }
        return new Header(pid, argv, env, cwd, exe, sp, stack, Auxv.entries(mem, sp));
    }

    /** The NULL-terminated pointer array at {@code at} (at most {@code max} entries), as strings. */
    private static List<String> strings(TraceeMemory mem, long at, int max) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < max; i++, at += 8) {
            long p = mem.readLong(at, 0);
            if (p == 0) {
                break;
            }
            TraceeMemory.CString s = mem.readCString(p, 1 << 17);
            out.add(s == null ? "" : new String(s.bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The end of the mapping holding {@code sp} ({@code [stack]}), from /proc/PID/maps. */
    static long stackEnd(int pid, long sp) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
            int dash = line.indexOf('-'), space = line.indexOf(' ');
            long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            if (Long.compareUnsigned(sp, start) >= 0 && Long.compareUnsigned(sp, end) < 0) {
                if (end - sp > MAX_STACK) {
                    throw new IOException("initial stack of pid " + pid + " is larger than " + MAX_STACK + " bytes");
                }
                return end;
            }
        }
        throw new IOException("no mapping holds the stack pointer of pid " + pid);
    }
}
