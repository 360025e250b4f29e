package simterpose.simulator.platform;

/**
 * A network link after parsing (units normalised).
 *
 * @param name      link id ({@code id_UP}/{@code id_DOWN} for the halves of a SPLITDUPLEX link)
 * @param bandwidth bytes per second
 * @param latency   seconds
 * @param sharing   SHARED or FATPIPE
 */
public record Link(String name, double bandwidth, double latency, SharingPolicy sharing) {
    /** Record equality, with the common case (the same object: one per link in a platform) first. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Link l && name.equals(l.name) && Double.compare(bandwidth, l.bandwidth) == 0
                && Double.compare(latency, l.latency) == 0 && sharing == l.sharing;
    }

    /** The name's hash: equal links have equal names (links key the model's constraint map). */
    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
