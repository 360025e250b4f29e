package simterpose.simulator.platform;

/** A routing rule broken while building or querying zones; the caller attaches the location. */
final class RoutingError extends Exception {
    RoutingError(String message) {
        super(message, null, false, false);
    }
}
