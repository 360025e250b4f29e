package simterpose.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import simterpose.bindings.LibC;
import simterpose.simulator.kernel.Addresses;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;

/**
 * {@code simterpose emulate}: the deployment run for real, natively and untraced, on real Linux
 * TCP/IP, each host a set of namespaces ({@link HostNamespace}) whose packets cross the
 * platform's links through the {@link LinkRelay}. Time is this machine's: an actor starts
 * {@code start_time} real seconds after the emulation's start (once every namespace is ready,
 * plus {@link #LAUNCH_LEAD}) and is killed, with every process it started, {@code kill_time}
 * seconds after it. Actors of the same start time are launched {@link #LAUNCH_LEAD} ahead and
 * released together at that time ({@link StartGate}), as {@code run} starts them.
 *
 * <p>Only the hosts that run an actor get a namespace; a packet to another host of the
 * platform is dropped (nothing answers there).
 *
 * <p>Thread rule: {@link #run} blocks its caller until every actor has ended; interrupting the
 * caller (Ctrl-C) kills the actors still alive (they show as interrupted). Whatever ends the
 * run, the namespaces, TUN devices and processes are gone when it returns, and if the JVM dies
 * first the kernel removes them ({@link HostNamespace}).
 */
public final class Emulator {
    private Emulator() {}

    /**
     * How long before its start date an actor is launched (nsenter, the exit wrapper, its fork),
     * to wait at its {@link StartGate}: a few ms per actor on an idle machine (share4's four
     * clients: 4-10 ms each), so a group of dozens of actors is ready in time, and one whose
     * launch takes longer starts late, as it did before the gates.
     */
    static final double LAUNCH_LEAD = 0.25;

    /** The report (in real seconds since the start) and the relay's counters. */
    public record Result(RunReport report, LinkRelay.Stats relay) {}

    /**
     * @throws EmulationException when this machine cannot emulate (checked before anything starts)
     *                            or a namespace cannot be made
     */
    public static Result run(Platform platform, Deployment deployment, EmulateOptions options) {
        Preflight.check(options.straceDirectory() != null);
        long wallStart = System.nanoTime();
        Addresses addresses = new Addresses(platform);
        Path out = options.outputDirectory().toAbsolutePath();
        Path signals = temporaryDirectory();
        List<EmulatedActor> actors = prepare(deployment, out, options.straceDirectory(), signals);
        Map<String, HostNamespace> namespaces = new LinkedHashMap<>();
        List<Tun> tuns = new ArrayList<>();
        LinkRelay relay = null;
        LinkRelay.Stats stats = null;
        try (Spawner spawner = new Spawner()) {
            try {
                Files.createDirectories(out);
                if (options.straceDirectory() != null) {
                    Files.createDirectories(options.straceDirectory());
                    for (ActorSpec spec : deployment.actors()) {
                        StraceFiles.clear(straceOf(options, spec));
                    }
                }
                EtcFiles etc = EtcFiles.write(out, addresses);
                List<Host> hosts = new ArrayList<>();
                List<Integer> ips = new ArrayList<>();
                for (EmulatedActor a : actors) {
                    if (!namespaces.containsKey(a.spec.host())) {
                        Host host = platform.host(a.spec.host()).orElseThrow();
                        HostNamespace ns = HostNamespace.create(spawner, host.name(), addresses.ipOf(host), etc);
                        namespaces.put(host.name(), ns);
                        tuns.add(Tun.openIn(ns.keeperPid));
                        ns.configure(spawner);
                        hosts.add(host);
                        ips.add(addresses.ipOf(host));
                    }
                }
                relay = new LinkRelay(platform, hosts, ips, tuns, options.linkQueue());
                play(actors, namespaces, spawner, relay);
            } catch (IOException | RuntimeException e) {
                if (e instanceof EmulationException ee) {
                    throw ee;
                }
                throw new EmulationException("emulation failed: " + e.getMessage(), e);
            } finally {
                for (EmulatedActor a : actors) {
                    killTree(a);
                }
                if (relay != null) {
                    stats = relay.stop();
                }
                for (HostNamespace ns : namespaces.values()) {
                    ns.close();
                }
                for (Tun tun : tuns) {
                    tun.close();
                }
                deleteSignalFiles(signals, actors);
                if (options.straceDirectory() != null) {
                    for (ActorSpec spec : deployment.actors()) {
                        addStraceSuffix(straceOf(options, spec));
                    }
                }
            }
        }
        List<RunReport.ActorReport> rows = new ArrayList<>();
        double makespan = 0;
        for (EmulatedActor a : actors) {
            a.awaitPid();
            rows.add(a.report());
            makespan = Math.max(makespan, a.end);
        }
        return new Result(new RunReport(makespan, rows, Optional.empty(), Duration.ofNanos(System.nanoTime() - wallStart), 0),
                stats);
    }

