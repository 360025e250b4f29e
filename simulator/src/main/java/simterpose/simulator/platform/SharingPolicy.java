package simterpose.simulator.platform;

/**
 * How flows crossing a link share it. A SPLITDUPLEX link of the XML is expanded at parse time
 * into two SHARED links named {@code id_UP} and {@code id_DOWN}, so it never appears here.
 */
public enum SharingPolicy {
    /** Flows share the bandwidth: the sum of their rates is at most the capacity. */
    SHARED,
    /** Each flow may use the whole bandwidth: the largest rate is at most the capacity. */
    FATPIPE
}
