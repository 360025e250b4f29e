package simterpose.simulator.mediation.tracee;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.simulator.kernel.TcpHandshake;
import simterpose.simulator.kernel.TcpSocket;

/**
 * {@code run --mediation=address}: the real AF_UNIX streams that carry simulated TCP
 * connections' bytes between tracees, so that no payload byte goes through the tool.
 *
 * <p>Every simulated TCP socket already has a real placeholder fd (an unconnected AF_UNIX
 * SOCK_STREAM socket) in its tracee. The tool takes a duplicate of it with pidfd_getfd (same open
 * file description, so what the tool does to it the tracee's fd sees), and with those duplicates
 * it makes the placeholders a real connection: the listener's placeholder is bound to an
 * abstract address of its own and listens; the client's placeholder connects to it (at once:
 * an AF_UNIX connect only queues on the listener) the first time either end needs the stream;
 * the server's accept then runs natively on its listening placeholder and gets the other end.
 * The handlers rewrite each send into a native send of the bytes the simulated socket took,
 * and each receive into a native receive of the bytes the simulated socket delivered; the
 * simulated socket's queue holds counts of bytes, never their values.
 *
 * <p>The real kernel's accept queue is FIFO in the order the clients connected really; the
 * simulated one in the order handshakes completed. They agree when each client's first send or
 * receive (or its server's accept) follows its handshake in the simulated order, which is the
 * common case; when they do not, {@link #checkAccepted} says so instead of mixing streams up.
 *
 * <p>Threading: the owner thread only (handlers run there).
 */
public final class RealStreams {
    /** Big enough that no native send the model allowed ever blocks (root may force it). */
    private static final int BUFFER_BYTES = 64 << 20;
    private static final int SOL_SOCKET = 1, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
    private static final int AF_UNIX = 1, SOCKADDR_UN_SIZE = 110;
    /** SIOCINQ (FIONREAD): the bytes queued for reading on a stream socket. */
    private static final long SIOCINQ = 0x541B;

    private final Arena arena = Arena.ofShared();
    private final Map<Integer, Integer> pidfds = new HashMap<>();
    private final Map<TcpSocket, Integer> toolFds = new IdentityHashMap<>();
    private final Map<TcpSocket, MemorySegment> listening = new IdentityHashMap<>();
    private final java.util.Set<TcpSocket> connected = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<TcpSocket, WaitingSend> waiting = new IdentityHashMap<>();
    private final MemorySegment queued = arena.allocate(ValueLayout.JAVA_INT);
    private long payloadBytesCopied;
    private final ProbedMemory probed = new ProbedMemory();

    /** Takes a duplicate of the placeholder {@code fd} of process {@code tgid}, which now stands for {@code s}. */
    public void adopt(TcpSocket s, int tgid, int fd) {
        int pidfd = pidfds.computeIfAbsent(tgid, LibC::pidfdOpen);
        int mine = LibC.pidfdGetfd(pidfd, fd);
        MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
        size.set(ValueLayout.JAVA_INT, 0, BUFFER_BYTES);
        try {
            LibC.setsockoptInt(mine, SOL_SOCKET, SO_SNDBUFFORCE, size);
            LibC.setsockoptInt(mine, SOL_SOCKET, SO_RCVBUFFORCE, size);
        } catch (ErrnoException notRoot) {
            // the default buffers then bound how far a sender may run ahead of its receiver
        }
        Integer old = toolFds.put(s, mine);
        if (old != null) {
            LibC.close(old);
        }
    }

    /** True when {@code s}'s bytes go through a real stream (it was adopted). */
    public boolean carries(TcpSocket s) {
        return toolFds.containsKey(s);
    }

    /**
     * Makes sure the real placeholders of {@code s} and its peer are connected: when {@code s}
     * (or its peer) is a client whose server side is not accepted yet, connects it to its
     * listener's placeholder now.
     */
    public void ensureConnected(TcpSocket s) {
        TcpSocket peer = TcpHandshake.peer(s);
        if (connected.contains(s) || peer == null) {
            return;
        }
        if (TcpHandshake.pendingOn(peer) != null) {
            connect(s, TcpHandshake.pendingOn(peer));
        } else if (TcpHandshake.pendingOn(s) != null) {
            connect(peer, TcpHandshake.pendingOn(s));
        }
    }

    /** Before a native accept on {@code listener}'s placeholder of {@code child}: its client must be connected. */
    public void beforeAccept(TcpSocket listener, TcpSocket child) {
        TcpSocket client = TcpHandshake.peer(child);
        if (client != null && !connected.contains(client) && toolFds.containsKey(client)) {
            connect(client, listener);
        }
    }

    /**
     * After the native accept gave {@code fd} to process {@code tgid} for {@code child}: adopts it
     * and checks that the real connection is the simulated one's (its peer is {@code child}'s client).
     */
    public void checkAccepted(TcpSocket child, int tgid, int fd) {
        adopt(child, tgid, fd);
        TcpSocket client = TcpHandshake.peer(child);
        Integer clientFd = client == null ? null : toolFds.get(client);
        if (clientFd == null) {
            return;
        }
        MemorySegment mine = name(clientFd, false);
        MemorySegment theirs = name(toolFds.get(child), true);
        if (mine.mismatch(theirs) != -1) {
            throw new IllegalStateException("--mediation=address: the real accept queue of " + child
                    + " is not in the simulated order (clients connected in another order than their handshakes"
                    + " completed); run this deployment with --mediation=full");
        }
        connected.add(child);
    }

