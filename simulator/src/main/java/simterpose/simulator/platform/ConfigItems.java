package simterpose.simulator.platform;

import java.util.List;
import java.util.Locale;

/**
 * The configuration items the models read, named as SimGrid names them, and the form of their
 * values: what a platform's {@code <config>} (or {@code --cfg=KEY:VALUE}) may set for them. The
 * platform builder checks each item where it is written, so that a bad value is located in its
 * file; the models' parameters ({@code model.ModelConfig}) are read with the same parsers.
 */
public final class ConfigItems {
    private ConfigItems() {}

    /** The items the models understand (others, such as {@code contexts/stack-size}, are not theirs). */
    public static final List<String> KEYS = List.of("network/model", "network/TCP-gamma",
            "network/crosstraffic", "network/latency-factor", "network/bandwidth-factor", "network/weight-S",
            "network/loopback-bw", "network/loopback-lat", "cpu/model", "maxmin/precision", "surf/precision");

    /**
     * Checks one item's value.
     *
     * @throws IllegalArgumentException on an unknown key or a bad value (message names both)
     */
    public static void check(String key, String value) {
        switch (key) {
            case "network/model" -> networkModel(value);
            case "cpu/model" -> cpuModel(value);
            case "network/crosstraffic" -> bool(key, value);
            default -> {
                known(key);
                number(key, value);
            }
        }
    }

    /** @throws IllegalArgumentException if the models know no item {@code key} */
    public static void known(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown configuration item '" + key + "' (known: "
                    + String.join(", ", KEYS) + ")");
        }
    }

    /** {@code network/model}: SimGrid's LV08 and CM02, or TCP (run's model of Linux TCP connections). */
    public static String networkModel(String model) {
        return switch (model) {
            case "LV08", "CM02", "TCP" -> model;
            default -> throw new IllegalArgumentException("network/model: '" + model
                    + "' is not supported (expected LV08, CM02 or TCP)");
        };
    }

    /** {@code cpu/model}: Cas01 only. */
    public static String cpuModel(String cpu) {
        if (!cpu.equals("Cas01")) {
            throw new IllegalArgumentException("cpu/model: '" + cpu + "' is not supported (expected Cas01)");
        }
        return cpu;
    }

    /** A non-negative finite number. */
    public static double number(String key, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a non-negative number");
        }
    }

    /** yes/on/true/1 or no/off/false/0. */
    public static boolean bool(String key, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "on", "true", "1" -> true;
            case "no", "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v + "' is not a boolean (yes/no)");
        };
    }
}
