package simterpose.tracer.addressspace;

/**
 * One mapped range {@code [start, end)}, page-aligned.
 *
 * @param name       the file's path for FILE and file-backed SHARED mappings, a description for
 *                   other SHARED ones ({@code SysV shm 32768}, {@code anonymous}), else empty
 * @param accessible false for PROT_NONE (a reservation: mapped, but not usable memory)
 */
public record Region(long start, long end, Kind kind, String name, boolean accessible) {
    public Region {
        if (end <= start) {
            throw new IllegalArgumentException("empty region " + Long.toHexString(start) + "-" + Long.toHexString(end));
        }
        name = name == null ? "" : name;
    }

    public long size() {
        return end - start;
    }

    Region slice(long from, long to) {
        return new Region(Math.max(start, from), Math.min(end, to), kind, name, accessible);
    }

    Region withAccess(boolean nowAccessible) {
        return new Region(start, end, kind, name, nowAccessible);
    }

    Region movedTo(long newStart, long newSize) {
        return new Region(newStart, newStart + newSize, kind, name, accessible);
    }
}
