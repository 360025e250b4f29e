package simterpose.emulator;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an emulated link's queue orders and drops the packets that wait for its medium
 * ({@code emulate --link-queue}); {@link LinkQueues} implements both.
 */
public enum LinkQueueDiscipline {
    /**
     * One FIFO at each end of a link; a packet that finds the end's buffer full is dropped. What a
     * router port without a queueing discipline does: flows racing for the link get what their
     * congestion controls win, which may be far from equal shares.
     */
    DROP_TAIL("drop-tail"),
    /**
     * Per-flow fair queueing: each flow (addresses, protocol, ports) has its own FIFO and the
     * medium serves the flows that wait, at both ends of a SHARED link together, by deficit round
     * robin; a full buffer drops from the flow with the most bytes waiting. Equal service for the
     * flows that keep a backlog: max-min sharing, SimGrid's meaning of a SHARED link, with equal
     * weights (whatever the flows' round trips, which the models' TCP weighting does not ignore).
     */
    FAIR("fair");

    private final String optionValue;

    LinkQueueDiscipline(String optionValue) {
        this.optionValue = optionValue;
    }

    /** Its name on the command line. */
    public String optionValue() {
        return optionValue;
    }

    /** The discipline named {@code text} on the command line, if any. */
    public static Optional<LinkQueueDiscipline> named(String text) {
        return Arrays.stream(values()).filter(d -> d.optionValue.equals(text)).findFirst();
    }
}
