package simterpose.simulator.model;

import java.util.LinkedHashMap;
import java.util.Map;
import simterpose.simulator.platform.ConfigItems;

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

    /** The configuration items this record understands ({@link ConfigItems}, the platform's vocabulary). */
    public static final java.util.List<String> KEYS = ConfigItems.KEYS;

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
            ConfigItems.known(key);
        }
        String model = m.getOrDefault("network/model", "LV08");
        boolean cm02 = ConfigItems.networkModel(model);
        String cpu = ConfigItems.cpuModel(m.getOrDefault("cpu/model", "Cas01"));
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
        return v == null ? fallback : ConfigItems.number(key, v);
    }

    private static boolean bool(Map<String, String> m, String key, boolean fallback) {
        String v = m.get(key);
        return v == null ? fallback : ConfigItems.bool(key, v);
    }
}
