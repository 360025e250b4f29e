package simterpose.tracer.addressspace;

import java.util.Map;
import java.util.TreeMap;

/**
 * Mapped bytes by kind. Reserved (PROT_NONE) bytes of any kind count only in {@code reserved};
 * {@link Kind#OTHER} areas are not counted.
 *
 * @param files accessible bytes of FILE mappings by file name
 */
public record Totals(long heap, long anon, long file, long shared, long reserved, Map<String, Long> files) {
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, Map.of());

    public Totals {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    public long of(Kind kind) {
        return switch (kind) {
            case HEAP -> heap;
            case ANON -> anon;
            case FILE -> file;
            case SHARED -> shared;
            case OTHER -> 0;
        };
    }

    /** Sums the regions of a list, as the model and {@code /proc/PID/maps} both do. */
    public static Totals of(Iterable<Region> regions) {
        long[] byKind = new long[Kind.values().length];
        long reserved = 0;
        Map<String, Long> files = new TreeMap<>();
        for (Region r : regions) {
            if (r.kind() == Kind.OTHER) {
                continue;
            }
            if (!r.accessible()) {
                reserved += r.size();
                continue;
            }
            byKind[r.kind().ordinal()] += r.size();
            if (r.kind() == Kind.FILE) {
                files.merge(r.name(), r.size(), Long::sum);
            }
        }
        return new Totals(byKind[Kind.HEAP.ordinal()], byKind[Kind.ANON.ordinal()], byKind[Kind.FILE.ordinal()],
                byKind[Kind.SHARED.ordinal()], reserved, files);
    }
}
