package simterpose.simulator.kernel;

import java.util.function.Function;
import simterpose.simulator.engine.Signal;

/**
 * What a kernel operation answers, as data (Shadow's handler results): it is done, it failed
 * with an errno, or it must wait.
 *
 * <p>{@link Block} behaves as a Linux wait queue: the caller waits until {@link Block#on()}
 * fires (or {@link Block#timeout()} seconds pass, when ≥ 0), then calls the <em>same</em>
 * operation again, which answers anew. Wake-ups may be spurious: the second call may block
 * again. A non-blocking socket (O_NONBLOCK or MSG_DONTWAIT) never blocks.
 *
 * @param <T> the value of a successful call
 */
public sealed interface SysResult<T> permits SysResult.Done, SysResult.Errno, SysResult.Block {

    /** The call succeeded with {@code value} (a count, a byte array read, an address, a new file…). */
    record Done<T>(T value) implements SysResult<T> {}

    /**
     * The call failed with {@code errno} (a positive {@link simterpose.bindings.Errno} value).
     *
     * @param raiseSigpipe the caller must also raise SIGPIPE on the calling thread (a write on a
     *                     broken stream without MSG_NOSIGNAL; the caller knows whether SIGPIPE is
     *                     ignored)
     */
    record Errno<T>(int errno, boolean raiseSigpipe) implements SysResult<T> {
        public Errno {
            if (errno <= 0) {
                throw new IllegalArgumentException("errno must be positive: " + errno);
            }
        }
    }

    /**
     * Wait on {@code on}, then call the same operation again.
     *
     * @param timeout      seconds the call may wait in all (SO_RCVTIMEO / SO_SNDTIMEO), negative for
     *                     none; measured from the first attempt, so a caller re-calling after a
     *                     spurious wake-up keeps its first deadline
     * @param timeoutErrno what the call returns when the timeout expires with no progress
     *                     (EAGAIN, or EINPROGRESS for connect)
     * @param progress     bytes this call already took (a blocking send larger than the free
     *                     send-buffer space takes what fits): call again with the bytes after
     *                     these and add them to the final count; if the wait ends by timeout or
     *                     signal, or a later call fails, the call returns the bytes taken so far
     *                     when positive, as Linux does
     */
    record Block<T>(Signal on, double timeout, int timeoutErrno, long progress) implements SysResult<T> {}

    static <T> SysResult<T> done(T value) {
        return new Done<>(value);
    }

    static <T> SysResult<T> errno(int errno) {
        return new Errno<>(errno, false);
    }

    /**
     * The same answer with a {@link Done}'s value mapped by {@code f}; an {@link Errno} (with its
     * SIGPIPE request) and a {@link Block} (with its progress) carry over unchanged. The one
     * place a result changes its value type.
     */
    default <U> SysResult<U> map(Function<? super T, ? extends U> f) {
        return then(v -> new Done<>(f.apply(v)));
    }

    /** As {@link #map}, with a next step that may itself fail or block. */
    default <U> SysResult<U> then(Function<? super T, SysResult<U>> next) {
        return switch (this) {
            case Done<T>(T v) -> next.apply(v);
            case Errno<T> e -> new Errno<>(e.errno(), e.raiseSigpipe());
            case Block<T> b -> new Block<>(b.on(), b.timeout(), b.timeoutErrno(), b.progress());
        };
    }

    /** Unwraps a {@link Done} (for callers that checked); anything else is a bug in the caller. */
    default T value() {
        if (this instanceof Done<T>(T v)) {
            return v;
        }
        throw new IllegalStateException("not done: " + this);
    }
}
