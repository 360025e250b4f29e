package simterpose.cli.views;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import simterpose.simulator.mediation.RunObserver.Endpoint;
import simterpose.simulator.mediation.RunObserver.Packet;
import simterpose.simulator.mediation.RunObserver.Payload;
import simterpose.simulator.mediation.RunObserver.Protocol;

/**
 * {@code run --pcap=DIR}: the run's packets as each host's interface sees them, one
 * {@link PcapWriter} per host ({@code DIR/<host>.pcap}). A packet is written in its sender's
 * file when it leaves and in its receiver's when it arrives (once for a host talking to itself,
 * as a loopback capture shows it). TCP connections are numbered by {@link TcpSegments}, from
 * the SYN on, and forgotten after their RST or the ACK of their second FIN.
 *
 * <p>A control packet's arrival is known when it leaves: it waits in a queue ordered by date
 * until the run's time reaches it, so each file stays in date order. Data segments and
 * datagrams wait (by id) until the kernel says they arrived. Memory: what is in flight.
 *
 * <p>A data segment's payload is the run's own memory, lent ({@link Payload}): read where it is
 * for the checksums and both files, and released once the receiver's file has it (or it was
 * lost, or the run ended before it arrived); the run frees it only then.
 */
final class PcapViews implements AutoCloseable {
    /** One packet's record, for a file and a date. */
    @FunctionalInterface
    private interface Record {
        void write(PcapWriter file, long nanos);
    }

    private record Held(long nanos, long order, String host, Record record) {}

    /** One connection's numbering, which side is the client, and its FINs so far. */
    private static final class Connection {
        final TcpSegments segments;
        final Endpoint client;
        int fins;
        /** The next sequence number each side has received (what its ACKs acknowledge): [client's, server's]; -1 before any. */
        final long[] received = {-1, -1};

        Connection(Endpoint client, Endpoint server) {
            this.client = client;
            this.segments = new TcpSegments(client.ip(), client.port(), server.ip(), server.port());
        }

        boolean fromClient(Endpoint src) {
            return src.ip() == client.ip() && src.port() == client.port();
        }
    }

    /** A data segment or datagram on its way: its receiver's records, and its lent payload to release if it never arrives (else null). */
    private record InFlight(String host, List<Record> writes, Payload payload) {}