    private void connect(TcpSocket client, TcpSocket listener) {
        Integer clientFd = toolFds.get(client);
        Integer listenerFd = toolFds.get(listener);
        if (clientFd == null || listenerFd == null) {
            throw new IllegalStateException("--mediation=address: no placeholder for " + (clientFd == null ? client : listener));
        }
        MemorySegment address = listening.computeIfAbsent(listener, l -> listen(listenerFd));
        // autobind: the client gets a unique abstract name, which checkAccepted compares
        MemorySegment family = arena.allocate(2);
        family.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        LibC.bind(clientFd, family, 2);
        long r = LibC.connect(clientFd, address, (int) address.byteSize());
        if (r < 0) {
            throw new ErrnoException("--mediation=address: connect of " + client + "'s placeholder", (int) -r);
        }
        connected.add(client);
    }

    /** Binds the listener's placeholder to an abstract address (autobind) and makes it listen. */
    private MemorySegment listen(int fd) {
        MemorySegment family = arena.allocate(2);
        family.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        LibC.bind(fd, family, 2);
        LibC.listen(fd, 4096);
        return name(fd, false);
    }

    /** The fd's own (or its peer's) AF_UNIX address, exactly as long as the kernel says. */
    private MemorySegment name(int fd, boolean peer) {
        MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE);
        MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
        length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_UN_SIZE);
        if (peer) {
            LibC.getpeername(fd, address, length);
        } else {
            LibC.getsockname(fd, address, length);
        }
        return address.asSlice(0, length.get(ValueLayout.JAVA_INT, 0));
    }

    /** Where the bytes of a send come from: fills {@code into} with those at offset {@code from} of the call's buffer. */
    @FunctionalInterface
    public interface Source {
        long fill(long from, MemorySegment into);
    }

    /** A send on {@code socket} waiting in {@code call}, whose taken bytes past {@code call.pushed} are not in the real stream yet. */
    private record WaitingSend(TcpSocket socket, Call call, Source source) {}

    /**
     * A send on {@code s} waits with bytes taken ({@code call.progress}) that the real stream
     * does not have yet: they stay in the tracee's buffer until a receive needs them
     * ({@link #beforeReceive}), the call ends without its handler ({@link #flush}) or its
     * handler finishes it ({@link #sendDone}). In a bulk transfer the send usually ends first, and
     * then no byte of it goes through the tool.
     */
    public void sendWaits(TcpSocket s, Call call, Source source) {
        waiting.put(s, new WaitingSend(s, call, source));
    }

    /** The send waiting on {@code s} ended through its handler (which moves the rest natively). */
    public void sendDone(TcpSocket s) {
        waiting.remove(s);
    }

    /** A call ends without its handler (a signal, a timeout): what it took goes into the real stream now. */
    public void flush(Call call) {
        if (waiting.isEmpty()) {
            return;
        }
        for (WaitingSend w : waiting.values()) {
            if (w.call() == call) {
                push(w, call.progress - call.pushed);
                waiting.remove(w.socket());
                return;
            }
        }
    }

    /**
     * Before a native receive of {@code n} bytes on {@code r}: when its real stream holds fewer
     * (the rest were taken by a send of the peer that still waits), the tool pushes what lacks.
     */
    public void beforeReceive(TcpSocket r, long n) {
        TcpSocket sender = TcpHandshake.peer(r);
        WaitingSend w = sender == null ? null : waiting.get(sender);
        if (w == null) {
            return;
        }
        ensureConnected(r);
        LibC.ioctl(toolFds.get(r), SIOCINQ, queued);
        long lacking = Math.min(n - queued.get(ValueLayout.JAVA_INT, 0), w.call().progress - w.call().pushed);
        if (lacking > 0) {
            push(w, lacking);
        }
    }

    private void push(WaitingSend w, long n) {
        if (n <= 0) {
            return;
        }
        try (Arena copy = Arena.ofConfined()) {
            MemorySegment bytes = copy.allocate(n);
            if (w.source().fill(w.call().pushed, bytes) < n) {
                throw new IllegalStateException("--mediation=address: the bytes a waiting send took are no longer readable");
            }
            push(w.socket(), bytes);
        }
        w.call().pushed += n;
    }

    /**
     * Writes {@code bytes} into {@code s}'s real stream from the tool's side (the peer reads
     * them): for the bytes a send took before it had to wait, which the peer may be given
     * before the send returns. Counted as copied.
     */
    public void push(TcpSocket s, MemorySegment bytes) {
        ensureConnected(s);
        int fd = toolFds.get(s);
        for (long off = 0; off < bytes.byteSize(); ) {
            off += LibC.write(fd, bytes.asSlice(off), bytes.byteSize() - off);
        }
        payloadBytesCopied += bytes.byteSize();
    }

    /** Counts payload bytes the tool copied between a tracee and a simulated stream (0 when all are adopted). */
    public void countCopied(long n) {
        payloadBytesCopied += n;
    }


    public long payloadBytesCopied() { return payloadBytesCopied; }

    /** The tracee memory known usable by native sends and receives (what was probed since the mappings last changed). */
    public ProbedMemory probed() { return probed; }

    /** Closes the tool's duplicates (the tracees' fds stay as they are). */
    public void close() {
        for (int fd : toolFds.values()) {
            LibC.close(fd);
        }
        for (int fd : pidfds.values()) {
            LibC.close(fd);
        }
        toolFds.clear();
        pidfds.clear();
        arena.close();
    }
}
