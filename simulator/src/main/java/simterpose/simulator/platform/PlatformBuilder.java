package simterpose.simulator.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import simterpose.simulator.platform.Units.UnitException;
import simterpose.simulator.platform.xml.Xml;

/**
 * Turns the JAXB tree of one file into zones, hosts and links, in document order and with
 * SimGrid 3.32's rules (sg_platf.cpp, surfxml_sax_cb.cpp): names are declared before use, link
 * and netpoint ids are unique, clusters become star zones with private links and a backbone.
 * Used once, by one thread, then dropped.
 */
final class PlatformBuilder {
    /** Above this many routing representatives, load-time all-pairs checking is skipped. */
    static final int MAX_CHECKED_REPRESENTATIVES = 400;
    /** Guard against radicals like 0-2000000000 that would exhaust memory. */
    static final int MAX_CLUSTER_HOSTS = 2_000_000;
    static final double DEFAULT_LOOPBACK_BANDWIDTH = 10e9;

    private final String file;
    /** Reads and checks attribute values, each error located in {@link #file}. */
    private final XmlValues values;
    // Not final: a large cluster regrows them once to its size instead of doubling repeatedly.
    private Map<String, NetPoint> netpoints = new HashMap<>();
    private Map<String, Link> links = new LinkedHashMap<>();
    /** SPLITDUPLEX declarations by their XML id (their halves are in {@link #links}). */
    private final Map<String, Link[]> splitDuplex = new HashMap<>();
    private final ArrayList<Host> hosts = new ArrayList<>();
    private final Map<String, String> config = new LinkedHashMap<>();
    private final List<String> zoneNames = new ArrayList<>();
    private final List<String> routerNames = new ArrayList<>();
    private final List<ActorSpec> actors = new ArrayList<>();
    private final List<Zone> allZones = new ArrayList<>();
    /** Each host {@code ip} prop's address and where it was given: no two hosts share one. */
    private final Map<Integer, Location> ipOwners = new HashMap<>();
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private Zone root;
    private Link loopback;

    PlatformBuilder(String file) {
        this.file = file;
        this.values = new XmlValues(file);
    }

    ParsedPlatform build(Xml.Platform platform) {
        values.checkAttributes(platform);
        checkVersion(platform);
        for (Xml.Node node : platform.content) {
            values.checkAttributes(node);
            switch (node) {
                case Xml.Config c -> config(c);
                case Xml.Zone z -> topLevel(z, () -> zone(z, null));
                case Xml.Cluster c -> topLevel(c, () -> cluster(c, null));
                case Xml.Actor a -> actor(a);
                default -> throw values.at(node, "unexpected element <" + node.tag() + "> in <platform>");
            }
        }
        if (loopback != null) {
            // The network model's loopback is a link like the others: models index links by this list.
            if (links.containsKey(loopback.name())) {
                throw values.at(platform, "link id '__loopback__' is reserved for the network model's loopback");
            }
            links.put(loopback.name(), loopback);
        }
        ParsedPlatform result = new ParsedPlatform(hosts, netpoints, links, config, zoneNames, routerNames,
                new Deployment(actors));
        if (root != null) {
            checkAllPairsRouted(result);
            result.deployment().validate(result);
        }
        return result;
    }

    private void topLevel(Xml.Node node, Runnable build) {
        if (root != null) {
            throw values.at(node, "a second top-level <" + node.tag() + ">: a platform has exactly one root zone (put both in a <zone>)");
        }
        build.run();
    }

    // ---- platform, config, actors ----

