package simterpose.cli;

import picocli.CommandLine.Option;
import simterpose.emulator.LinkQueueDiscipline;

/** {@code --link-queue} of {@code emulate} and {@code compare} (a picocli mixin): the emulated links' queue discipline. */
final class LinkQueueOption {
    @Option(names = "--link-queue", paramLabel = "drop-tail|fair", defaultValue = "drop-tail",
            description = "how each emulated link queues the packets that find it busy: drop-tail (a FIFO at each end, "
                    + "the arriving packet dropped when full: flows race for the link as at a plain router port) or fair "
                    + "(a queue per flow, the flows of both ends served in turn by deficit round robin, a full buffer "
                    + "dropping from the longest flow's queue: equal shares whatever the round trips, the max-min sharing "
                    + "run's models predict between flows of equal round trips); default: ${DEFAULT-VALUE}")
    String linkQueue = "drop-tail";

    /** The discipline asked for; a value that names none is a {@link UserError}. */
    LinkQueueDiscipline discipline() {
        return LinkQueueDiscipline.named(linkQueue).orElseThrow(() ->
                new UserError("--link-queue=" + linkQueue + ": expected 'drop-tail' or 'fair'"));
    }
}
