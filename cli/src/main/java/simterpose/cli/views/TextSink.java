package simterpose.cli.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The text writers' output (strace logs, Paje, Chrome traces): a {@link Writer} whose I/O errors
 * are unchecked, since a view written as the run goes has no caller to hand them back to.
 */
final class TextSink implements AutoCloseable {
    private final Writer out;

    TextSink(Writer out) {
        this.out = out;
    }

    void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flushes, then closes. */
    @Override
    public void close() {
        flush();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
