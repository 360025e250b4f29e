package simterpose.simulator.model;

import java.util.LinkedHashMap;
import java.util.Map;
import simterpose.simulator.platform.ConfigItems;

/**
 * The model parameters, named as SimGrid names its configuration items. Built from the
 * platform's {@code <config>} properties, then the command line ({@code --cfg=KEY:VALUE}),
 * the later source winning. Defaults are SimGrid 3.32's; the latency factor, bandwidth factor,
 * weight_S and TCP_gamma follow {@code network/model} unless set explicitly.
 *
 * <h2>Network models</h2>
 * <ul>
 * <li>{@code LV08} (SimGrid's default, and {@code predict}'s) and {@code CM02}: exactly
 * SimGrid 3.32's flow models (see {@link NetworkModel}).</li>
 * <li>{@code TCP} ({@code run}'s default, {@link #RUN_DEFAULT_NETWORK_MODEL}): the same fluid
 * max-min sharing, with the parameters of one TCP connection on Linux rather than of a whole
 * flow. Velho and Legrand fitted LV08's latency factor 13.01 and bandwidth factor 0.97 on
 * complete transfers, connection set-up and slow start included ("Accuracy study and
 * improvement of network simulation in the SimGrid framework", SIMUTools 2009; SimGrid's
 * documentation, "Flow-level network models"). {@code run} models the handshake itself and
 * makes a flow of every burst written on an established connection, so here a burst's first
 * byte arrives after the route's latency (factor 1); its bytes move at 1448/1500 of the share
 * (payload of a full 1500-byte IP packet with TCP timestamps); the window bound is Linux's
 * autotuned receive buffer ({@code tcp_rmem[2]} = 6 MiB, half of it advertised:
 * TCP_gamma = 3 MiB); and {@code run}'s connections add slow start (RFC 5681, initial
 * window 10 segments per RFC 6928, restart after an idle period longer than the
 * retransmission timeout per RFC 2861 and {@code tcp_slow_start_after_idle}=1) and congestion
 * avoidance once a flow fills its share (CUBIC's Reno-friendly growth, RFC 8312 §4.2): see
 * {@code simterpose.simulator.kernel.CongestionWindow}. weight_S is 0, as in CM02; the penalty
 * adds half the standing queue of the route's narrowest link ({@link NetworkModel#standingQueue}).</li>
 * </ul>
 *
 * @param networkModel     "LV08" (default), "CM02" or "TCP"
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

    /** {@code run}'s network model when neither the platform nor the command line names one. */
    public static final String RUN_DEFAULT_NETWORK_MODEL = "TCP";

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

    /**
     * As {@link #resolve}, for {@code run}: its network model is {@link #RUN_DEFAULT_NETWORK_MODEL}
     * unless the platform or the command line sets {@code network/model}.
     */
    public static ModelConfig resolveForRun(Map<String, String> platformConfig, Map<String, String> overrides) {
        Map<String, String> withDefault = new LinkedHashMap<>();
        withDefault.put("network/model", RUN_DEFAULT_NETWORK_MODEL);
        withDefault.putAll(platformConfig);
        return resolve(withDefault, overrides);
    }

    /**
     * Whether {@code run}'s TCP connections follow Linux's sender (the {@code TCP} network model):
     * slow start, and Nagle's algorithm for the last small segment of a write.
     */
    public boolean linuxTcp() {
        return networkModel.equals("TCP");
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
        record Factors(double latency, double bandwidth, double weightS, double gamma) { }
        Factors f = switch (ConfigItems.networkModel(model)) {
            case "LV08" -> new Factors(13.01, 0.97, 20537, 4194304.0);
            case "CM02" -> new Factors(1.0, 1.0, 0.0, 4194304.0);
            default -> new Factors(1.0, 1448.0 / 1500.0, 0.0, 6291456.0 / 2); // TCP
        };
        String cpu = ConfigItems.cpuModel(m.getOrDefault("cpu/model", "Cas01"));
        return new ModelConfig(model,
                number(m, "network/latency-factor", f.latency()),
                number(m, "network/bandwidth-factor", f.bandwidth()),
                number(m, "network/weight-S", f.weightS()),
                number(m, "network/TCP-gamma", f.gamma()),
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
