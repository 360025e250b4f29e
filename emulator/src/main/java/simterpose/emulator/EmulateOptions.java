package simterpose.emulator;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code simterpose emulate} was asked for.
 *
 * @param outputDirectory each actor's stdout and stderr (as under {@code run}) and {@code etc/}
 * @param straceDirectory when not null, every actor runs under {@code strace -f -ttt -T}: one log per process there
 * @param linkQueue       how every link's queue orders and drops the packets waiting for it
 */
public record EmulateOptions(Path outputDirectory, Path straceDirectory, LinkQueueDiscipline linkQueue) {
    public EmulateOptions {
        Objects.requireNonNull(linkQueue, "linkQueue");
    }
}
