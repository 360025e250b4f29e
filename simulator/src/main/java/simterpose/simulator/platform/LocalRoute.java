package simterpose.simulator.platform;

import java.util.List;

/**
 * A route inside one zone: links in order, plus the gateways when it joins two sub-zones
 * (both null between hosts/routers).
 */
record LocalRoute(List<Link> links, NetPoint gwSrc, NetPoint gwDst) {}
