package simterpose.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buffered UTF-8 {@link Writer} over a byte stream, for {@code trace} and {@code memtrace}
 * lines: each string is encoded once into a 64 KiB byte buffer. A BufferedWriter over an
 * OutputStreamWriter copies every string into chars and runs the charset encoder on them
 * again at each flush, a tenth of trace's Java time per stop (perf). Same bytes: unpaired
 * surrogates become {@code ?}, as with the encoder. Every method takes one lock (the -o ticker
 * and the Ctrl-C hook flush from other threads): a ReentrantLock, whose uncontended path stays
 * in Java code, where the monitor the ticker once contended went through the VM on each line (perf).
 */
final class Utf8Output extends Writer {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int used;
    private final ReentrantLock mutex = new ReentrantLock();

    Utf8Output(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(String s) throws IOException {
        mutex.lock();
        try {
            put(s.getBytes(StandardCharsets.UTF_8));
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        mutex.lock();
        try {
            put(s.substring(off, off + len).getBytes(StandardCharsets.UTF_8));
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        mutex.lock();
        try {
            put(new String(chars, off, len).getBytes(StandardCharsets.UTF_8));
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void write(int c) throws IOException {
        mutex.lock();
        try {
            if (c < 0x80) {
                if (used == buffer.length) {
                    drain();
                }
                buffer[used++] = (byte) c;
            } else {
                put(String.valueOf((char) c).getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            mutex.unlock();
        }
    }

    private void put(byte[] bytes) throws IOException {
        if (bytes.length > buffer.length - used) {
            drain();
            if (bytes.length > buffer.length) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, used, bytes.length);
        used += bytes.length;
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        mutex.lock();
        try {
            drain();
            out.flush();
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        mutex.lock();
        try {
            try {
                drain();
            } finally {
                out.close();
            }
        } finally {
            mutex.unlock();
        }
    }
}
