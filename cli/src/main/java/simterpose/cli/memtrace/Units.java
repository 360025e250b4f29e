package simterpose.cli.memtrace;

import java.util.Locale;

/** Byte counts as memtrace prints them: exact bytes and binary units ({@code 67108864 (64.0 MiB)}). */
public final class Units {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Units() {}

    /** {@code 1.5 MiB}, {@code 512 B}. */
    public static String human(long bytes) {
        long abs = Math.abs(bytes);
        if (abs < 1024) {
            return bytes + " B";
        }
        double v = abs;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return (bytes < 0 ? "-" : "") + String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    /** {@code 67108864 (64.0 MiB)}. */
    public static String both(long bytes) {
        return bytes + " (" + human(bytes) + ")";
    }

    /** A change: {@code +67108864 (64.0 MiB)} or {@code -4096 (4.0 KiB)}. */
    public static String delta(long bytes) {
        return (bytes >= 0 ? "+" : "-") + Math.abs(bytes) + " (" + human(Math.abs(bytes)) + ")";
    }
}
