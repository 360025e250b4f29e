package simterpose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simterpose.emulator.EmulateOptions;
import simterpose.emulator.EmulationException;
import simterpose.emulator.Emulator;
import simterpose.emulator.LinkQueueDiscipline;

/**
 * {@code simterpose emulate}: the same deployment as {@code run}, run for real on this machine's
 * kernel with the platform's links emulated ({@link Emulator}). Same checks, report and exit
 * statuses as {@code run}; times are real seconds.
 */
@Command(name = "emulate", mixinStandardHelpOptions = true,
        description = {
                "Runs the real programs of a deployment natively (untraced) on real Linux TCP/IP: each host is a "
                        + "network namespace with its platform address, name and /etc/hosts, and every packet between "
                        + "hosts crosses the platform's route in a relay that holds it for each link's serialization at "
                        + "its bandwidth and its latency. Prints the same report as run, in real seconds since the start.",
                "",
                "Needs CAP_SYS_ADMIN and CAP_NET_ADMIN (root, or an ordinary user inside "
                        + "'unshare --user --map-root-user'), /dev/net/tun, setpriv, unshare, nsenter and ip.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:every actor exited 0 (or was killed at its planned kill_time)",
                "1:some actor exited non-zero, was killed by a signal, or never started",
                "2:bad input, or this machine cannot emulate (a capability, /dev/net/tun, a tool missing); nothing was launched",
                "130:interrupted by Ctrl-C: the report shows the run up to then"})
final class EmulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeploymentFiles files;

    @Mixin
    LinkQueueOption linkQueue;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "simterpose-out",
            description = "where each actor's stdout and stderr files go (default: ${DEFAULT-VALUE})")
    Path outputDirectory;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the end report as JSON to FILE")
    Path jsonFile;

    @Option(names = "--strace", paramLabel = "DIR",
            description = "run every actor under strace -f -ttt -T: one log per process, DIR/<host>.<actor>.<pid> (real times)")
    Path straceDirectory;

    @Override
    public Integer call() {
        DeploymentFiles.Loaded loaded = files.load();
        LinkQueueDiscipline discipline = linkQueue.discipline();
        RunReportFormat.checkJsonFile(jsonFile);
        PrintWriter err = spec.commandLine().getErr();
        Emulator.Result result;
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err)) {
            result = Emulator.run(loaded.platform(), loaded.deployment(),
                    new EmulateOptions(outputDirectory.toAbsolutePath().normalize(),
                            straceDirectory == null ? null : straceDirectory.toAbsolutePath().normalize(), discipline));
        } catch (EmulationException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(RunReportFormat.text(result.report(), true));
        out.print(relayLine(result.relay(), discipline));
        out.flush();
        if (jsonFile != null) {
            try {
                Files.writeString(jsonFile, RunReportFormat.json(result.report(), outputDirectory));
            } catch (IOException e) {
                throw new UserError(jsonFile + ": cannot write the JSON report (" + e.getMessage() + ")");
            }
        }
        return RunReportFormat.exitStatus(result.report());
    }

    /** The relay's counters: what the links carried and dropped (and their queues' discipline), and how late it delivered. */
    static String relayLine(simterpose.emulator.LinkRelay.Stats s, LinkQueueDiscipline discipline) {
        if (s == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "relay: %d packets (%d B, largest %d B), %d delivered, %d dropped by a full "
                        + "link queue (%s), %d to no host; delivered %.1f us late on average (max %.1f us)%n",
                s.packets(), s.bytes(), s.largestPacket(), s.delivered(), s.droppedQueueFull(), discipline.optionValue(),
                s.droppedNoRoute(),
                s.meanLateMicros(), s.lateNanosMax() / 1e3);
    }
}
