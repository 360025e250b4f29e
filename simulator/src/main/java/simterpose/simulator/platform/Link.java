package simterpose.simulator.platform;

/**
 * A network link after parsing (units normalised).
 *
 * @param name      link id ({@code id_UP}/{@code id_DOWN} for the halves of a SPLITDUPLEX link)
 * @param bandwidth bytes per second
 * @param latency   seconds
 * @param sharing   SHARED or FATPIPE
 */
public record Link(String name, double bandwidth, double latency, SharingPolicy sharing) {}
