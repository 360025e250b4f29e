package simterpose.bindings;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

/**
 * Calls of libc functions whose errno does not matter (posix_spawn and its set-up, strerror)
 * through ONE downcall handle that takes the function's address, the one {@link LibC} makes its
 * system calls through (a seventh argument, 0, goes on the stack; errno is captured and
 * ignored). Start-up: each downcall
 * handle is generated code (2-4 ms of a traced {@code true}'s start, one jextract handle per
 * function), and these are called a few times per run, not per stop.
 *
 * <p>Why one shape fits them all, on x86_64 (System V ABI): integer and pointer arguments
 * travel in the same six registers whatever the prototype says, a callee ignores the registers
 * it does not declare, and an int (or pointer) result is the low half (or all) of rax. So
 * {@code long f(six longs)} calls any such function of at most six integer or pointer
 * arguments: pass pointers as their addresses, ints and shorts as longs, and cast an int
 * result with {@code (int)}. Not for variadic functions, floating point or struct arguments.
 */
public final class CCall {
    private CCall() {}

    private static final Linker LINKER = Linker.nativeLinker();

    /** The address of libc's {@code name}. */
    public static MemorySegment function(String name) {
        return LINKER.defaultLookup().findOrThrow(name);
    }

    /** {@code function(a1, ..., a6)}: give 0 for the arguments it does not take. */
    public static long call(MemorySegment function, long a1, long a2, long a3, long a4, long a5, long a6) {
        return LibC.callFunction(function, a1, a2, a3, a4, a5, a6); // LibC's handle: one for the process
    }

    /**
     * Makes sure the downcall is linked (LibC's class initialization): a start-up may call it
     * from a spare thread.
     */
    public static void link() {
        LibC.link();
    }
}
