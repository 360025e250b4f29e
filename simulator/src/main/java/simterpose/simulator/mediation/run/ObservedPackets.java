package simterpose.simulator.mediation.run;

import java.lang.foreign.MemorySegment;
import java.util.List;
import simterpose.simulator.kernel.Addresses;
import simterpose.simulator.kernel.LentBytes;
import simterpose.simulator.kernel.NetEvents;
import simterpose.simulator.kernel.SockAddr;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.platform.Host;

/**
 * The virtual kernel's packet events ({@link NetEvents}, which the kernel owns) passed on to the
 * run's {@link RunObserver} (the mediation API, which knows no kernel type): dates in simulated
 * nanoseconds, hosts by name. An unbound address (0.0.0.0) becomes the host's own.
 */
final class ObservedPackets implements NetEvents {
    private final RunObserver observer;
    private final Addresses addresses;

    ObservedPackets(RunObserver observer, Addresses addresses) {
        this.observer = observer;
        this.addresses = addresses;
    }

    @Override
    public boolean wantsPayloads() {
        return observer.wantsPayloads();
    }

    @Override
    public void control(double sent, double arrives, Packet p) {
        observer.packet(packet(-1, sent, nanos(arrives), p));
    }

    @Override
    public void sent(long id, double sent, Packet p) {
        observer.packet(packet(id, sent, -1, p));
    }

    @Override
    public void arrived(long id, double date) {
        observer.arrived(id, nanos(date));
    }

    @Override
    public void lost(long id) {
        observer.lost(id);
    }

    private RunObserver.Packet packet(long id, double sent, long arrives, Packet p) {
        return new RunObserver.Packet(RunObserver.Protocol.valueOf(p.protocol().name()), id, nanos(sent), arrives,
                endpoint(p.from(), p.src()), endpoint(p.to(), p.dst()), p.tcpFlags(), p.length(),
                p.payload() == null ? null : new Lent(p.payload()));
    }

    /** The kernel's loan as the observer's payload. */
    private record Lent(LentBytes bytes) implements RunObserver.Payload {
        @Override
        public List<MemorySegment> parts() {
            return bytes.parts();
        }

        @Override
        public long length() {
            return bytes.length();
        }

        @Override
        public void release() {
            bytes.release();
        }
    }

    private RunObserver.Endpoint endpoint(Host host, SockAddr a) {
        int ip = a == null ? 0 : a.ip();
        if (ip == SockAddr.ANY) {
            ip = addresses.ipOf(host);
        }
        return new RunObserver.Endpoint(host.name(), ip, a == null ? 0 : a.port());
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
