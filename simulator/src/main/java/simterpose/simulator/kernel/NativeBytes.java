package simterpose.simulator.kernel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload bytes in C heap memory (malloc), outside the Java heap and outside the JDK's direct
 * memory limit: socket buffers of a thousand connections can hold more than the tool's heap.
 * A block has holders: the queue it was written into, and each observer it is lent to
 * ({@link #lend}, see {@link LentBytes}); the last {@link #release} returns the memory at once.
 * A block dropped without it is freed by a cleaner once unreachable, so a socket discarded with
 * unread bytes does not leak. Thread-safe: lent and released on the engine's thread, released
 * by a borrower on its own.
 */
final class NativeBytes {
    private static final Linker LINKER = Linker.nativeLinker();
    /**
     * malloc, whose result is typed as a pointer to the largest possible block: a slice of it
     * is then the block, where {@code reinterpret} would check the caller's native access on
     * every call (a stack walk, a tenth of the cost of allocating a chunk).
     */
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE)),
                    ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    private static final Cleaner CLEANER = Cleaner.create();

    /** The block's bytes; valid until the last {@link #release}. */
    final MemorySegment segment;
    /** The address to free, 0 once freed: shared with the cleaner, which must not hold this object. */
    private final AtomicLong address;
    /** The cleaner's registration, dropped at the last {@link #release} so the GC and the cleaner thread have no more work with it. */
    private final Cleaner.Cleanable cleanable;
    /** Who still reads the block: its queue, and each borrower that has not released it. */
    private final AtomicInteger holders = new AtomicInteger(1);

    NativeBytes(long size) {
        MemorySegment block;
        try {
            block = (MemorySegment) MALLOC.invokeExact(size);
        } catch (Throwable e) {
            throw new IllegalStateException("malloc failed", e);
        }
        if (block.address() == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") failed");
        }
        segment = block.asSlice(0, size);
        address = new AtomicLong(block.address());
        AtomicLong toFree = address;
        cleanable = CLEANER.register(this, () -> release(toFree));
    }

    /** One more holder (by one that holds it already): the block outlives its queue until the borrower releases it. */
    void lend() {
        holders.incrementAndGet();
    }

    /** A holder is done with the block; the last one frees it. */
    void release() {
        if (holders.decrementAndGet() == 0) {
            cleanable.clean(); // frees once, and unregisters
        }
    }

    /** Whether the memory was given back (for tests). */
    boolean freed() {
        return address.get() == 0;
    }

    private static void release(AtomicLong address) {
        long a = address.getAndSet(0);
        if (a != 0) {
            try {
                FREE.invokeExact(MemorySegment.ofAddress(a));
            } catch (Throwable e) {
                throw new IllegalStateException("free failed", e);
            }
        }
    }
}
