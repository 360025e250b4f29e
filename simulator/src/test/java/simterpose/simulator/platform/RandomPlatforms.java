package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of valid SimGrid platforms in which every host pair is routed: Full zones
 * with random (a)symmetric routes, Floyd and Dijkstra zones over random connected graphs of
 * hosts and routers (ties included), flat clusters with random options, and a root zone joining
 * several of those through gateways.
 */
final class RandomPlatforms {
    private final SplittableRandom random;
    private final StringBuilder xml = new StringBuilder();
    private int linkCounter;
    private int zoneCounter;

    private RandomPlatforms(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static String generate(long seed) {
        return new RandomPlatforms(seed).platform();
    }

    private record Leaf(String id, String gateway) {}

    private String platform() {
        // SimGrid's parser insists on the DOCTYPE.
        xml.append("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n");
        int kind = random.nextInt(4);
        if (kind == 0) {
            leaf(null);
        } else {
            String routing = pick("Full", "Floyd", "Dijkstra");
            xml.append("<zone id=\"root\" routing=\"").append(routing).append("\">\n");
            int children = 2 + random.nextInt(3);
            List<Leaf> leaves = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                leaves.add(leaf("z" + i + "-"));
            }
            List<String> wanLinks = new ArrayList<>();
            for (int i = 0; i < children * 2; i++) {
                wanLinks.add(link("wan"));
            }
            if (routing.equals("Full")) {
                for (int a = 0; a < children; a++) {
                    for (int b = a + 1; b < children; b++) {
                        zoneRoute(leaves.get(a), leaves.get(b), wanLinks);
                    }
                }
            } else {
                // A chain, so that shortest paths go through intermediate zones.
                for (int a = 0; a + 1 < children; a++) {
                    zoneRoute(leaves.get(a), leaves.get(a + 1), wanLinks);
                }
                if (children > 2 && random.nextBoolean()) {
                    zoneRoute(leaves.get(0), leaves.get(children - 1), wanLinks);
                }
            }
            xml.append("</zone>\n");
        }
        xml.append("</platform>\n");
        return xml.toString();
    }

