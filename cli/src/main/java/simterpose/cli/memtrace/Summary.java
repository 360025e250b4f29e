package simterpose.cli.memtrace;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import simterpose.tracer.addressspace.Kind;
import simterpose.tracer.addressspace.Totals;

/** The end-of-run table: per process image, how it ended, the final and peak bytes of each kind, the files mapped, the events per thread. */
final class Summary {
    private Summary() {}

    static String render(List<ProcessMemory> processes) {
        StringBuilder sb = new StringBuilder("\nmemtrace summary (bytes mapped by kind; final = at the end of the image)\n");
        for (ProcessMemory p : processes) {
            sb.append("process ").append(p.pid).append(p.image != null ? " " + p.image : "").append(": ").append(p.end).append('\n');
            Totals now = p.totals();
            Totals peak = p.peaks();
            sb.append(String.format("  %-9s %-26s %s%n", "kind", "final", "peak"));
            for (Kind k : List.of(Kind.HEAP, Kind.ANON, Kind.FILE, Kind.SHARED)) {
                sb.append(String.format("  %-9s %-26s %s%n", k.label(), Units.both(now.of(k)), Units.both(peak.of(k))));
            }
            sb.append(String.format("  %-9s %-26s %s%n", "reserved", Units.both(now.reserved()), Units.both(peak.reserved())));
            for (Map.Entry<String, Long> f : peak.files().entrySet()) {
                sb.append("  file peak ").append(Units.both(f.getValue())).append(' ').append(f.getKey()).append('\n');
            }
            if (!p.eventsByThread.isEmpty()) {
                sb.append("  events by thread: ").append(p.eventsByThread.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
            }
        }
        return sb.toString();
    }
}
