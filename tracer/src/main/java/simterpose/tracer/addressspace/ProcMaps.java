package simterpose.tracer.addressspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the kernel's list of a process's mappings ({@code /proc/PID/maps}, or the header lines
 * of {@code /proc/PID/smaps}) as {@link Region}s, classified the way {@link AddressSpace} counts
 * its own: {@code [heap]} is HEAP; other bracketed names ({@code [stack]}, {@code [vdso]}...)
 * OTHER; a shared mapping ({@code s} in the permissions) SHARED; no name (or {@code [anon:…]})
 * ANON; a path FILE; a region with permissions {@code ---} is reserved.
 */
public final class ProcMaps {
    private static final Pattern LINE = Pattern.compile(
            "^([0-9a-f]+)-([0-9a-f]+) ([-r][-w][-x][sp]) [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \\d+\\s*(.*)$");

    private ProcMaps() {}

    /** The regions of {@code /proc/PID/maps}; empty if the process is gone. */
    public static List<Region> read(int pid) {
        try {
            return parse(Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The regions of {@code /proc/PID/smaps} (the same list; the per-region fields are skipped). */
    public static List<Region> readSmaps(int pid) {
        try {
            return parse(Files.readAllLines(Path.of("/proc", Integer.toString(pid), "smaps")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Header lines become regions; other lines (smaps' fields) are skipped. */
    public static List<Region> parse(List<String> lines) {
        List<Region> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                long start = Long.parseUnsignedLong(m.group(1), 16);
                long end = Long.parseUnsignedLong(m.group(2), 16);
                String perms = m.group(3);
                String name = m.group(4).strip();
                out.add(new Region(start, end, classify(perms, name), name, !perms.startsWith("---")));
            }
        }
        return out;
    }

    static Kind classify(String perms, String name) {
        if (name.equals("[heap]")) {
            return Kind.HEAP;
        }
        boolean anonNamed = name.startsWith("[anon:") || name.startsWith("[anon_shmem:");
        if (name.startsWith("[") && !anonNamed) {
            return Kind.OTHER;
        }
        if (perms.charAt(3) == 's') {
            return Kind.SHARED;
        }
        return name.isEmpty() || anonNamed ? Kind.ANON : Kind.FILE;
    }
}
