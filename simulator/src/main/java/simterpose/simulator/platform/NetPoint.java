package simterpose.simulator.platform;

/**
 * A routing vertex: a host, a router, or a zone seen from its parent zone. Immutable once its
 * zone is built.
 */
final class NetPoint {
    enum Kind { HOST, ROUTER, ZONE }

    final String name;
    final Kind kind;
    /** The zone this point is a vertex of (for a ZONE point: the parent zone); null for the root zone. */
    final Zone englobing;
    /** Index among {@code englobing}'s vertices. */
    final int id;
    /** For HOST points. */
    final Host host;
    /** For HOST points: position in the platform's host list (the route cache key); else -1. */
    int hostIndex = -1;
    /** For ZONE points: the zone itself. */
    final Zone zone;
    final Location location;

    NetPoint(String name, Kind kind, Zone englobing, int id, Host host, Zone zone, Location location) {
        this.name = name;
        this.kind = kind;
        this.englobing = englobing;
        this.id = id;
        this.host = host;
        this.zone = zone;
        this.location = location;
    }

    boolean isZone() {
        return kind == Kind.ZONE;
    }

    @Override
    public String toString() {
        return name;
    }
}
