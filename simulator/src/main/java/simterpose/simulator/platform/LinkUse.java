package simterpose.simulator.platform;

/**
 * A {@code <link_ctn>}: a declared link and the direction it is crossed in. For a SPLITDUPLEX
 * link {@code up}/{@code down} are its two halves; otherwise both are the link itself.
 */
record LinkUse(String name, Link up, Link down, boolean splitDuplex, Direction direction) {
    enum Direction { NONE, UP, DOWN }

    /** The half crossed going forward, or backward on the reverse of a symmetrical route. */
    Link resolve(boolean backRoute) throws RoutingError {
        if (!splitDuplex) {
            return up;
        }
        return switch (direction) {
            case UP -> backRoute ? down : up;
            case DOWN -> backRoute ? up : down;
            case NONE -> throw new RoutingError("SPLITDUPLEX link '" + name
                    + "' used without a direction: expected <link_ctn id=\"" + name + "\" direction=\"UP\"/> or \"DOWN\"");
        };
    }
}
