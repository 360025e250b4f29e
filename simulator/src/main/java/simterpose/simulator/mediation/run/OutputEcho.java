package simterpose.simulator.mediation.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.mediation.tracee.DeployedActor;

/**
 * {@code RunOptions.echoOutput()}: follows the actors' stdout/stderr files and copies each
 * complete line to the terminal as {@code [actor@host] line} (stderr lines to stderr).
 *
 * <p>Threading: one daemon platform thread of its own reads the files; {@link #close} stops it
 * and copies what is left, including a last line without its newline.
 */
final class OutputEcho implements AutoCloseable {
    private record Source(Path file, String prefix, PrintStream to, StringBuilder partial, long[] offset) {}

    private final List<Source> sources = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    OutputEcho(List<DeployedActor> actors) {
        for (DeployedActor d : actors) {
            String prefix = "[" + d.name + "@" + d.host.name() + "] ";
            sources.add(new Source(d.stdout, prefix, System.out, new StringBuilder(), new long[1]));
            sources.add(new Source(d.stderr, prefix, System.err, new StringBuilder(), new long[1]));
        }
        thread = Thread.ofPlatform().daemon().name("simterpose-echo").start(this::follow);
    }

    private void follow() {
        while (running) {
            pump(false);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void pump(boolean last) {
        for (Source s : sources) {
            try {
                if (!Files.exists(s.file()) || Files.size(s.file()) <= s.offset()[0]) {
                    if (last && !s.partial().isEmpty()) {
                        s.to().println(s.prefix() + s.partial());
                        s.partial().setLength(0);
                    }
                    continue;
                }
                try (RandomAccessFile f = new RandomAccessFile(s.file().toFile(), "r")) {
                    f.seek(s.offset()[0]);
                    byte[] b = new byte[(int) Math.min(1 << 20, f.length() - s.offset()[0])];
                    int n = f.read(b);
                    if (n <= 0) {
                        continue;
                    }
                    s.offset()[0] += n;
                    s.partial().append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
                int nl;
                while ((nl = s.partial().indexOf("\n")) >= 0) {
                    s.to().println(s.prefix() + s.partial().substring(0, nl));
                    s.partial().delete(0, nl + 1);
                }
                if (last && !s.partial().isEmpty()) {
                    s.to().println(s.prefix() + s.partial());
                    s.partial().setLength(0);
                }
            } catch (IOException e) {
                // a file that vanished or cannot be read: nothing to echo
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pump(true);
    }
}
