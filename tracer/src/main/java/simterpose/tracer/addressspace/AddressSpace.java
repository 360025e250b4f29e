package simterpose.tracer.addressspace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mapped regions of one process, changed as the kernel changes them: a new mapping replaces
 * whatever it overlaps (MAP_FIXED), an unmap or a protection change splits the regions it cuts.
 * Adjacent regions are not merged (the kernel may merge them; the byte counts are the same).
 * Owned by one thread (the tracer's owner thread in memtrace).
 */
public final class AddressSpace {
    public static final long PAGE = 4096;

    private final TreeMap<Long, Region> regions = new TreeMap<>();

    /** A model seeded with the regions {@code /proc/PID/maps} lists. */
    public static AddressSpace of(Collection<Region> initial) {
        AddressSpace space = new AddressSpace();
        initial.forEach(space::map);
        return space;
    }

    public static long pageUp(long bytes) {
        return (bytes + PAGE - 1) & -PAGE;
    }

    /** Adds {@code region}, replacing what it overlaps. */
    public void map(Region region) {
        unmap(region.start(), region.end());
        regions.put(region.start(), region);
    }

    /** Removes {@code [from, to)}; returns the regions (slices) removed. */
    public List<Region> unmap(long from, long to) {
        List<Region> removed = new ArrayList<>();
        for (Region r : overlapping(from, to)) {
            regions.remove(r.start());
            removed.add(r.slice(from, to));
            if (r.start() < from) {
                regions.put(r.start(), r.slice(r.start(), from));
            }
            if (r.end() > to) {
                regions.put(to, r.slice(to, r.end()));
            }
        }
        return removed;
    }

    /**
     * Marks {@code [from, to)} accessible or reserved (PROT_NONE); returns the bytes whose state
     * changed, positive when they became accessible, negative when reserved.
     */
    public long protect(long from, long to, boolean accessible) {
        long changed = 0;
        for (Region r : overlapping(from, to)) {
            if (r.accessible() == accessible) {
                continue;
            }
            unmap(Math.max(r.start(), from), Math.min(r.end(), to));
            Region slice = r.slice(from, to).withAccess(accessible);
            regions.put(slice.start(), slice);
            changed += slice.size();
        }
        return accessible ? changed : -changed;
    }

    /**
     * mremap: the mapping at {@code oldStart} now spans {@code newSize} bytes at {@code newStart},
     * with the kind, name and access it had. An {@code oldSize} of 0 duplicates a shared mapping.
     * Returns the region as it is now, or null if nothing was mapped at {@code oldStart}.
     */
    public Region move(long oldStart, long oldSize, long newStart, long newSize) {
        Region template = regionAt(oldStart);
        if (template == null) {
            return null;
        }
        if (oldSize > 0) {
            unmap(oldStart, oldStart + pageUp(oldSize));
        }
        Region now = template.movedTo(newStart, pageUp(newSize));
        map(now);
        return now;
    }

    /** The brk area is {@code [start, end)} (nothing when end <= start). */
    public void setHeap(long start, long end) {
        regions.values().removeIf(r -> r.kind() == Kind.HEAP);
        if (end > start) {
            map(new Region(start, end, Kind.HEAP, "", true));
        }
    }

    public Region regionAt(long address) {
        Map.Entry<Long, Region> e = regions.floorEntry(address);
        return e != null && e.getValue().end() > address ? e.getValue() : null;
    }

    public List<Region> overlapping(long from, long to) {
        List<Region> out = new ArrayList<>();
        Map.Entry<Long, Region> first = regions.floorEntry(from);
        long key = first != null && first.getValue().end() > from ? first.getKey() : from;
        for (Region r : regions.tailMap(key, true).values()) {
            if (r.start() >= to) {
                break;
            }
            if (r.end() > from) {
                out.add(r);
            }
        }
        return out;
    }

    public List<Region> regions() {
        return List.copyOf(regions.values());
    }

    public Totals totals() {
        return Totals.of(regions.values());
    }
}