    private static Path straceOf(EmulateOptions options, ActorSpec spec) {
        return StraceFiles.prefix(options.straceDirectory().toAbsolutePath(), spec.host(), programName(spec));
    }

    private static String programName(ActorSpec spec) {
        return spec.function().substring(spec.function().lastIndexOf('/') + 1);
    }

    /** Runs while the run ends, whatever ends it: a log that cannot be renamed keeps strace's name. */
    private static void addStraceSuffix(Path prefix) {
        try {
            StraceFiles.addSuffix(prefix);
        } catch (IOException e) {
            // left as PREFIX.<pid>
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("simterpose-emulate-");
        } catch (IOException e) {
            throw new EmulationException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** The actors' ends have been read by now (each in its exit callback, before the run returns). */
    private static void deleteSignalFiles(Path signals, List<EmulatedActor> actors) {
        try {
            for (EmulatedActor a : actors) {
                Files.deleteIfExists(a.signalFile);
            }
            Files.deleteIfExists(signals);
        } catch (IOException e) {
            // a leftover empty file in the temporary directory: harmless
        }
    }

    /** argv, environment, directory and files of every actor, named as {@code run} names them. */
    private static List<EmulatedActor> prepare(Deployment deployment, Path out, Path strace, Path signals) {
        List<EmulatedActor> actors = new ArrayList<>();
        Map<Double, Path> gates = new LinkedHashMap<>();
        int index = 0;
        for (ActorSpec spec : deployment.actors()) {
            Path gate = gates.computeIfAbsent(startOf(spec), t -> signals.resolve(gates.size() + ".gate"));
            Map<String, String> env = spec.environment(System.getenv());
            Path cwd = spec.directory();
            String program = spec.function().contains("/") ? cwd.resolve(spec.function()).normalize().toString()
                    : spec.function();
            String name = programName(spec);
            Path signalFile = signals.resolve(index + ".signal");
            List<String> argv = new ArrayList<>(ExitWrapper.command(signalFile, gate));
            if (strace != null) {
                argv.addAll(List.of("strace", "-f", "-ttt", "-T", "-ff", "-o",
                        StraceFiles.prefix(strace.toAbsolutePath(), spec.host(), name).toString(), "--"));
            }
            argv.add(program);
            argv.addAll(spec.args());
            String stdin = spec.properties().get("stdin");
            String base = spec.host() + "-" + name + "-" + index;
            actors.add(new EmulatedActor(index++, spec, name, argv, env, cwd,
                    stdin == null ? Path.of("/dev/null") : cwd.resolve(stdin).normalize(),
                    out.resolve(base + ".stdout"), out.resolve(base + ".stderr"), signalFile, gate));
        }
        return actors;
    }

    private static double startOf(ActorSpec spec) {
        return Math.max(0, spec.startTime());
    }

    /**
     * Launches each actor {@link #LAUNCH_LEAD} before its start_time, held at its start time's
     * {@link StartGate}, releases each gate at its time, and kills each actor at its kill_time;
     * returns when all have ended. Time 0 is {@link #LAUNCH_LEAD} from now, so the actors of
     * time 0 are held too. Throws the relay's failure if it stops on its own (its packets would
     * be lost from then on, the run's times wrong).
     */
    private static void play(List<EmulatedActor> actors, Map<String, HostNamespace> namespaces, Spawner spawner,
                             LinkRelay relay) throws IOException {
        long t0 = System.nanoTime() + (long) (LAUNCH_LEAD * 1e9);
        Map<Path, StartGate> gates = new LinkedHashMap<>();
        try {
            while (true) {
                if (relay.failure() != null) {
                    throw relay.failure(); // within a wait (50 ms at most) of it; the caller ends everything
                }
                double now = (System.nanoTime() - t0) / 1e9;
                double next = Double.POSITIVE_INFINITY;
                boolean alive = false;
                for (EmulatedActor a : actors) {
                    double start = startOf(a.spec);
                    if (!a.started()) {
                        if (start - LAUNCH_LEAD <= now) {
                            if (!gates.containsKey(a.gateFile)) {
                                gates.put(a.gateFile, StartGate.closed(a.gateFile));
                            }
                            launch(a, namespaces.get(a.spec.host()), spawner, t0, actors);
                        } else {
                            next = Math.min(next, start - LAUNCH_LEAD);
                            alive = true;
                            continue;
                        }
                    }
                    if (!a.ended()) {
                        alive = true;
                        double kill = a.spec.killTime();
                        if (kill >= 0 && kill <= now) {
                            a.killedAtKillTime = true;
                            killTree(a);
                            a.nsenter.waitFor();
                        } else if (kill >= 0) {
                            next = Math.min(next, kill);
                        }
                    }
                }
                // every actor of a start time is launched in the same pass (same condition), before its gate opens
                now = (System.nanoTime() - t0) / 1e9;
                for (EmulatedActor a : actors) {
                    StartGate gate = gates.get(a.gateFile);
                    if (gate == null || gate.released()) {
                        continue;
                    }
                    double start = startOf(a.spec);
                    if (start <= now) {
                        gate.release();
                        double released = (System.nanoTime() - t0) / 1e9;
                        for (EmulatedActor b : actors) {
                            if (b.gateFile.equals(a.gateFile)) {
                                b.start = released;
                            }
                        }
                    } else {
                        next = Math.min(next, start);
                    }
                }
                if (!alive) {
                    return;
                }
                long waitNanos = Double.isInfinite(next) ? 50_000_000L
                        : Math.min(50_000_000L, Math.max(0, (long) ((next - (System.nanoTime() - t0) / 1e9) * 1e9)));
                waitForAnEnd(actors, waitNanos);
            }
        } catch (InterruptedException e) {
            for (EmulatedActor a : actors) {
                if (a.started() && !a.ended()) {
                    a.interrupted = true;
                }
            }
        } finally {
            for (StartGate gate : gates.values()) {
                gate.close();
            }
        }
    }

    private static void waitForAnEnd(Object ended, long nanos) throws InterruptedException {
        if (nanos > 0) {
            synchronized (ended) {
                TimeUnit.NANOSECONDS.timedWait(ended, nanos);
            }
        }
    }

    private static void launch(EmulatedActor a, HostNamespace ns, Spawner spawner, long t0, Object ended)
            throws IOException {
        List<String> command = new ArrayList<>(ns.enterCommand(a.cwd));
        command.addAll(a.argv);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(a.stdin.toFile()).redirectOutput(a.stdout.toFile()).redirectError(a.stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(a.env);
        Process p = spawner.start(builder);
        a.start = Math.max(startOf(a.spec), (System.nanoTime() - t0) / 1e9); // until its gate opens (then: when)
        a.nsenter = p;
        p.onExit().thenRun(() -> { // on the JDK's process reaper thread
            a.exitValue = p.exitValue();
            a.signal = ExitWrapper.signalOf(a.signalFile);
            a.end = (System.nanoTime() - t0) / 1e9;
            synchronized (ended) {
                ended.notifyAll();
            }
        });
        // nsenter → the exit wrapper → the program; looked up aside, so the next actor due now is not held up
        a.pidLookup = Thread.ofVirtual().start(() -> {
            try {
                a.pid = HostNamespace.childOf(HostNamespace.childOf(p.pid()));
            } catch (IOException e) {
                a.pid = -1; // ended before it was seen
            }
        });
    }

    /** SIGKILL to the actor's process and every descendant (strace's tracees, a shell's children). */
    static void killTree(EmulatedActor a) {
        Process p = a.nsenter;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<Long> pids = new ArrayList<>();
        p.toHandle().descendants().forEach(h -> pids.add(h.pid()));
        for (long pid : pids) {
            try {
                LibC.kill((int) pid, 9);
            } catch (RuntimeException e) {
                // already gone
            }
        }
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