    private void zoneRoute(Leaf a, Leaf b, List<String> wanLinks) {
        xml.append("<zoneRoute src=\"").append(a.id()).append("\" dst=\"").append(b.id())
                .append("\" gw_src=\"").append(a.gateway()).append("\" gw_dst=\"").append(b.gateway()).append("\">");
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            xml.append(ctn(wanLinks.get(random.nextInt(wanLinks.size())), true));
        }
        xml.append("</zoneRoute>\n");
    }

    /** A zone or cluster whose hosts are all routed; returns its id and a gateway inside it. */
    private Leaf leaf(String prefix) {
        String id = (prefix == null ? "" : prefix) + "zone" + (zoneCounter++);
        String p = id + "-";
        return switch (random.nextInt(4)) {
            case 0 -> cluster(id, p);
            case 1 -> full(id, p);
            default -> graph(id, p, random.nextBoolean() ? "Floyd" : "Dijkstra");
        };
    }

    private Leaf cluster(String id, String p) {
        int n = 1 + random.nextInt(4);
        xml.append("<cluster id=\"").append(id).append("\" prefix=\"").append(p).append("h\" suffix=\"\" radical=\"0-")
                .append(n - 1).append("\" speed=\"1Gf\" bw=\"").append(1 + random.nextInt(100)).append("MBps\" lat=\"")
                .append(random.nextInt(100)).append("us\" sharing_policy=\"").append(pick("SPLITDUPLEX", "SHARED", "FATPIPE")).append('"');
        if (random.nextBoolean()) {
            xml.append(" bb_bw=\"").append(1 + random.nextInt(10)).append("GBps\" bb_lat=\"").append(random.nextInt(10)).append("us\"");
            xml.append(" bb_sharing_policy=\"").append(pick("SHARED", "FATPIPE")).append('"');
        }
        if (random.nextInt(3) == 0) {
            xml.append(" limiter_link=\"").append(1 + random.nextInt(100)).append("MBps\"");
        }
        if (random.nextInt(3) == 0) {
            xml.append(" loopback_bw=\"1GBps\" loopback_lat=\"1us\"");
        }
        String router = id + "-router";
        xml.append(" router_id=\"").append(router).append("\"/>\n");
        return new Leaf(id, router);
    }

    private Leaf full(String id, String p) {
        xml.append("<zone id=\"").append(id).append("\" routing=\"Full\">\n");
        int n = 2 + random.nextInt(4);
        List<String> hosts = hosts(p, n);
        List<String> links = new ArrayList<>();
        for (int i = 0; i < n + 2; i++) {
            links.add(link(p));
        }
        for (int a = 0; a < n; a++) {
            if (random.nextInt(3) == 0) {
                xml.append("<route src=\"").append(hosts.get(a)).append("\" dst=\"").append(hosts.get(a)).append("\">")
                        .append(ctn(links.get(random.nextInt(links.size())), true)).append("</route>\n");
            }
            for (int b = a + 1; b < n; b++) {
                boolean symmetrical = random.nextInt(3) > 0;
                route(hosts.get(a), hosts.get(b), links, symmetrical);
                if (!symmetrical) {
                    route(hosts.get(b), hosts.get(a), links, false);
                }
            }
        }
        xml.append("</zone>\n");
        return new Leaf(id, hosts.get(random.nextInt(n)));
    }

    private Leaf graph(String id, String p, String routing) {
        xml.append("<zone id=\"").append(id).append("\" routing=\"").append(routing).append("\">\n");
        int n = 2 + random.nextInt(4);
        List<String> nodes = new ArrayList<>(hosts(p, n));
        int routers = random.nextInt(3);
        for (int i = 0; i < routers; i++) {
            String r = p + "r" + i;
            xml.append("<router id=\"").append(r).append("\"/>\n");
            nodes.add(r);
        }
        List<String> links = new ArrayList<>();
        for (int i = 0; i < nodes.size() + 3; i++) {
            links.add(link(p));
        }
        // A random spanning tree plus a few extra edges; every edge symmetrical.
        java.util.Set<String> edges = new java.util.HashSet<>();
        for (int i = 1; i < nodes.size(); i++) {
            int j = random.nextInt(i);
            edges.add(Math.min(i, j) + "," + Math.max(i, j));
            route(nodes.get(j), nodes.get(i), links, true);
        }
        for (int k = 0; k < nodes.size(); k++) {
            int a = random.nextInt(nodes.size());
            int b = random.nextInt(nodes.size());
            if (a != b && edges.add(Math.min(a, b) + "," + Math.max(a, b))) {
                route(nodes.get(a), nodes.get(b), links, true);
            }
        }
        xml.append("</zone>\n");
        return new Leaf(id, nodes.get(random.nextInt(nodes.size())));
    }

    private List<String> hosts(String p, int n) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String h = p + "h" + i;
            xml.append("<host id=\"").append(h).append("\" speed=\"1Gf\"/>\n");
            hosts.add(h);
        }
        return hosts;
    }

    private void route(String src, String dst, List<String> links, boolean symmetrical) {
        xml.append("<route src=\"").append(src).append("\" dst=\"").append(dst).append('"');
        if (!symmetrical) {
            xml.append(" symmetrical=\"NO\"");
        }
        xml.append('>');
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            xml.append(ctn(links.get(random.nextInt(links.size())), true));
        }
        xml.append("</route>\n");
    }

    private String link(String p) {
        String id = p + "l" + (linkCounter++);
        String policy = pick("SHARED", "SHARED", "FATPIPE", "SPLITDUPLEX");
        xml.append("<link id=\"").append(id).append("\" bandwidth=\"").append(1 + random.nextInt(1000))
                .append("MBps\" latency=\"").append(random.nextInt(1000)).append("us\" sharing_policy=\"").append(policy).append("\"/>\n");
        return id + (policy.equals("SPLITDUPLEX") ? "|split" : "");
    }

    private String ctn(String link, boolean any) {
        if (link.endsWith("|split")) {
            return "<link_ctn id=\"" + link.substring(0, link.length() - 6) + "\" direction=\"" + pick("UP", "DOWN") + "\"/>";
        }
        return "<link_ctn id=\"" + link + "\"/>";
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
