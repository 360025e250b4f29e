package simterpose.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.PlatformLoader;
import simterpose.simulator.platform.Route;

/** {@code simterpose platform check|route}: validate SimGrid platform files and show routes. */
@Command(name = "platform", description = "Validate SimGrid platform files and show routes.",
        mixinStandardHelpOptions = true,
        subcommands = {PlatformCommand.Check.class, PlatformCommand.RouteCmd.class})
final class PlatformCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new UserError("expected a subcommand: 'platform check FILE…' or 'platform route FILE SRC DST'");
    }

    static Platform load(Path file) {
        try {
            return PlatformLoader.load(file);
        } catch (PlatformException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** A value for people: nine significant digits, no trailing zeros ("0.0001", "1e-05", "125000000"). */
    static String number(double value) {
        if (value == 0 || Double.isInfinite(value) || Double.isNaN(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(value).round(new java.math.MathContext(9)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        return magnitude >= 1e-4 && magnitude < 1e15 ? d.toPlainString() : d.toString().replace("E", "e");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load each file, check every host pair has a route, print a summary.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "SimGrid platform (and/or deployment) XML files")
        List<Path> files;

        @Override
        public Integer call() {
            for (Path file : files) {
                Platform platform = load(file);
                int hosts = platform.hosts().size();
                String routes = hosts == 0 ? "no hosts"
                        : platform.missingRoute().isPresent() ? "some host pairs have no route (a connection between them fails"
                                + " with ENETUNREACH), first at " + platform.missingRoute().get()
                        : platform.allPairsRouted() ? "all " + ((long) hosts * hosts) + " host pairs routed"
                        : "routes computed on demand (too many hosts to check every pair)";
                spec.commandLine().getOut().printf(Locale.ROOT, "%s: ok: %d hosts, %d links, %d zones, %d routers, %s, %d actors%n",
                        file, hosts, platform.links().size(), platform.zones().size(), platform.routers().size(), routes,
                        platform.deployment().actors().size());
            }
            return 0;
        }
    }

    @Command(name = "route", mixinStandardHelpOptions = true,
            description = "Print the links from SRC to DST with their bandwidth, latency and sharing policy.")
    static final class RouteCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Parameters(index = "1", paramLabel = "SRC") String src;
        @Parameters(index = "2", paramLabel = "DST") String dst;

        @Override
        public Integer call() {
            Platform platform = load(file);
            Host from = platform.host(src).orElseThrow(() -> new UserError(file + ": unknown host '" + src + "'"));
            Host to = platform.host(dst).orElseThrow(() -> new UserError(file + ": unknown host '" + dst + "'"));
            Route route;
            try {
                route = platform.route(from, to);
            } catch (PlatformException e) {
                throw new UserError(file + ": " + e.getMessage(), e);
            }
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "route %s -> %s: %d links%n", src, dst, route.links().size());
            int width = route.links().stream().mapToInt(l -> l.name().length()).max().orElse(0);
            double bottleneck = Double.POSITIVE_INFINITY;
            for (Link link : route.links()) {
                out.printf(Locale.ROOT, "  %-" + width + "s  %10s B/s  %s s  %s%n", link.name(), number(link.bandwidth()),
                        number(link.latency()), link.sharing());
                bottleneck = Math.min(bottleneck, link.bandwidth());
            }
            out.printf(Locale.ROOT, "latency %s s%n", number(route.latency()));
            out.printf(Locale.ROOT, "bottleneck %s B/s%n", number(bottleneck));
            return 0;
        }
    }
}
