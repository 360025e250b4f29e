package simterpose.simulator.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The model parameters, named as SimGrid names its configuration items. Built from the
 * platform's {@code <config>} properties, then the command line ({@code --cfg=KEY:VALUE}),
 * the later source winning. Defaults are SimGrid 3.32's; the latency factor, bandwidth factor
 * and weight_S follow {@code network/model} unless set explicitly.
 *
 * @param networkModel     "LV08" (default) or "CM02"
 * @param latencyFactor    multiplies the route latency paid before bytes move
 * @param bandwidthFactor  multiplies the rate bytes move at
 * @param weightS          adds {@code weightS / bw} per link to a flow's penalty
 * @param tcpGamma         maximal TCP window: rate ≤ tcpGamma / (2 × route latency)
 * @param crossTraffic     a flow also weighs 0.05 on its reverse route
 * @param loopbackBandwidth bytes/s of the implicit loopback link (FATPIPE)
 * @param loopbackLatency  seconds of the implicit loopback link
 * @param cpuModel         "Cas01" only
 * @param maxminPrecision  see {@link MaxMinSystem}
 * @param surfPrecision    dates closer than this are the same instant
 */
public record ModelConfig(String networkModel, double latencyFactor, double bandwidthFactor, double weightS,
                          double tcpGamma, boolean crossTraffic, double loopbackBandwidth, double loopbackLatency,
                          String cpuModel, double maxminPrecision, double surfPrecision) {

    /** The configuration items this record understands. */
    public static final java.util.List<String> KEYS = java.util.List.of("network/model", "network/TCP-gamma",
            "network/crosstraffic", "network/latency-factor", "network/bandwidth-factor", "network/weight-S",
            "network/loopback-bw", "network/loopback-lat", "cpu/model", "maxmin/precision", "surf/precision");

    /**
     * The platform's {@code <config>} items that concern the models (others, such as
     * {@code contexts/stack-size}, are ignored), overridden by {@code overrides} (the command line).
     */
    public static ModelConfig resolve(Map<String, String> platformConfig, Map<String, String> overrides) {
        Map<String, String> items = new LinkedHashMap<>(platformConfig);
        items.keySet().retainAll(KEYS);
        items.putAll(overrides);
        return from(items);
    }

    public static ModelConfig defaults() {
        return from(Map.of());
    }

    /**
     * @param items configuration items, later entries overriding earlier ones
     * @throws IllegalArgumentException on an unknown key or a bad value (message names both)
     */
    public static ModelConfig from(Map<String, String> items) {
        Map<String, String> m = new LinkedHashMap<>(items);
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown configuration item '" + key + "' (known: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        String model = m.getOrDefault("network/model", "LV08");
        boolean cm02 = switch (model) {
            case "CM02" -> true;
            case "LV08" -> false;
            default -> throw new IllegalArgumentException("network/model: '" + model
                    + "' is not supported (expected LV08 or CM02)");
        };
        String cpu = m.getOrDefault("cpu/model", "Cas01");
        if (!cpu.equals("Cas01")) {
            throw new IllegalArgumentException("cpu/model: '" + cpu + "' is not supported (expected Cas01)");
        }
        return new ModelConfig(model,
                number(m, "network/latency-factor", cm02 ? 1.0 : 13.01),
                number(m, "network/bandwidth-factor", cm02 ? 1.0 : 0.97),
                number(m, "network/weight-S", cm02 ? 0.0 : 20537),
                number(m, "network/TCP-gamma", 4194304.0),
                bool(m, "network/crosstraffic", true),
                number(m, "network/loopback-bw", 10e9),
                number(m, "network/loopback-lat", 0.0),
                cpu,
                number(m, "maxmin/precision", 1e-5),
                number(m, "surf/precision", 1e-9));
    }

    private static double number(Map<String, String> m, String key, double fallback) {
        String v = m.get(key);
        if (v == null) {
            return fallback;
        }
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

    private static boolean bool(Map<String, String> m, String key, boolean fallback) {
        String v = m.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "on", "true", "1" -> true;
            case "no", "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v + "' is not a boolean (yes/no)");
        };
    }
}
