package simterpose.emulator;

import java.nio.file.Path;

/**
 * What {@code simterpose emulate} was asked for.
 *
 * @param outputDirectory each actor's stdout and stderr (as under {@code run}) and {@code etc/}
 * @param straceDirectory when not null, every actor runs under {@code strace -f -ttt -T}: one log per process there
 */
public record EmulateOptions(Path outputDirectory, Path straceDirectory) {}
