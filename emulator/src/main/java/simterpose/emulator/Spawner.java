package simterpose.emulator;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one platform thread that starts every process of an emulation (namespace keepers, the
 * {@code ip} configuration, the actors). Each of them is started under
 * {@code setpriv --pdeathsig KILL}, and Linux sends a parent-death signal when the <em>thread</em>
 * that created the child ends: so they are all created by this thread, which lives until the
 * emulation's end, and all receive SIGKILL if the JVM dies, SIGKILL included.
 *
 * <p>The processes are not traced, so {@link ProcessBuilder} (and the JDK's reaper) is fine here.
 */
final class Spawner implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("emulate-spawner").daemon(true).factory());

    /** Starts {@code builder} on the spawner thread. */
    Process start(ProcessBuilder builder) throws IOException {
        Future<Process> started = thread.submit(builder::start);
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.cancel(false);
            throw new IOException("interrupted while starting " + builder.command().getFirst());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Ends the thread: only once every process it started is gone (their parent-death signal fires then). */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
