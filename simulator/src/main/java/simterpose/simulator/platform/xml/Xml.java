package simterpose.simulator.platform.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.namespace.QName;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/**
 * JAXB view of SimGrid's platform/deployment XML (DTD v4.1): one class per element, every
 * attribute kept as the raw string so that the loader can report unit and number errors with
 * SimGrid's rules and the element's position. Elements keep document order in {@code content}
 * lists because order matters (a route may only name links declared before it).
 * Instances are created and filled by one unmarshaller on one thread, then only read.
 */
public final class Xml {
    private Xml() {}

    /** Every element: its position in the file and any attribute the DTD does not know. */
    @XmlTransient
    @XmlAccessorType(XmlAccessType.FIELD)
    public abstract static class Node {
        @XmlLocation
        @XmlTransient
        public Locator locator;

        @XmlAnyAttribute
        public Map<QName, String> unknownAttributes;

        /** The element's tag, for messages. */
        public abstract String tag();

        /** Attribute names this element's class does not declare, in a stable order. */
        public List<String> unknownAttributeNames() {
            if (unknownAttributes == null || unknownAttributes.isEmpty()) {
                return List.of();
            }
            TreeMap<String, String> sorted = new TreeMap<>();
            unknownAttributes.forEach((name, value) -> {
                String ns = name.getNamespaceURI();
                // Namespace declarations and xsi:/xml: attributes are not SimGrid attributes but harmless.
                if (!ns.startsWith("http://www.w3.org/")) {
                    sorted.put(name.getPrefix().isEmpty() ? name.getLocalPart() : name.getPrefix() + ":" + name.getLocalPart(), value);
                }
            });
            return List.copyOf(sorted.keySet());
        }
    }

    @XmlRootElement(name = "platform")
    public static final class Platform extends Node {
        @XmlAttribute public String version;

        @XmlElements({
            @XmlElement(name = "config", type = Config.class),
            @XmlElement(name = "zone", type = Zone.class),
            @XmlElement(name = "AS", type = Zone.class),
            @XmlElement(name = "cluster", type = Cluster.class),
            @XmlElement(name = "actor", type = Actor.class),
            @XmlElement(name = "process", type = Actor.class),
        })
        public List<Node> content = new ArrayList<>();

        @Override public String tag() { return "platform"; }
    }

    public static final class Config extends Node {
        @XmlAttribute public String id;
        @XmlElement(name = "prop") public List<Prop> props = new ArrayList<>();

        @Override public String tag() { return "config"; }
    }

    public static final class Prop extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String value;

