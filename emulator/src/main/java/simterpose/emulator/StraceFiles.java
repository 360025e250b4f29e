package simterpose.emulator;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * The logs of {@code emulate --strace=DIR}, named as {@code run --strace} names its own:
 * {@code DIR/<host>.<actor>.<pid>.strace}. Real strace's {@code -ff -o DIR/<host>.<actor>} writes
 * {@code DIR/<host>.<actor>.<pid>} (one file per thread, pids as the host's PID namespace numbers
 * them); the suffix is added once the actors are gone.
 */
final class StraceFiles {
    private StraceFiles() {}

    /** The {@code -o} prefix of an actor's logs; names keep letters, digits, '.', '-' and '_' (as run's). */
    static Path prefix(Path dir, String host, String actor) {
        return dir.resolve(safe(host) + "." + safe(actor));
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Removes an earlier run's logs of this prefix (they would mix with this run's). */
    static void clear(Path prefix) throws IOException {
        forEachLog(prefix, Pattern.compile("\\d+(\\.strace)?"), Files::delete);
    }

    /** {@code PREFIX.<pid>} becomes {@code PREFIX.<pid>.strace}. */
    static void addSuffix(Path prefix) throws IOException {
        forEachLog(prefix, Pattern.compile("\\d+"),
                log -> Files.move(log, log.resolveSibling(log.getFileName() + ".strace"), StandardCopyOption.REPLACE_EXISTING));
    }

    private interface LogAction {
        void apply(Path log) throws IOException;
    }

    private static void forEachLog(Path prefix, Pattern tail, LogAction action) throws IOException {
        String head = prefix.getFileName() + ".";
        if (!Files.isDirectory(prefix.getParent())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix.getParent())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(head) && tail.matcher(name.substring(head.length())).matches()) {
                    action.apply(f);
                }
            }
        }
    }
}
