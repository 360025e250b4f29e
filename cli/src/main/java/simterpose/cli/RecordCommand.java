package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simterpose.replay.Recorder;
import simterpose.replay.RecordingFile;
import simterpose.tracer.LaunchException;
import simterpose.tracer.LaunchSpec;

/**
 * {@code simterpose record}: runs a command natively under the tracer and writes its run, at its
 * syscalls, into a directory that {@code simterpose replay} re-executes offline. Exit status is
 * the command's.
 */
@Command(name = "record", modelTransformer = TraceCommand.StopAtCommand.class,
        description = "Record a command's run (syscall results, memory writes, signals, clock and rdtsc reads) for replay.",
        customSynopsis = "simterpose record -o DIR [-f] [--cpu CPU] [--] CMD [ARG...]")
final class RecordCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "Directory to write the recording to (recording.sim, summary.txt).")
    Path dir;

    @Option(names = "-f", description = "Replace a recording already in DIR.")
    boolean force;

    @Option(names = "--cpu", paramLabel = "CPU", description = "Pin the tracer and the command to CPU.")
    Integer cpu;

    @Mixin
    CommandToRun target;

    @Override
    public Integer call() {
        if (target.command.isEmpty()) {
            throw new UserError("record: give a command to run (simterpose record -o DIR -- CMD ARGS...)");
        }
        CommandToRun.checkCpu(cpu);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("record: -o " + dir + ": not a directory");
        }
        if (!force && nonEmpty(dir)) {
            throw new UserError("record: -o " + dir + ": directory is not empty (-f replaces the recording in it)");
        }
        try {
            Recorder.Result r = Recorder.record(new LaunchSpec(target.command, null, null, null, null, null), dir, cpu == null ? -1 : cpu);
            System.err.printf("simterpose record: %d syscalls, %d bytes written by them, recording %s: %d bytes%n",
                    r.syscalls(), r.bytesWritten(), dir.resolve(RecordingFile.NAME), r.fileBytes());
            if (!r.unknownEffects().isEmpty()) {
                System.err.println("simterpose record: warning: memory effects unknown for " + String.join(", ", r.unknownEffects())
                        + " (replayed with their result only)");
            }
            return r.exitStatus();
        } catch (LaunchException e) {
            throw new UserError("record: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError("record: cannot write " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("record: interrupted");
        }
    }

    private static boolean nonEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            throw new UserError("record: -o " + dir + ": " + e.getMessage());
        }
    }
}
