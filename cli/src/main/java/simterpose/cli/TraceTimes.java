package simterpose.cli;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * strace's time options for {@code trace}: what comes before each line ({@code -t} the time of
 * day, {@code -tt} with microseconds, {@code -ttt} seconds since the epoch, {@code -r} the time
 * since the previous line) and after a call's result ({@code -T}: {@code <0.000123>}, the time
 * between its entry and its exit). Real time: stops carry {@link System#nanoTime()}, turned into
 * dates from one reading of the wall clock at start. Not thread-safe (-r keeps the last stamp).
 */
final class TraceTimes {
    enum Stamp { NONE, TIME_OF_DAY, MICROSECONDS, EPOCH, RELATIVE }

    static final TraceTimes NONE = new TraceTimes(Stamp.NONE, false);

    private final Stamp stamp;
    private final boolean spent;
    private final long epochNanosAtOrigin;
    private final long originNanoTime;
    /** Only -t and -tt need it: reading the time zone costs a start-up ~20 ms (tzdb, service loader). */
    private final ZoneId zone;
    private long previous = Long.MIN_VALUE;

    TraceTimes(Stamp stamp, boolean spent) {
        this.stamp = stamp;
        this.spent = spent;
        this.zone = stamp == Stamp.TIME_OF_DAY || stamp == Stamp.MICROSECONDS ? ZoneId.systemDefault() : null;
        Instant now = Instant.now();
        this.originNanoTime = System.nanoTime();
        this.epochNanosAtOrigin = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** From the count of -t given (0..3) and -r. */
    static TraceTimes of(int tCount, boolean relative, boolean spent) {
        Stamp s = relative ? Stamp.RELATIVE : switch (Math.min(tCount, 3)) {
            case 0 -> Stamp.NONE;
            case 1 -> Stamp.TIME_OF_DAY;
            case 2 -> Stamp.MICROSECONDS;
            default -> Stamp.EPOCH;
        };
        return new TraceTimes(s, spent);
    }

    /** The text before a line at {@code nanoTime}, with its trailing space, or "". */
    String stamp(long nanoTime) {
        long epochNanos = epochNanosAtOrigin + (nanoTime - originNanoTime);
        return switch (stamp) {
            case NONE -> "";
            case TIME_OF_DAY -> hms(epochNanos) + " ";
            case MICROSECONDS -> hms(epochNanos) + "." + sixDigits(Math.floorMod(epochNanos, 1_000_000_000L) / 1000) + " ";
            case EPOCH -> Math.floorDiv(epochNanos, 1_000_000_000L) + "."
                    + sixDigits(Math.floorMod(epochNanos, 1_000_000_000L) / 1000) + " ";
            case RELATIVE -> {
                long delta = previous == Long.MIN_VALUE ? 0 : Math.max(0, nanoTime - previous);
                previous = nanoTime;
                yield String.format("%6d.%06d ", delta / 1_000_000_000L, delta % 1_000_000_000L / 1000);
            }
        };
    }

    /** The text after a call's result: {@code " <0.000123>"} with -T, else "". */
    String spent(long nanos) {
        if (!spent) {
            return "";
        }
        long n = Math.max(0, nanos);
        return " <" + n / 1_000_000_000L + "." + sixDigits(n % 1_000_000_000L / 1000) + ">";
    }

    private LocalTime timeOfDay(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).atZone(zone).toLocalTime();
    }

    private String hms(long epochNanos) {
        LocalTime t = timeOfDay(epochNanos);
        return String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    }

    private static String sixDigits(long v) {
        return String.format("%06d", v);
    }
}