    private void checkVersion(Xml.Platform platform) {
        String text = platform.version == null ? "0.0" : platform.version;
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw values.at(platform, "version=\"" + text + "\" is not a number: expected version=\"4.1\"");
        }
        long version = Math.round(100.0 * value);
        if (version < 400) {
            throw values.at(platform, "platform version " + text + " is too old: expected version=\"4.1\" (convert it with simgrid_update_xml)");
        }
        if (version > 410) {
            throw values.at(platform, "platform version " + text + " comes from the future: expected version=\"4.1\"");
        }
    }

    private void config(Xml.Config c) {
        values.checkAttributes(c);
        if (root != null) {
            throw values.at(c, "<config> must come before any zone");
        }
        for (Xml.Prop p : c.props) {
            values.checkAttributes(p);
            config.put(values.required(p, "id", p.id), values.required(p, "value", p.value));
            if (p.id.equals("network/loopback-bw") || p.id.equals("network/loopback-lat")) {
                values.number(p, p.value, p.id);
            }
            if (ConfigItems.KEYS.contains(p.id)) {
                try { // the models' check, located here rather than blamed on --cfg later
                    ConfigItems.check(p.id, p.value);
                } catch (IllegalArgumentException e) {
                    throw values.at(p, e.getMessage());
                }
            }
        }
    }

    private void actor(Xml.Actor a) {
        values.checkAttributes(a);
        String host = values.required(a, "host", a.host);
        String function = values.required(a, "function", a.function);
        double start = a.startTime == null ? -1.0 : values.number(a, a.startTime, "start_time");
        double kill = a.killTime == null ? -1.0 : values.number(a, a.killTime, "kill_time");
        if (a.startTime != null && start < 0) {
            throw values.at(a, "start_time=\"" + a.startTime + "\": expected zero or a positive number of seconds");
        }
        if (a.killTime != null && kill >= 0 && kill <= Math.max(start, 0)) {
            throw values.at(a, "kill_time=\"" + a.killTime + "\" is not after start_time (" + Math.max(start, 0)
                    + " s): the actor would be killed before it starts (omit kill_time, or make it negative, to never kill it)");
        }
        if (a.onFailure != null && !a.onFailure.equals("DIE") && !a.onFailure.equals("RESTART")) {
            throw values.at(a, "on_failure=\"" + a.onFailure + "\": expected DIE or RESTART");
        }
        List<String> args = new ArrayList<>();
        Map<String, String> props = new LinkedHashMap<>();
        for (Xml.Node n : a.content) {
            values.checkAttributes(n);
            switch (n) {
                case Xml.Argument arg -> args.add(values.required(arg, "value", arg.value));
                case Xml.Prop p -> {
                    if (props.put(values.required(p, "id", p.id), values.required(p, "value", p.value)) != null) {
                        throw values.at(p, "prop '" + p.id + "' given twice in this <actor>");
                    }
                }
                default -> throw values.at(n, "unexpected element <" + n.tag() + "> in <actor>");
            }
        }
        actors.add(new ActorSpec(host, function, args, start, kill, props, values.loc(a)));
    }

    // ---- zones ----

    private Zone zone(Xml.Zone z, Zone parent) {
        values.checkAttributes(z);
        String id = values.required(z, "id", z.id);
        String routing = values.required(z, "routing", z.routing);
        Location where = values.loc(z);
        Zone zone = switch (routing.toLowerCase(Locale.ROOT)) {
            case "full" -> new FullZone(id, parent, where);
            case "floyd" -> new FloydZone(id, parent, where);
            case "dijkstra" -> new DijkstraZone(id, parent, where, false);
            case "dijkstracache" -> new DijkstraZone(id, parent, where, true);
            case "cluster" -> new StarZone(id, parent, where);
            case "none" -> new EmptyZone(id, parent, where);
            case "vivaldi", "wifi", "star", "clustertorus", "clusterfattree", "clusterdragonfly" ->
                    throw values.at(z, "unsupported routing=\"" + routing + "\" in zone '" + id
                            + "': simterpose implements Full, Floyd, Dijkstra, DijkstraCache, Cluster and None");
            default -> throw values.at(z, "unknown routing=\"" + routing + "\" in zone '" + id
                    + "': expected Full, Floyd, Dijkstra, DijkstraCache, Cluster or None");
        };
        register(zone, parent, z);
        boolean hasMembers = false;
        for (Xml.Node n : z.content) {
            values.checkAttributes(n);
            switch (n) {
                case Xml.Prop p -> {
                    values.required(p, "id", p.id);
                    values.required(p, "value", p.value);
                }
                case Xml.Zone child -> {
                    noMixing(zone, hasMembers, n);
                    zone(child, zone);
                }
                case Xml.Cluster child -> {
                    noMixing(zone, hasMembers, n);
                    cluster(child, zone);
                }
                case Xml.Host h -> {
                    hasMembers = true;
                    noMixing(zone, false, n);
                    host(h, zone);
                }
                case Xml.Router r -> {
                    hasMembers = true;
                    noMixing(zone, false, n);
                    router(r, zone);
                }
                case Xml.Link l -> link(l);
                case Xml.Route r -> route(zone, r, r.src, r.dst, null, null, symmetrical(r, r.symmetrical), false);
                case Xml.ZoneRoute r -> route(zone, r, r.src, r.dst, values.required(r, "gw_src", r.gwSrc),
                        values.required(r, "gw_dst", r.gwDst), symmetrical(r, r.symmetrical), false);
                case Xml.BypassRoute r -> route(zone, r, r.src, r.dst, null, null, false, true);
                case Xml.BypassZoneRoute r -> route(zone, r, r.src, r.dst, values.required(r, "gw_src", r.gwSrc),
                        values.required(r, "gw_dst", r.gwDst), false, true);
                default -> throw values.at(n, "unexpected element <" + n.tag() + "> in <zone>");
            }
        }
        seal(zone, z);
        return zone;
    }

    private void noMixing(Zone zone, boolean hasMembers, Xml.Node n) {
        if (hasMembers || (zone.recursive && (n instanceof Xml.Host || n instanceof Xml.Router))) {
            throw values.at(n, "zone '" + zone.name + "' mixes hosts/routers with sub-zones: a zone holds either"
                    + " hosts, routers and links, or sub-zones and links (SimGrid's DTD)");
        }
    }

    private void register(Zone zone, Zone parent, Xml.Node node) {
        claimName(zone.name, node);
        if (parent == null) {
            root = zone;
            zone.netpoint = new NetPoint(zone.name, NetPoint.Kind.ZONE, null, 0, null, zone, zone.location);
        } else {
            zone.netpoint = parent.addVertex(zone.name, NetPoint.Kind.ZONE, null, zone, zone.location);
        }
        netpoints.put(zone.name, zone.netpoint);
        zoneNames.add(zone.name);
        allZones.add(zone);
    }

    private void seal(Zone zone, Xml.Node node) {
        try {
            zone.seal(zone instanceof StarZone || zone instanceof EmptyZone || zone.recursive ? null : loopback());
        } catch (RoutingError e) {
            throw values.at(node, e.getMessage());
        }
    }

    private Link loopback() {
        if (loopback == null) {
            double bw = config.containsKey("network/loopback-bw")
                    ? Double.parseDouble(config.get("network/loopback-bw").strip()) : DEFAULT_LOOPBACK_BANDWIDTH;
            double lat = config.containsKey("network/loopback-lat")
                    ? Double.parseDouble(config.get("network/loopback-lat").strip()) : 0.0;
            loopback = new Link("__loopback__", bw, lat, SharingPolicy.FATPIPE);
        }
        return loopback;
    }

    private void claimName(String name, Xml.Node node) {
        NetPoint existing = netpoints.get(name);
        if (existing != null) {
            throw values.at(node, "duplicate id '" + name + "': already a " + existing.kind.name().toLowerCase(Locale.ROOT)
                    + " declared at " + existing.location);
        }
    }

    private void host(Xml.Host h, Zone zone) {
        String id = values.required(h, "id", h.id);
        List<Double> speeds = values.speeds(h, values.required(h, "speed", h.speed), "speed of host " + id);
        int cores = h.core == null ? 1 : values.positiveInt(h, h.core, "core");
        if (h.pstate != null) {
            int pstate = values.cInt(h, h.pstate, "pstate");
            if (pstate != 0) {
                throw values.at(h, "pstate=\"" + h.pstate + "\": simterpose only starts hosts in power state 0");
            }
        }
        Map<String, String> props = values.props(h.props);
        claimIp(h.props);
        claimName(id, h);
        Host host = new Host(id, speeds, cores, props);
        addHost(zone, host, values.loc(h));
    }

    /** Adds a host whose name the caller has checked is free. */
    private NetPoint addHost(Zone zone, Host host, Location where) {
        NetPoint point = zone.addVertex(host.name(), NetPoint.Kind.HOST, host, null, where);
        point.hostIndex = hosts.size();
        netpoints.put(host.name(), point);
        hosts.add(host);
        return point;
    }

    private void router(Xml.Router r, Zone zone) {
        String id = values.required(r, "id", r.id);
        claimName(id, r);
        addRouter(zone, id, values.loc(r));
    }

    private NetPoint addRouter(Zone zone, String id, Location where) {
        NetPoint point = zone.addVertex(id, NetPoint.Kind.ROUTER, null, null, where);
        netpoints.put(id, point);
        routerNames.add(id);
        return point;
    }

    private void link(Xml.Link l) {
        String id = values.required(l, "id", l.id);
        String bwText = values.required(l, "bandwidth", l.bandwidth);
        if (bwText.contains(";") || bwText.contains(",")) {
            throw values.at(l, "link '" + id + "' has several bandwidths: only WIFI links do, and simterpose does not support them");
        }
        double bw = values.positive(l, values.bandwidth(l, bwText, "bandwidth of link " + id), "bandwidth of link " + id);
        double lat = l.latency == null ? 0.0 : values.nonNegative(l, values.time(l, l.latency, "latency of link " + id), "latency of link " + id);
        String policy = l.sharingPolicy == null ? "SHARED" : l.sharingPolicy;
        values.props(l.props);
        switch (policy) {
            case "SHARED" -> addLink(l, new Link(id, bw, lat, SharingPolicy.SHARED));
            case "FATPIPE" -> addLink(l, new Link(id, bw, lat, SharingPolicy.FATPIPE));
            case "SPLITDUPLEX", "FULLDUPLEX" -> {
                if (splitDuplex.containsKey(id) || links.containsKey(id)) {
                    throw values.at(l, "duplicate link id '" + id + "'");
                }
                Link up = new Link(id + "_UP", bw, lat, SharingPolicy.SHARED);
                Link down = new Link(id + "_DOWN", bw, lat, SharingPolicy.SHARED);
                addLink(l, up);
                addLink(l, down);
                splitDuplex.put(id, new Link[] {up, down});
            }
            case "WIFI" -> throw values.at(l, "sharing_policy=\"WIFI\" (link '" + id + "') is not supported by simterpose");
            default -> throw values.at(l, "sharing_policy=\"" + policy + "\" (link '" + id + "'): expected SHARED, SPLITDUPLEX or FATPIPE");
        }
    }

    private void addLink(Xml.Node node, Link link) {
        if (links.putIfAbsent(link.name(), link) != null
                || (!splitDuplex.isEmpty() && splitDuplex.containsKey(link.name()))) {
            throw values.at(node, "duplicate link id '" + link.name() + "'");
        }
    }

    private boolean symmetrical(Xml.Node node, String text) {
        if (text == null) {
            return true;
        }
        return switch (text) {
            case "YES", "yes" -> true;
            case "NO", "no" -> false;
            default -> throw values.at(node, "symmetrical=\"" + text + "\": expected YES or NO");
        };
    }

    private void route(Zone zone, Xml.AnyRoute r, String srcName, String dstName, String gwSrcName, String gwDstName,
                       boolean symmetrical, boolean bypass) {
        NetPoint src = point(r, "src", srcName);
        NetPoint dst = point(r, "dst", dstName);
        NetPoint gwSrc = gwSrcName == null ? null : point(r, "gw_src", gwSrcName);
        NetPoint gwDst = gwDstName == null ? null : point(r, "gw_dst", gwDstName);
        List<LinkUse> uses = new ArrayList<>();
        for (Xml.LinkCtn ctn : r.links) {
            values.checkAttributes(ctn);
            uses.add(linkUse(ctn));
        }
        try {
            if (bypass) {
                zone.addBypass(src, dst, gwSrc, gwDst, uses);
            } else {
                zone.addRoute(src, dst, gwSrc, gwDst, uses, symmetrical);
            }
        } catch (RoutingError e) {
            throw values.at(r, "<" + r.tag() + "> in zone '" + zone.name + "': " + e.getMessage());
        }
    }

    private NetPoint point(Xml.Node node, String attribute, String name) {
        values.required(node, attribute, name);
        NetPoint point = netpoints.get(name);
        if (point == null) {
            throw values.at(node, attribute + "='" + name + "' names no host, router or zone declared before this <" + node.tag() + ">");
        }
        return point;
    }

    private LinkUse linkUse(Xml.LinkCtn ctn) {
        String id = values.required(ctn, "id", ctn.id);
        String direction = ctn.direction == null ? "NONE" : ctn.direction;
        switch (direction) {
            case "NONE" -> {
                Link link = links.get(id);
                if (link == null) {
                    if (splitDuplex.containsKey(id)) {
                        throw values.at(ctn, "SPLITDUPLEX link '" + id + "' used without a direction: expected direction=\"UP\" or \"DOWN\"");
                    }
                    throw values.at(ctn, "no such link: '" + id + "' (links must be declared before the routes that use them)");
                }
                return new LinkUse(id, link, link, false, LinkUse.Direction.NONE);
            }
            case "UP", "DOWN" -> {
                Link[] halves = splitDuplex.get(id);
                if (halves == null) {
                    throw values.at(ctn, "no such SPLITDUPLEX link: '" + id + "' (direction=\"" + direction
                            + "\" needs a link declared with sharing_policy=\"SPLITDUPLEX\")");
                }
                return new LinkUse(id, halves[0], halves[1], true,
                        direction.equals("UP") ? LinkUse.Direction.UP : LinkUse.Direction.DOWN);
            }
            default -> throw values.at(ctn, "direction=\"" + direction + "\": expected UP, DOWN or NONE");
        }
    }

    // ---- clusters ----

    private void cluster(Xml.Cluster c, Zone parent) {
        String id = values.required(c, "id", c.id);
        String prefix = values.required(c, "prefix", c.prefix);
        String suffix = values.required(c, "suffix", c.suffix);
        List<Integer> radicals = radicals(c, values.required(c, "radical", c.radical));
        List<Double> speeds = values.speeds(c, values.required(c, "speed", c.speed), "speed of cluster " + id);
        int cores = c.core == null ? 1 : values.positiveInt(c, c.core, "core");
        double bw = values.positive(c, values.bandwidth(c, values.required(c, "bw", c.bw), "bw of cluster " + id), "bw of cluster " + id);
        double lat = values.nonNegative(c, values.time(c, values.required(c, "lat", c.lat), "lat of cluster " + id), "lat of cluster " + id);
        double bbBw = XmlValues.empty(c.bbBw) ? 0 : values.nonNegative(c, values.bandwidth(c, c.bbBw, "bb_bw of cluster " + id), "bb_bw");
        double bbLat = c.bbLat == null || c.bbLat.isEmpty() ? 0 : values.nonNegative(c, values.time(c, c.bbLat, "bb_lat of cluster " + id), "bb_lat");
        double limiter = XmlValues.empty(c.limiterLink) ? 0 : values.nonNegative(c, values.bandwidth(c, c.limiterLink, "limiter_link of cluster " + id), "limiter_link");
        double loopBw = XmlValues.empty(c.loopbackBw) ? 0 : values.nonNegative(c, values.bandwidth(c, c.loopbackBw, "loopback_bw of cluster " + id), "loopback_bw");
        double loopLat = XmlValues.empty(c.loopbackLat) ? 0 : values.nonNegative(c, values.time(c, c.loopbackLat, "loopback_lat of cluster " + id), "loopback_lat");
        String topology = c.topology == null ? "FLAT" : c.topology;
        switch (topology) {
            case "FLAT" -> {}
            case "TORUS", "FAT_TREE", "DRAGONFLY" -> throw values.at(c, "unsupported topology=\"" + topology + "\" in cluster '" + id
                    + "': simterpose implements FLAT clusters only");
            default -> throw values.at(c, "topology=\"" + topology + "\": expected FLAT, TORUS, FAT_TREE or DRAGONFLY");
        }
        String policy = c.sharingPolicy == null ? "SPLITDUPLEX" : c.sharingPolicy;
        boolean split = switch (policy) {
            case "SPLITDUPLEX", "FULLDUPLEX" -> true;
            case "SHARED", "FATPIPE" -> false;
            default -> throw values.at(c, "sharing_policy=\"" + policy + "\": expected SHARED, SPLITDUPLEX or FATPIPE");
        };
        String bbPolicy = c.bbSharingPolicy == null ? "SHARED" : c.bbSharingPolicy;
        SharingPolicy backbonePolicy = switch (bbPolicy) {
            case "SHARED" -> SharingPolicy.SHARED;
            case "FATPIPE" -> SharingPolicy.FATPIPE;
            default -> throw values.at(c, "bb_sharing_policy=\"" + bbPolicy + "\": expected SHARED or FATPIPE");
        };
        if (bbLat > 0 && bbBw <= 0) {
            throw values.at(c, "cluster '" + id + "' has bb_lat but no bb_bw: a backbone needs a positive bandwidth");
        }
        if (loopLat > 0 && loopBw <= 0) {
            throw values.at(c, "cluster '" + id + "' has loopback_lat but no loopback_bw: a loopback needs a positive bandwidth");
        }
        Map<String, String> props = values.props(c.props);
        for (Xml.Prop p : c.props) {
            if ("ip".equals(p.id) && radicals.size() > 1) {
                throw values.at(p, "an ip prop on a cluster of " + radicals.size() + " hosts would give them all one address: "
                        + "give each host its own (separate <host> elements) or none (addresses are assigned)");
            }
        }
        claimIp(c.props);

        StarZone zone = new StarZone(id, parent, values.loc(c));
        register(zone, parent, c);
        Location where = values.loc(c);
        int linksPerHost = (split ? 2 : 1) + (limiter > 0 ? 1 : 0) + (loopBw > 0 || loopLat > 0 ? 1 : 0);
        reserve(radicals.size(), radicals.size() * linksPerHost);
        zone.reserve(radicals.size() + 1);
        Link backbone = null;
        if (bbBw > 0 || bbLat > 0) {
            backbone = new Link(id + "_backbone", bbBw, bbLat, backbonePolicy);
            addLink(c, backbone);
        }
        // One immutable copy shared by every host (Host's own copyOf then keeps it as is).
        List<Double> hostSpeeds = List.copyOf(speeds);
        Map<String, String> hostProps = Map.copyOf(props);
        for (int i : radicals) {
            String hostId = prefix + i + suffix;
            claimName(hostId, c);
            NetPoint point = addHost(zone, new Host(hostId, hostSpeeds, cores, hostProps), where);
            String linkId = id + "_link_" + i;
            if (loopBw > 0 || loopLat > 0) {
                Link loop = new Link(linkId + "_loopback", loopBw, loopLat, SharingPolicy.FATPIPE);
                addLink(c, loop);
                zone.setLoopback(point, new Link[] {loop});
            }
            Link limiterLink = null;
            if (limiter > 0) {
                limiterLink = new Link(linkId + "_limiter", limiter, 0, SharingPolicy.SHARED);
                addLink(c, limiterLink);
            }
            Link up;
            Link down;
            if (split) {
                up = new Link(linkId + "_UP", bw, lat, SharingPolicy.SHARED);
                down = new Link(linkId + "_DOWN", bw, lat, SharingPolicy.SHARED);
                addLink(c, up);
                addLink(c, down);
            } else {
                // SimGrid 3.32 creates the private link of a non-split cluster as a plain (SHARED) link,
                // even when sharing_policy="FATPIPE".
                up = new Link(linkId, bw, lat, SharingPolicy.SHARED);
                down = up;
                addLink(c, up);
            }
            // up: [limiter] private-up [backbone]; down: [backbone] private-down [limiter]
            int n = 1 + (limiterLink != null ? 1 : 0) + (backbone != null ? 1 : 0);
            Link[] upLinks = new Link[n];
            Link[] downLinks = new Link[n];
            int k = 0;
            if (limiterLink != null) {
                upLinks[k] = limiterLink;
                downLinks[n - 1 - k] = limiterLink;
                k++;
            }
            upLinks[k] = up;
            downLinks[n - 1 - k] = down;
            k++;
            if (backbone != null) {
                upLinks[k] = backbone;
                downLinks[n - 1 - k] = backbone;
            }
            zone.setStar(point, upLinks, downLinks);
        }
        String routerId = XmlValues.empty(c.routerId) ? prefix + id + "_router" + suffix : c.routerId;
        claimName(routerId, c);
        NetPoint router = addRouter(zone, routerId, where);
        zone.setStar(router, new Link[0], new Link[0]);
        seal(zone, c);
    }

    /** Grows the name maps once before adding many hosts and links (instead of doubling repeatedly). */
    private void reserve(int moreHosts, int moreLinks) {
        if (moreHosts > 1024) {
            Map<String, NetPoint> grownPoints = HashMap.newHashMap(netpoints.size() + moreHosts + 16);
            grownPoints.putAll(netpoints);
            netpoints = grownPoints;
            hosts.ensureCapacity(hosts.size() + moreHosts);
        }
        if (moreLinks > 1024) {
            Map<String, Link> grownLinks = LinkedHashMap.newLinkedHashMap(links.size() + moreLinks + 16);
            grownLinks.putAll(links);
            links = grownLinks;
        }
    }

    private List<Integer> radicals(Xml.Node node, String text) {
        List<Integer> result = new ArrayList<>();
        for (String group : text.split(",", -1)) {
            String[] ends = group.split("-", -1);
            if (ends.length > 2) {
                throw values.at(node, "malformed radical '" + group + "' in radical=\"" + text + "\": expected N or N-M, comma-separated");
            }
            int start = values.cInt(node, ends[0], "radical");
            int end = ends.length == 2 ? values.cInt(node, ends[1], "radical") : start;
            if ((long) result.size() + Math.max(0L, (long) end - start + 1) > MAX_CLUSTER_HOSTS) {
                throw values.at(node, "radical=\"" + text + "\" makes more than " + MAX_CLUSTER_HOSTS + " hosts");
            }
            for (int i = start; i <= end; i++) {
                result.add(i);
                if (i == Integer.MAX_VALUE) {
                    break;
                }
            }
        }
        return result;
    }

    // ---- all pairs ----

    /**
     * Every host pair must have a route. Hosts of one flat cluster are interchangeable for routes
     * leaving it, so one stands for all of them; the pairs of representatives are then checked
     * (unless there are too many of them, e.g. thousands of hosts in Full zones).
     */
    private void checkAllPairsRouted(ParsedPlatform platform) {
        List<NetPoint> representatives = new ArrayList<>();
        for (Zone zone : allZones) {
            if (zone instanceof StarZone star) {
                NetPoint missing = star.firstUnrouted();
                if (missing != null) {
                    throw zone.location.error("no route to or from '" + missing.name + "' in zone '" + zone.name
                            + "' (routing=\"Cluster\" zones only route the hosts of a <cluster>)");
                }
                for (NetPoint p : zone.vertices) {
                    if (p.kind == NetPoint.Kind.HOST) {
                        representatives.add(p);
                        break;
                    }
                }
            } else {
                for (NetPoint p : zone.vertices) {
                    if (p.kind == NetPoint.Kind.HOST) {
                        representatives.add(p);
                    }
                }
            }
        }
        if (representatives.size() > MAX_CHECKED_REPRESENTATIVES) {
            return;
        }
        for (NetPoint s : representatives) {
            for (NetPoint d : representatives) {
                try {
                    ParsedPlatform.compute(s, d);
                } catch (PlatformException e) {
                    // SimGrid loads such a platform (a CPU-only one has no links at all) and fails
                    // only a communication that needs the route: so does the simulated kernel (ENETUNREACH).
                    platform.markMissingRoute(Zone.common(s, d).location + ": missing route: " + e.problem());
                    return;
                } catch (StackOverflowError e) {
                    throw Zone.common(s, d).location.error("routes from '" + s.name + "' to '"
                            + d.name + "' loop through gateways forever");
                }
            }
        }
        platform.markAllPairsRouted();
    }

    /**
     * A host's {@code ip} prop: a dotted quad that is not the any, loopback, multicast or
     * broadcast range, and no other host's (the simulated kernel's address table relies on it).
     */
    private void claimIp(List<Xml.Prop> props) {
        for (Xml.Prop p : props) {
            if (!"ip".equals(p.id)) {
                continue;
            }
            if (!IPV4.matcher(p.value).matches()) {
                throw values.at(p, "ip '" + p.value + "' is not an IPv4 address (expected a.b.c.d, decimal, no leading zeros or spaces)");
            }
            int ip = 0;
            for (String octet : p.value.split("\\.")) {
                ip = ip << 8 | Integer.parseInt(octet);
            }
            if (ip == 0 || (ip >>> 24) == 127 || (ip >>> 28) >= 14) {
                throw values.at(p, "ip '" + p.value + "' is reserved (any, loopback, multicast or broadcast)");
            }
            Location first = ipOwners.putIfAbsent(ip, values.loc(p));
            if (first != null) {
                throw values.at(p, "ip " + p.value + " is already the address of the host at " + first);
            }
        }
    }
}
