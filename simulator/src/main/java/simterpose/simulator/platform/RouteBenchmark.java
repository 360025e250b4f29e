package simterpose.simulator.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bin/bench-routes}' Java half: loads a platform file and asks random host-pair routes,
 * printing both times. Usage: {@code RouteBenchmark FILE [ROUTES] [SEED]}. Single-threaded.
 */
public final class RouteBenchmark {
    private RouteBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: RouteBenchmark FILE [ROUTES] [SEED]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long t0 = System.nanoTime();
        Platform platform;
        try {
            platform = PlatformLoader.load(Path.of(args[0]));
        } catch (PlatformException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long t1 = System.nanoTime();
        List<Host> hosts = List.copyOf(platform.hosts());
        SplittableRandom random = new SplittableRandom(seed);
        long links = 0;
        for (int i = 0; i < count; i++) {
            Host a = hosts.get(random.nextInt(hosts.size()));
            Host b = hosts.get(random.nextInt(hosts.size()));
            links += platform.route(a, b).links().size();
        }
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "simterpose load    %8.1f ms  (%d hosts, %d links)%n",
                (t1 - t0) / 1e6, hosts.size(), platform.links().size());
        System.out.printf(Locale.ROOT, "simterpose routes  %8.1f ms  (%d random pairs, %.2f us each, %d links in all)%n",
                (t2 - t1) / 1e6, count, (t2 - t1) / 1e3 / count, links);
        System.out.printf(Locale.ROOT, "simterpose total   %8.1f ms%n", (t2 - t0) / 1e6);
    }
}
