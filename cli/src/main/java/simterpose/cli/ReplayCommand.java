package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simterpose.replay.RecordingFile;
import simterpose.replay.Replayer;
import simterpose.tracer.LaunchException;

/**
 * {@code simterpose replay}: re-executes a recorded run from its recording alone. Exit status is
 * the program's, or {@value #EXIT_DIVERGED} when it stopped following its recording.
 */
@Command(name = "replay", modelTransformer = TraceCommand.StopAtCommand.class,
        description = "Replay a recorded run: the program gets its recorded syscall results; the first divergence stops it.",
        customSynopsis = "simterpose replay [--cpu CPU] [--gdb=N] DIR [-- CMD [ARG...]]")
final class ReplayCommand implements Callable<Integer> {
    /** Exit status when the replay diverged from the recording. */
    static final int EXIT_DIVERGED = 3;

    @Option(names = "--cpu", paramLabel = "CPU", description = "Pin the tracer and the program to CPU.")
    Integer cpu;

    @Option(names = "--gdb", paramLabel = "N",
            description = "Replay up to the first thread's syscall N (0-based), then leave the process stopped there, untraced, for gdb -p PID.")
    Long gdbAt;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Parameters(paramLabel = "DIR [-- CMD ARG...]", arity = "0..*",
            description = "The recording's directory, then optionally the command to run instead of the recorded one.")
    List<String> words = new ArrayList<>();

    private static boolean zombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public Integer call() {
        if (words.isEmpty()) {
            throw new UserError("replay: give a recording's directory (simterpose replay DIR [-- CMD ARGS...])");
        }
        Path dir = Path.of(words.getFirst());
        List<String> command = new ArrayList<>(words.subList(1, words.size()));
        if (!command.isEmpty() && command.getFirst().equals("--")) {
            command.removeFirst();
        }
        CommandToRun.checkCpu(cpu);
        Path file = dir.resolve(RecordingFile.NAME);
        if (!Files.isRegularFile(file)) {
            throw new UserError("replay: " + dir + ": no recording there (expected " + file + ")");
        }
        RecordingFile.Recording recording;
        try {
            recording = RecordingFile.read(file);
        } catch (IOException e) {
            throw new UserError("replay: " + e.getMessage(), e);
        }
        Replayer.Outcome outcome;
        try {
            if (gdbAt != null && gdbAt < 0) {
                throw new UserError("--gdb " + gdbAt + ": a syscall index is >= 0");
            }
            outcome = Replayer.replay(recording, Replayer.launchSpec(recording.header(), command), System.out, System.err,
                    cpu == null ? -1 : cpu, gdbAt == null ? -1 : gdbAt);
        } catch (LaunchException e) {
            throw new UserError("replay: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("replay: interrupted");
        }
        System.out.flush();
        for (String w : outcome.warnings()) {
            System.err.println("simterpose replay: warning: " + w);
        }
        if (outcome.handOver() != null) {
            Replayer.HandOver h = outcome.handOver();
            System.err.println("simterpose replay: process " + h.pid() + " is stopped before its syscall #" + h.syscallIndex()
                    + " (recorded: " + h.nextCall() + "), untraced: gdb -p " + h.pid()
                    + " (from there it runs natively); waiting until it ends");
            // This JVM stays its parent: were it to exit, the stopped process's group would be
            // orphaned and the kernel would send it SIGHUP, which kills it.
            Path proc = Path.of("/proc", Integer.toString(h.pid()));
            try {
                while (Files.exists(proc) && !zombie(proc)) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        if (outcome.divergence() != null) {
            System.err.println("simterpose replay: " + outcome.divergence().report());
            return EXIT_DIVERGED;
        }
        return outcome.exitStatus();
    }
}
