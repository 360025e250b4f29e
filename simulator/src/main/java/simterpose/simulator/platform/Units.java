package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantities with units, read exactly the way SimGrid 3.32 reads them (xbt_parse_units.cpp):
 * a C {@code strtod} prefix, then a unit looked up in a table; a value with no unit takes the
 * default unit ({@code Bps}, {@code f}, {@code s}). Prefixed factors are built by repeated
 * multiplication (k = 1000, M = 1000·1000, …; Ki = 1024, …) so every value is bit-identical to
 * SimGrid's. Stateless: the tables are built once and never change.
 */
public final class Units {
    /** A value that is not a number with a known unit; the caller adds the file position. */
    public static final class UnitException extends Exception {
        UnitException(String message) {
            super(message);
        }
    }

    private static final Map<String, Double> TIME = timeTable();
    private static final Map<String, Double> BANDWIDTH = table(
            new Gen("bps", 0.125, 2, true), new Gen("bps", 0.125, 10, true),
            new Gen("Bps", 1.0, 2, true), new Gen("Bps", 1.0, 10, true));
    private static final Map<String, Double> SIZE = table(
            new Gen("b", 0.125, 2, true), new Gen("b", 0.125, 10, true),
            new Gen("B", 1.0, 2, true), new Gen("B", 1.0, 10, true));
    private static final Map<String, Double> SPEED = table(
            new Gen("f", 1.0, 10, true), new Gen("flops", 1.0, 10, false));

    private Units() {}

    /** Bandwidth in bytes per second ({@code 1bps} = 0.125 Bps; bare number = Bps). */
    public static double bandwidth(String text) throws UnitException {
        return parse(text, BANDWIDTH, "Bps", "bandwidth (e.g. 125MBps, 1Gbps, 10KiBps)");
    }

    /** A size in bytes, as SimGrid's xbt_parse_get_size ({@code 1b} = 0.125 B; bare number = B). */
    public static double size(String text) throws UnitException {
        return parse(text, SIZE, "B", "size (e.g. 1000, 1MB, 4KiB)");
    }

    /** Speed in flop/s (bare number = f). */
    public static double speed(String text) throws UnitException {
        return parse(text, SPEED, "f", "speed (e.g. 1Gf, 98.095Mf, 2kiloflops)");
    }

    /** A comma-separated list of speeds, one per power state (SimGrid trims each item). */
    public static List<Double> speeds(String text) throws UnitException {
        List<Double> result = new ArrayList<>();
        if (text.indexOf(',') < 0) {
            result.add(speed(text));
            return result;
        }
        for (String item : text.split(",", -1)) {
            result.add(speed(item.strip()));
        }
        return result;
    }

    /** Time in seconds (bare number = s). */
    public static double time(String text) throws UnitException {
        return parse(text, TIME, "s", "time (e.g. 50us, 1.5ms, 2s)");
    }

    private static double parse(String text, Map<String, Double> units, String defaultUnit, String what)
            throws UnitException {
        if (!text.isEmpty() && Character.isWhitespace(text.charAt(0))) { // strtod would skip them: a typo more likely
            throw new UnitException("expected a " + what + " without leading spaces, got '" + text + "'");
        }
        int end = strtodPrefix(text);
        if (end == 0) {
            throw new UnitException("expected a " + what + ", got '" + text + "'");
        }
        double value;
        try {
            value = parseNumber(text.substring(0, end));
        } catch (NumberFormatException e) {
            throw new UnitException("expected a " + what + ", got '" + text + "'");
        }
        // strtod sets ERANGE on overflow and on underflow of a non-zero number; SimGrid rejects both.
        if (Double.isInfinite(value) || (value == 0 && hasNonZeroMantissa(text.substring(0, end)))) {
            throw new UnitException("value out of range: '" + text + "'");
        }
        String unit = end == text.length() ? defaultUnit : text.substring(end);
        Double scale = units.get(unit);
        if (scale == null) {
            throw new UnitException("unknown unit '" + unit + "' in '" + text + "': expected a " + what);
        }
        return value * scale;
    }

    private static boolean hasNonZeroMantissa(String number) {
        String lower = number.toLowerCase(java.util.Locale.ROOT);
        int stop = lower.contains("0x") ? lower.indexOf('p') : lower.indexOf('e');
        String mantissa = stop < 0 ? lower : lower.substring(0, stop);
        if (mantissa.contains("0x")) {
            mantissa = mantissa.substring(mantissa.indexOf("0x") + 2);
        }
        for (char c : mantissa.toCharArray()) {
            if (Character.digit(c, 16) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double parseNumber(String number) {
        String n = number.strip();
        String lower = n.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.startsWith("0x")) {
            // Hexadecimal floats: Java wants a binary exponent, strtod does not.
            String withExponent = unsigned.contains("p") ? n : n + "p0";
            return Double.parseDouble(withExponent);
        }
        if (unsigned.startsWith("inf") || unsigned.startsWith("nan")) {
            throw new NumberFormatException(n);
        }
        return Double.parseDouble(n);
    }

    /**
     * Length of the longest prefix C strtod would consume: optional leading blanks, a sign,
     * digits with an optional '.', an optional exponent. Infinity/NaN and hex count too, and are
     * rejected later. Returns 0 when no number starts the text.
     */
    static int strtodPrefix(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && " \t\n\r\f\u000b".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        if (s.regionMatches(true, i, "inf", 0, 3) || s.regionMatches(true, i, "nan", 0, 3)) {
            return i + 3;
        }
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            int j = i + 2;
            int digits = 0;
            while (j < n && Character.digit(s.charAt(j), 16) >= 0) {
                j++;
                digits++;
            }
            if (j < n && s.charAt(j) == '.') {
                j++;
                while (j < n && Character.digit(s.charAt(j), 16) >= 0) {
                    j++;
                    digits++;
                }
            }
            if (digits == 0) {
                return i + 1; // just the "0"
            }
            return exponent(s, j, 'p');
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return 0;
        }
        return exponent(s, i, 'e');
    }

    private static int exponent(String s, int i, char marker) {
        int n = s.length();
        if (i < n && Character.toLowerCase(s.charAt(i)) == marker) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int start = j;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > start) {
                return j;
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private record Gen(String unit, double value, int base, boolean abbreviated) {}

    private static Map<String, Double> table(Gen... generators) {
        Map<String, Double> units = new HashMap<>();
        for (Gen gen : generators) {
            List<String> prefixes = switch (gen.base()) {
                case 2 -> gen.abbreviated()
                        ? List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi")
                        : List.of("kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi");
                default -> gen.abbreviated()
                        ? List.of("k", "M", "G", "T", "P", "E", "Z", "Y")
                        : List.of("kilo", "mega", "giga", "tera", "peta", "exa", "zeta", "yotta");
            };
            double mult = gen.base() == 2 ? 1024.0 : 1000.0;
            double value = gen.value();
            units.putIfAbsent(gen.unit(), value);
            for (String prefix : prefixes) {
                value *= mult;
                units.putIfAbsent(prefix + gen.unit(), value);
            }
        }
        return Map.copyOf(units);
    }

    private static Map<String, Double> timeTable() {
        Map<String, Double> units = new HashMap<>();
        units.put("w", (double) (7 * 24 * 60 * 60));
        units.put("d", (double) (24 * 60 * 60));
        units.put("h", (double) (60 * 60));
        units.put("m", 60.0);
        units.put("s", 1.0);
        units.put("ms", 1e-3);
        units.put("us", 1e-6);
        units.put("ns", 1e-9);
        units.put("ps", 1e-12);
        return Map.copyOf(units);
    }
}
