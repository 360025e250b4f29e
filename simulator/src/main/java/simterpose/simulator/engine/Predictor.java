package simterpose.simulator.engine;

import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;

/**
 * Runs a fixed list of flows and executions, each starting at its own date, and reports when
 * each one ends: the engine behind {@code simterpose predict} and the differential tests.
 * Requests starting at the same date start in list order.
 */
public final class Predictor {
    /** A flow or an execution to run. */
    public sealed interface Request permits Flow, Exec {
        double start();
    }

    public record Flow(Host src, Host dst, double bytes, double start) implements Request {}

    public record Exec(Host host, double flops, double start) implements Request {}

    /** What happened to one request. */
    public record Outcome(Request request, double finish) {}

    private Predictor() {}

    public static List<Outcome> run(Platform platform, ModelConfig config, List<? extends Request> requests) {
        Simulation sim = new Simulation(platform, config);
        Activity[] started = new Activity[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            int index = i;
            Runnable start = () -> started[index] = switch (r) {
                case Flow f -> sim.startTransfer(f.src(), f.dst(), f.bytes());
                case Exec e -> sim.startExecution(e.host(), e.flops());
            };
            if (r.start() > 0) {
                sim.at(r.start(), start);
            } else {
                start.run();
            }
        }
        sim.run();
        List<Outcome> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            out.add(new Outcome(requests.get(i), started[i].finishTime()));
        }
        return out;
    }
}
