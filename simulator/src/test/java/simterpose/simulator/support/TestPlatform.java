package simterpose.simulator.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.Route;
import simterpose.simulator.platform.SharingPolicy;

/**
 * A hand-built platform for model tests (no parser): hosts, links and explicit one-way
 * routes. It can also write itself as SimGrid XML (one Full zone, asymmetric routes, links
 * already split) so SimGrid reads the very same platform.
 */
public final class TestPlatform implements Platform {
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final Map<String, Route> routes = new HashMap<>();
    private final Map<String, String> config = new LinkedHashMap<>();

    public Host host(String name, double speed, int cores) {
        Host h = new Host(name, List.of(speed), cores, Map.of());
        hosts.put(name, h);
        return h;
    }

    public Link link(String name, double bandwidth, double latency, SharingPolicy sharing) {
        Link l = new Link(name, bandwidth, latency, sharing);
        links.put(name, l);
        return l;
    }

    public Link link(String name, double bandwidth, double latency) {
        return link(name, bandwidth, latency, SharingPolicy.SHARED);
    }

    /** One-way route. */
    public TestPlatform oneWay(String src, String dst, Link... path) {
        routes.put(src + "\0" + dst, new Route(hosts.get(src), hosts.get(dst), List.of(path)));
        return this;
    }

    /** Route and its reverse (links in reverse order, the same links). */
    public TestPlatform symmetric(String src, String dst, Link... path) {
        oneWay(src, dst, path);
        List<Link> back = new ArrayList<>(List.of(path));
        java.util.Collections.reverse(back);
        return oneWay(dst, src, back.toArray(Link[]::new));
    }

    @Override
    public Collection<Host> hosts() { return hosts.values(); }

    @Override
    public Optional<Host> host(String name) { return Optional.ofNullable(hosts.get(name)); }

    @Override
    public Collection<Link> links() { return links.values(); }

    @Override
    public Route route(Host src, Host dst) {
        Route r = routes.get(src.name() + "\0" + dst.name());
        if (r == null) {
            if (src.equals(dst)) {
                return new Route(src, dst, List.of());
            }
            throw new PlatformException("no route from " + src.name() + " to " + dst.name());
        }
        return r;
    }

    @Override
    public Map<String, String> config() { return config; }

    /** SimGrid XML of this platform: one Full zone, every route written one-way. */
    public String toXml() {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?>\n"
                + "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n");
        if (!config.isEmpty()) {
            sb.append("<config>\n");
            config.forEach((k, v) -> sb.append(" <prop id=\"").append(k).append("\" value=\"").append(v)
                    .append("\"/>\n"));
            sb.append("</config>\n");
        }
        sb.append("<zone id=\"world\" routing=\"Full\">\n");
        for (Host h : hosts.values()) {
            sb.append(" <host id=\"").append(h.name()).append("\" speed=\"").append(num(h.speed()))
                    .append("f\" core=\"").append(h.cores()).append("\"/>\n");
        }
        for (Link l : links.values()) {
            sb.append(" <link id=\"").append(l.name()).append("\" bandwidth=\"").append(num(l.bandwidth()))
                    .append("Bps\" latency=\"").append(num(l.latency())).append("s\" sharing_policy=\"")
                    .append(l.sharing()).append("\"/>\n");
        }
        for (Route r : routes.values().stream().sorted((a, b) -> (a.src().name() + " " + a.dst().name())
                .compareTo(b.src().name() + " " + b.dst().name())).toList()) {
            sb.append(" <route src=\"").append(r.src().name()).append("\" dst=\"").append(r.dst().name())
                    .append("\" symmetrical=\"NO\">");
            for (Link l : r.links()) {
                sb.append("<link_ctn id=\"").append(l.name()).append("\"/>");
            }
            sb.append("</route>\n");
        }
        sb.append("</zone>\n</platform>\n");
        return sb.toString();
    }

    private static String num(double d) {
        return Double.toString(d).replace("E", "e");
    }
}
