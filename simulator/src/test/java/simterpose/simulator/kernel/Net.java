package simterpose.simulator.kernel;

import java.util.Map;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Transfer;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.support.TestPlatform;

/** Test platforms and model predictions. */
final class Net {
    static final ModelConfig CM02 = ModelConfig.from(Map.of("network/model", "CM02"));
    static final ModelConfig LV08 = ModelConfig.from(Map.of("network/model", "LV08"));
    static final double LATENCY = 0.1;
    static final double BANDWIDTH = 1.25e7;

    final TestPlatform platform = new TestPlatform();
    final Host client;
    final Host server;

    /** Two hosts joined by one 100 Mb/s link of 100 ms. */
    Net() {
        client = platform.host("client", 1e9, 1);
        server = platform.host("server", 1e9, 1);
        platform.symmetric("client", "server", platform.link("wire", BANDWIDTH, LATENCY));
    }

    /** When a lone flow of {@code bytes} started at 0 from {@code src} to {@code dst} ends, per the model alone. */
    double predict(ModelConfig cfg, Host src, Host dst, double bytes) {
        Simulation sim = new Simulation(platform, cfg);
        Transfer t = sim.startTransfer(src, dst, bytes);
        sim.run();
        return t.finishTime();
    }

    SockAddr serverAddr(Kernel k, int port) {
        return new SockAddr(k.addresses().ipOf(server), port);
    }
}