        @Override public String tag() { return "prop"; }
    }

    public static final class Zone extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String routing;

        @XmlElements({
            @XmlElement(name = "prop", type = Prop.class),
            @XmlElement(name = "zone", type = Zone.class),
            @XmlElement(name = "AS", type = Zone.class),
            @XmlElement(name = "cluster", type = Cluster.class),
            @XmlElement(name = "host", type = Host.class),
            @XmlElement(name = "router", type = Router.class),
            @XmlElement(name = "link", type = Link.class),
            @XmlElement(name = "route", type = Route.class),
            @XmlElement(name = "zoneRoute", type = ZoneRoute.class),
            @XmlElement(name = "ASroute", type = ZoneRoute.class),
            @XmlElement(name = "bypassRoute", type = BypassRoute.class),
            @XmlElement(name = "bypassZoneRoute", type = BypassZoneRoute.class),
            @XmlElement(name = "bypassASroute", type = BypassZoneRoute.class),
        })
        public List<Node> content = new ArrayList<>();

        @Override public String tag() { return "zone"; }
    }

    public static final class Host extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String speed;
        @XmlAttribute public String core;
        @XmlAttribute public String pstate;
        @XmlAttribute(name = "speed_file") public String speedFile;
        @XmlAttribute(name = "availability_file") public String availabilityFile;
        @XmlAttribute(name = "state_file") public String stateFile;
        @XmlAttribute public String coordinates;
        @XmlElement(name = "prop") public List<Prop> props = new ArrayList<>();

        @Override public String tag() { return "host"; }
    }

    public static final class Router extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String coordinates;

        @Override public String tag() { return "router"; }
    }

    public static final class Link extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String bandwidth;
        @XmlAttribute public String latency;
        @XmlAttribute(name = "sharing_policy") public String sharingPolicy;
        @XmlAttribute(name = "bandwidth_file") public String bandwidthFile;
        @XmlAttribute(name = "latency_file") public String latencyFile;
        @XmlAttribute(name = "state_file") public String stateFile;
        @XmlElement(name = "prop") public List<Prop> props = new ArrayList<>();

        @Override public String tag() { return "link"; }
    }

    public static final class LinkCtn extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String direction;

        @Override public String tag() { return "link_ctn"; }
    }

    /** Shared shape of the four route elements. */
    @XmlTransient
    public abstract static class AnyRoute extends Node {
        @XmlAttribute public String src;
        @XmlAttribute public String dst;
        @XmlElement(name = "link_ctn") public List<LinkCtn> links = new ArrayList<>();
    }

    public static final class Route extends AnyRoute {
        @XmlAttribute public String symmetrical;

        @Override public String tag() { return "route"; }
    }

    public static final class ZoneRoute extends AnyRoute {
        @XmlAttribute(name = "gw_src") public String gwSrc;
        @XmlAttribute(name = "gw_dst") public String gwDst;
        @XmlAttribute public String symmetrical;

        @Override public String tag() { return "zoneRoute"; }
    }

    public static final class BypassRoute extends AnyRoute {
        @Override public String tag() { return "bypassRoute"; }
    }

    public static final class BypassZoneRoute extends AnyRoute {
        @XmlAttribute(name = "gw_src") public String gwSrc;
        @XmlAttribute(name = "gw_dst") public String gwDst;

        @Override public String tag() { return "bypassZoneRoute"; }
    }

    public static final class Cluster extends Node {
        @XmlAttribute public String id;
        @XmlAttribute public String prefix;
        @XmlAttribute public String suffix;
        @XmlAttribute public String radical;
        @XmlAttribute public String speed;
        @XmlAttribute public String core;
        @XmlAttribute public String bw;
        @XmlAttribute public String lat;
        @XmlAttribute(name = "sharing_policy") public String sharingPolicy;
        @XmlAttribute public String topology;
        @XmlAttribute(name = "topo_parameters") public String topoParameters;
        @XmlAttribute(name = "bb_bw") public String bbBw;
        @XmlAttribute(name = "bb_lat") public String bbLat;
        @XmlAttribute(name = "bb_sharing_policy") public String bbSharingPolicy;
        @XmlAttribute(name = "router_id") public String routerId;
        @XmlAttribute(name = "limiter_link") public String limiterLink;
        @XmlAttribute(name = "loopback_bw") public String loopbackBw;
        @XmlAttribute(name = "loopback_lat") public String loopbackLat;
        @XmlElement(name = "prop") public List<Prop> props = new ArrayList<>();

        @Override public String tag() { return "cluster"; }
    }

    public static final class Actor extends Node {
        @XmlAttribute public String host;
        @XmlAttribute public String function;
        @XmlAttribute(name = "start_time") public String startTime;
        @XmlAttribute(name = "kill_time") public String killTime;
        @XmlAttribute(name = "on_failure") public String onFailure;

        @XmlElements({
            @XmlElement(name = "argument", type = Argument.class),
            @XmlElement(name = "prop", type = Prop.class),
        })
        public List<Node> content = new ArrayList<>();

        @Override public String tag() { return "actor"; }
    }

    public static final class Argument extends Node {
        @XmlAttribute public String value;

        @Override public String tag() { return "argument"; }
    }
}
