package simterpose.simulator.mediation;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a run shows of itself as it goes, for the views a user asks of it (strace-format logs,
 * the blocking table, pcap files, timelines): each mediated call's start and end with its
 * decoded text, each wait and what ended it, each process's start and end, and the packets the
 * virtual kernel stands for, all at simulated dates (nanoseconds since simulated date 0).
 *
 * <p>Given by {@link RunListener#observer()}; {@link #NONE}, the default, makes the run call
 * nothing here and decode nothing. Called from the tracer's owner thread in simulated-time
 * order (a call's line is known when it ends, so {@link #callEnded} comes after later starts
 * of other threads). Types here are plain so that this package imports nothing of ours.
 */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {};

    /** Syscall numbers logged though not mediated (strace's {@code -e trace=EXPR}): the run stops for them too. */
    default Set<Integer> nativeCalls() {
        return Set.of();
    }

    /** Whether {@link Packet}s carry their payload bytes. */
    default boolean wantsPayloads() {
        return false;
    }

    /** A traced process of {@code actor} on {@code host} began (its root at launch, or a fork). */
    default void processStarted(long nanos, String actor, String host, int pid) {}

    /**
     * A thread of process {@code pid} entered a call; {@code unfinished} gives its line up to its
     * first out-argument. The texts here are made when asked, on the observer's thread if it
     * has one (what they need was taken at the call's stops): an observer that does not write
     * them costs no formatting.
     */
    default void callStarted(long nanos, int pid, int tid, String name, Supplier<String> unfinished) {}

    /**
     * That call ended: {@code line} gives the whole line body ({@code name(args) = result}),
     * {@code resumed} what follows {@code <... name resumed>} when the line had to be cut.
     */
    default void callEnded(long nanos, int pid, int tid, Supplier<String> line, Supplier<String> resumed) {}

    /** The call blocked in simulated time. */
    default void blocked(long nanos, int pid, int tid, String syscall) {}

    /**
     * The wait that began at {@code sinceNanos} ended now, for {@code why}. A native call that
     * spanned simulated time (see {@link #nativeCalls}) comes here alone, with no {@link #blocked} before.
     */
    default void unblocked(long nanos, long sinceNanos, int pid, int tid, String syscall, Wake why) {}

    /** A signal is delivered to a thread: {@code line} is strace's {@code --- SIGALRM {si_signo=SIGALRM, ...} ---}. */
    default void signalDelivered(long nanos, int pid, int tid, String line) {}

    /** A thread ended; for the process's main thread {@code how} is strace's {@code +++ exited with 0 +++} line. */
    default void threadEnded(long nanos, int pid, int tid, String how) {}

    /** A packet leaves (TCP control, data segment, UDP datagram, ICMP); see {@link Packet}. */
    default void packet(Packet packet) {}

    /** The data segment or datagram {@code id} (a {@link Packet#id()}) reached its destination host. */
    default void arrived(long id, long nanos) {}

    /** The data segment {@code id} will never arrive (its connection was reset). */
    default void lost(long id) {}

    /** The run is over (whatever ended it): write what is held. */
    default void end(long nanos) {}

    /** What ended a wait. */
    enum Wake {
        DATA_ARRIVED, HANDSHAKE_COMPLETED, CONNECTION_ACCEPTED, PEER_CLOSED, CONNECTION_REFUSED, CONNECTION_RESET,
        SPACE_AVAILABLE, TIMER_EXPIRED, FUTEX_WAKE, TIMEOUT, SIGNAL, CHILD_EXITED, READY, END_OF_RUN
    }

    /** A host's address and port. */
    record Endpoint(String host, int ip, int port) {}

    enum Protocol { TCP, UDP, ICMP_PORT_UNREACHABLE }

    /**
     * One packet. A control packet's {@code arrivesNanos} is known when it leaves and its
     * {@code id} is -1; a data segment or datagram has an id, its arrival told by
     * {@link #arrived}, and {@code arrivesNanos} -1. For ICMP, {@code src} is the unreachable
     * address, {@code dst} the datagram's source and {@code payload} the datagram.
     *
     * @param tcpFlags FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10 (zero for data: the view numbers it)
     * @param payload  the bytes, lent (see {@link Payload}), or null unless {@link #wantsPayloads()}
     */
    record Packet(Protocol protocol, long id, long sentNanos, long arrivesNanos, Endpoint src, Endpoint dst,
                  int tcpFlags, long length, Payload payload) {}

    /**
     * A packet's payload, lent by the run without a copy: views of the simulated sockets' own
     * memory, which the run frees only once the observer has called {@link #release()} (or
     * dropped the payload: then once it is unreachable). Read them from any thread until then.
     */
    interface Payload {
        /** The bytes in order, in parts of any length and alignment. */
        List<MemorySegment> parts();

        /** The parts' lengths summed. */
        long length();

        /** The observer is done with the bytes (calls after the first do nothing). */
        void release();
    }
}
