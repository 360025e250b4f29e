package simterpose.tracer.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;

import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;

/**
 * The "straight-line tracee logic on the owner thread" form, for the benchmark only: an INLINE
 * handler that keeps one {@code jdk.internal.vm.Continuation} per tid (what a virtual thread is
 * built on, without a scheduler or a carrier hand-off) and runs it to its next yield at each
 * stop. The tracee's logic reads as a loop ({@code next()} yields until the next stop). The
 * class is JDK-internal: it needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED},
 * which {@code bin/bench-tracer} passes; without it {@link #available()} is false.
 */
final class ContinuationPerTid implements StopHandler {
    private static final MethodHandle NEW_SCOPE, NEW_CONTINUATION, RUN, YIELD;
    private static final Object SCOPE;

    static {
        MethodHandle scope = null, cont = null, run = null, yield = null;
        Object s = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup(); // the export is to the unnamed module only
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class));
            cont = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class));
            run = l.findVirtual(contClass, "run", MethodType.methodType(void.class));
            yield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass));
            s = scope.invoke("tracee");
        } catch (Throwable e) {
            scope = null; // not exported: the benchmark prints NaN for this row
        }
        NEW_SCOPE = scope;
        NEW_CONTINUATION = cont;
        RUN = run;
        YIELD = yield;
        SCOPE = s;
    }

    static boolean available() {
        return NEW_SCOPE != null;
    }

    /** One tid's logic and the stop it is looking at. */
    private static final class Logic {
        final Object continuation;
        Stop stop;
        Resume verdict;

        Logic() {
            try {
                continuation = NEW_CONTINUATION.invoke(SCOPE, (Runnable) this::body);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        /** Straight-line per-tracee logic: answer each stop, wait for the next one. */
        private void body() {
            while (true) {
                verdict = Resume.NO_EXIT_STOP; // e.g. decide from stop.event(), block in simulated time...
                next();
            }
        }

        private void next() {
            try {
                YIELD.invoke(SCOPE);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        Resume step(Stop s) {
            stop = s;
            try {
                RUN.invoke(continuation);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            return verdict;
        }
    }

    private final Map<Integer, Logic> byTid = new HashMap<>();

    @Override
    public Resume onStop(Stop stop) {
        return byTid.computeIfAbsent(stop.tid(), t -> new Logic()).step(stop);
    }
}
