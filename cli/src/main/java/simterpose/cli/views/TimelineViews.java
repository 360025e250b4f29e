package simterpose.cli.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import simterpose.simulator.mediation.RunObserver.Packet;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;

/**
 * {@code run --timeline=FILE}: {@code FILE.paje} ({@link PajeWriter}) and {@code FILE.json}
 * ({@link ChromeTraceWriter}) with the same content: a container per host, one per traced
 * thread (states {@code running} and {@code blocked in X}), one per host for its network
 * ({@code network}: the end points of the transfer arrows, as a simulated byte stream has no
 * actor), an arrow per data segment or datagram from its sender host to its receiver host, and
 * each link's bytes per second (the segments' average rates summed over the links of their
 * routes).
 *
 * <p>A transfer is known when it arrives but drawn from when it left, and Paje wants time
 * order: so events are held, by date, while a transfer that left before them is in flight,
 * and written once none is. Memory: the events of one segment's flight time.
 */
final class TimelineViews implements AutoCloseable {
    private record Held(long nanos, long order, Runnable write) {}

    private record Transfer(long sent, String from, String to, long bytes) {}

    private final Platform platform;
    private final PajeWriter paje;
    private final ChromeTraceWriter chrome;
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            Comparator.comparingLong(Held::nanos).thenComparingLong(Held::order));
    private final Map<Long, Transfer> inFlight = new HashMap<>();
    /** Start dates of the transfers in flight, counted: the smallest holds the events after it. */
    private final TreeMap<Long, Integer> inFlightStarts = new TreeMap<>();
    private final Set<String> hosts = new HashSet<>();
    /** Each live thread's container id: {@code actor@host}, then {@code actor.2@host}... in order of appearance (no pid: runs repeat byte for byte). */
    private final Map<Integer, String> threads = new HashMap<>();
    private final Map<String, Integer> threadsPerActor = new HashMap<>();
    private final Set<String> links = new HashSet<>();
    private final Map<String, Double> linkRates = new HashMap<>();
    private final Map<Integer, String> processActors = new HashMap<>();
    private final Map<Integer, String> processHosts = new HashMap<>();
    private long order;
    private long last;
    private boolean ended;

    TimelineViews(Path file, Platform platform) {
        this.platform = platform;
        try {
            paje = new PajeWriter(Files.newBufferedWriter(Path.of(file + ".paje"), StandardCharsets.UTF_8));
            chrome = new ChromeTraceWriter(Files.newBufferedWriter(Path.of(file + ".json"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void processStarted(long nanos, String actor, String host, int pid) {
        processActors.put(pid, actor);
        processHosts.put(pid, host);
        hold(nanos, () -> host(nanos, host));
    }

    private void host(long nanos, String host) {
        if (hosts.add(host)) {
            paje.host(nanos, host);
            chrome.host(host);
            paje.actor(nanos, host, "net:" + host, "network");
            chrome.actor(host, "net:" + host, "network");
        }
    }

    private void thread(long nanos, int pid, int tid) {
        if (!threads.containsKey(tid)) {
            String host = processHosts.getOrDefault(pid, "?");
            host(nanos, host);
            String actor = processActors.getOrDefault(pid, "?");
            int n = threadsPerActor.merge(actor + "@" + host, 1, Integer::sum);
            String name = n == 1 ? actor : actor + "." + n;
            String id = name + "@" + host;
            threads.put(tid, id);
            paje.actor(nanos, host, id, name);
            chrome.actor(host, id, name);
            state(nanos, tid, "running");
        }
    }

    private void state(long nanos, int tid, String state) {
        paje.state(nanos, threads.get(tid), state);
        chrome.state(nanos, threads.get(tid), state);
    }

    void callStarted(long nanos, int pid, int tid) {
        hold(nanos, () -> thread(nanos, pid, tid));
    }

    void blocked(long nanos, int pid, int tid, String syscall) {
        hold(nanos, () -> {
            thread(nanos, pid, tid);
            state(nanos, tid, "blocked in " + syscall);
        });
    }

    void unblocked(long nanos, int pid, int tid) {
        hold(nanos, () -> {
            thread(nanos, pid, tid);
            state(nanos, tid, "running");
        });
    }

    void threadEnded(long nanos, int pid, int tid) {
        hold(nanos, () -> {
            String id = threads.remove(tid);
            if (id != null) {
                paje.actorEnd(nanos, id);
                chrome.actorEnd(nanos, id);
            }
        });
    }

    /** A data segment or datagram left (control packets carry no data: not drawn). */
    void packet(Packet p) {
        if (p.id() < 0 || p.tcpFlags() != 0) {
            return;
        }
        inFlight.put(p.id(), new Transfer(p.sentNanos(), p.src().host(), p.dst().host(), p.length()));
        inFlightStarts.merge(p.sentNanos(), 1, Integer::sum);
    }

    void arrived(long id, long nanos) {
        Transfer t = forget(id);
        if (t == null) {
            return;
        }
        queue(t.sent, () -> {
            host(t.sent, t.from);
            host(t.sent, t.to);
            paje.transfer(t.sent, nanos, "net:" + t.from, "net:" + t.to, t.bytes);
            chrome.transfer(t.sent, nanos, "net:" + t.from, "net:" + t.to, t.bytes);
        });
        if (nanos > t.sent) {
            double rate = t.bytes / ((nanos - t.sent) / 1e9);
            List<Link> route = platform.host(t.from).flatMap(a -> platform.host(t.to).map(b -> platform.route(a, b).links()))
                    .orElse(List.of());
            queue(t.sent, () -> use(t.sent, route, rate));
            queue(nanos, () -> use(nanos, route, -rate));
        }
        hold(nanos, () -> { });
    }

    void lost(long id) {
        forget(id);
        hold(last, () -> { });
    }

    private void queue(long nanos, Runnable write) {
        last = Math.max(last, nanos);
        held.add(new Held(nanos, order++, write));
    }

    private Transfer forget(long id) {
        Transfer t = inFlight.remove(id);
        if (t != null) {
            inFlightStarts.merge(t.sent, -1, (a, b) -> a + b == 0 ? null : a + b);
        }
        return t;
    }

    private void use(long nanos, List<Link> route, double delta) {
        for (Link link : route) {
            if (links.add(link.name())) {
                paje.link(nanos, link.name());
            }
            double rate = Math.max(0, linkRates.merge(link.name(), delta, Double::sum));
            if (rate < 1e-6) {
                rate = 0;
                linkRates.put(link.name(), 0.0);
            }
            paje.linkUsage(nanos, link.name(), rate);
            chrome.linkUsage(nanos, link.name(), rate);
        }
    }

    /** Queues a write at {@code nanos}, then writes what no transfer in flight holds back. */
    private void hold(long nanos, Runnable write) {
        queue(nanos, write);
        long horizon = inFlightStarts.isEmpty() ? Long.MAX_VALUE : inFlightStarts.firstKey();
        while (!held.isEmpty() && held.peek().nanos() <= horizon) {
            held.poll().write().run();
        }
    }

    void end(long nanos) {
        ended = true;
        inFlight.clear();
        inFlightStarts.clear();
        hold(nanos, () -> { });
        long at = Math.max(nanos, last);
        paje.end(at);
        chrome.end(at);
    }

    @Override
    public void close() {
        if (!ended) {
            end(last);
        }
        paje.close();
        chrome.close();
    }
}
