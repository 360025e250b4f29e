package simterpose.cli.views;

/** Decimal text the views write on every line, without {@link String#format} (its parsing showed in the writer's profile). */
final class Digits {
    private Digits() {}

    private static final String ZEROS = "000000000000000000";

    /** {@code value} (0 or more) in at least {@code width} digits, zeros before: what {@code %0<width>d} prints. */
    static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : ZEROS.substring(0, width - digits.length()) + digits;
    }
}
