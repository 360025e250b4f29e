package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Parameters;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformLoader;
import simterpose.tracer.LaunchException;
import simterpose.tracer.launch.ArgumentLimits;
import simterpose.tracer.launch.ProgramPath;

/**
 * The two files {@code run}, {@code emulate} and {@code compare} take (a picocli mixin): the
 * platform, and the deployment (by default the platform file's own actors); loaded and checked
 * the same way by all three, programs included, before anything is launched.
 */
final class DeploymentFiles {
    @Parameters(index = "0", paramLabel = "PLATFORM", description = "SimGrid platform file (it may also hold the deployment)")
    Path platformFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEPLOYMENT",
            description = "SimGrid deployment file (default: the actors of the platform file)")
    Path deploymentFile;

    /** The platform and deployment, both checked. */
    record Loaded(Platform platform, Deployment deployment) {}

    Loaded load() {
        Platform platform = platform();
        return new Loaded(platform, deployment(platform));
    }

    /** The platform; a bad one is a {@link UserError} with its file:line:column. */
    Platform platform() {
        return RunCommand.load(() -> PlatformLoader.load(platformFile));
    }

    /** The deployment on {@code platform}: it has actors, and each actor's program can run. */
    Deployment deployment(Platform platform) {
        Deployment deployment = RunCommand.load(() -> deploymentFile == null || sameFile(platformFile, deploymentFile)
                ? platform.deployment().validate(platform)
                : PlatformLoader.loadDeployment(deploymentFile, platform));
        if (deployment.actors().isEmpty()) {
            Path file = deploymentFile == null ? platformFile : deploymentFile;
            throw new UserError(file + ": no actors to run (expected <actor host=\"…\" function=\"program\"> elements)");
        }
        for (ActorSpec actor : deployment.actors()) {
            RunCommand.load(() -> checkProgram(actor));
        }
        return deployment;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /**
     * The actor's program must exist and be executable, found the way the run will find it
     * (execvp's rule): a function with a '/' against the actor's {@code cwd} prop or else the
     * current directory, a bare name on PATH (the tool's, or the one its {@code env} prop sets).
     */
    private static Path checkProgram(ActorSpec actor) {
        String who = "actor '" + actor.function() + "' on host '" + actor.host() + "': ";
        Map<String, String> env = actor.environment(System.getenv());
        Path cwd = actor.directory();
        if (!Files.isDirectory(cwd)) {
            throw actor.location().error(who + "its cwd " + cwd + " is not a directory");
        }
        try {
            Path program = ProgramPath.resolve(actor.function(), env, cwd);
            List<String> argv = new ArrayList<>();
            argv.add(actor.function());
            argv.addAll(actor.args());
            ArgumentLimits.check(argv, env);
            return program;
        } catch (LaunchException e) {
            throw actor.location().error(who + e.getMessage());
        }
    }
}