    private static final int WINDOW = 65535;
    private final Path dir;
    private final boolean headersOnly;
    private final long epochNanos;
    private final Map<String, PcapWriter> files = new HashMap<>();
    private final Map<String, Connection> connections = new HashMap<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            Comparator.comparingLong(Held::nanos).thenComparingLong(Held::order));
    private long order;

    /** @param epochNanos the wall-clock date of simulated date 0 (records carry absolute dates, as the logs do) */
    PcapViews(Path dir, boolean headersOnly, long epochNanos) {
        this.dir = dir;
        this.headersOnly = headersOnly;
        this.epochNanos = epochNanos;
    }

    /** A host's file exists from its first process on, even if it never sends. */
    void host(String host) {
        writer(host);
    }

    void packet(Packet p) {
        drain(p.sentNanos());
        switch (p.protocol()) {
            case TCP -> tcp(p);
            case UDP -> {
                byte[] payload = payload(p);
                Record write = (w, t) -> w.udp(t, p.src().ip(), p.src().port(), p.dst().ip(), p.dst().port(), payload);
                send(p, List.of(write));
            }
            case ICMP_PORT_UNREACHABLE -> {
                byte[] payload = payload(p);
                send(p, List.of((w, t) -> w.icmpPortUnreachable(t, p.src().ip(), p.dst().ip(), p.dst().port(), p.src().port(),
                        payload)));
            }
        }
    }

    private void tcp(Packet p) {
        String key = key(p.src(), p.dst());
        Connection c = connections.get(key);
        if (c == null || p.tcpFlags() == PcapWriter.SYN) {
            c = new Connection(p.src(), p.dst());
            connections.put(key, c);
        }
        boolean fromClient = c.fromClient(p.src());
        Connection conn = c;
        int mine = fromClient ? 0 : 1;
        // an ACK acknowledges what this side has received by now, not what the peer has sent
        long ack = c.received[mine] >= 0 ? c.received[mine] : c.segments.peerNext(fromClient);
        long next;
        Record segment;
        Payload lent = p.payload(); // a data segment's: released once the receiver's file has it
        if (p.id() >= 0 && p.tcpFlags() == 0) {
            // built once (the payload's checksums), written in the sender's file and then the receiver's
            int length = (int) p.length();
            PcapWriter.TcpData data = PcapWriter.tcpData(p.src().ip(), p.src().port(), p.dst().ip(), p.dst().port(),
                    c.segments.data(fromClient, length), ack, WINDOW, headersOnly || lent == null ? null : lent.parts(),
                    length);
            next = data.nextSeq();
            segment = (w, t) -> w.tcp(t, data);
        } else {
            release(lent); // a FIN's: no bytes
            lent = null;
            TcpSegments.Segment s = switch (p.tcpFlags()) {
                case PcapWriter.SYN -> c.segments.syn();
                case PcapWriter.SYN | PcapWriter.ACK -> c.segments.synAck();
                case PcapWriter.FIN | PcapWriter.ACK -> c.segments.fin(fromClient);
                case PcapWriter.RST | PcapWriter.ACK -> c.segments.rst(fromClient);
                default -> c.segments.ack(fromClient);
            };
            if ((p.tcpFlags() & PcapWriter.FIN) != 0) {
                c.fins++;
            } else if ((p.tcpFlags() & PcapWriter.RST) != 0 || c.fins == 2 && p.tcpFlags() == PcapWriter.ACK) {
                connections.remove(key);
            }
            next = s.seq() + ((s.flags() & (PcapWriter.SYN | PcapWriter.FIN)) != 0 ? 1 : 0);
            PcapWriter.TcpPacket built = PcapWriter.tcpPacket(p.src().ip(), p.src().port(), p.dst().ip(), p.dst().port(),
                    s.seq(), ack, s.flags(), WINDOW, null, 0, 0);
            segment = (w, t) -> w.tcp(t, built);
        }
        long received = next & 0xffffffffL;
        Payload done = lent;
        Record arriving = (w, t) -> {
            segment.write(w, t); // the sender's file has it already (or it is the same host's, one record)
            conn.received[1 - mine] = received;
            release(done);
        };
        send(p, List.of(segment), List.of(arriving), done);
    }

    private static void release(Payload lent) {
        if (lent != null) {
            lent.release();
        }
    }

    /** A copy of the bytes of a small packet (a datagram, an ICMP message), the loan released: zeros when not kept. */
    private static byte[] payload(Packet p) {
        Payload lent = p.payload();
        if (lent == null) {
            return new byte[(int) Math.min(p.length(), Integer.MAX_VALUE - 64)];
        }
        byte[] bytes = new byte[Math.toIntExact(lent.length())];
        int at = 0;
        for (MemorySegment part : lent.parts()) {
            MemorySegment.copy(part, ValueLayout.JAVA_BYTE, 0, bytes, at, (int) part.byteSize());
            at += (int) part.byteSize();
        }
        lent.release();
        return bytes;
    }

    private void send(Packet p, List<Record> writes) {
        send(p, writes, writes, null);
    }

    /**
     * {@code leaving} written now in the sender's file; {@code arriving} in the receiver's when it
     * arrives, or now if the receiver is the same host (one record, as a loopback capture shows).
     */
    private void send(Packet p, List<Record> leaving, List<Record> arriving, Payload payload) {
        boolean loopback = p.src().host().equals(p.dst().host());
        for (Record w : loopback ? arriving : leaving) {
            write(p.src().host(), p.sentNanos(), w);
        }
        if (loopback) {
            return;
        }
        if (p.id() >= 0) {
            inFlight.put(p.id(), new InFlight(p.dst().host(), arriving, payload));
        } else {
            for (Record w : arriving) {
                held.add(new Held(p.arrivesNanos(), order++, p.dst().host(), w));
            }
        }
    }

    void arrived(long id, long nanos) {
        drain(nanos);
        InFlight f = inFlight.remove(id);
        if (f != null) {
            for (Record w : f.writes) {
                write(f.host, nanos, w);
            }
        }
    }

    void lost(long id) {
        InFlight f = inFlight.remove(id);
        if (f != null) {
            release(f.payload()); // the sender's file has it already: nobody reads it any more
        }
    }

    private void write(String host, long nanos, Record w) {
        held.add(new Held(nanos, order++, host, w));
        drain(nanos);
    }

    /** Writes what is held up to {@code nanos}, in date order. */
    private void drain(long nanos) {
        while (!held.isEmpty() && held.peek().nanos() <= nanos) {
            Held h = held.poll();
            h.record().write(writer(h.host()), epochNanos + h.nanos());
        }
    }

    private PcapWriter writer(String host) {
        return files.computeIfAbsent(host,
                h -> new PcapWriter(dir.resolve(h.replaceAll("[^A-Za-z0-9._-]", "_") + ".pcap"), headersOnly));
    }

    private static String key(Endpoint a, Endpoint b) {
        String x = a.ip() + ":" + a.port();
        String y = b.ip() + ":" + b.port();
        return x.compareTo(y) < 0 ? x + "-" + y : y + "-" + x;
    }

    @Override
    public void close() {
        drain(Long.MAX_VALUE);
        inFlight.values().forEach(f -> release(f.payload())); // never arrived: the run is over
        inFlight.clear();
        for (PcapWriter w : files.values()) {
            w.close();
        }
        files.clear();
    }
}
