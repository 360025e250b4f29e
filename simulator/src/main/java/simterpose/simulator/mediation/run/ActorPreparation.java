package simterpose.simulator.mediation.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import simterpose.simulator.mediation.tracee.DeployedActor;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Host;
import simterpose.tracer.LaunchException;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.launch.ProgramPath;

/**
 * An actor of the deployment made ready to launch, before anything runs: its program resolved
 * (a path against its directory, a bare name on PATH), its environment (this one plus its
 * {@code env} prop), its directory ({@code cwd}), its standard input ({@code stdin}) and the
 * files its output goes to. Bad input is a located error here, so a run never half-starts.
 */
final class ActorPreparation {
    private ActorPreparation() {}

    /** Resolves the program, environment and directory: bad input fails here, before any launch. */
    static DeployedActor prepare(int index, ActorSpec spec, Host host, Path out) {
        Map<String, String> env = spec.environment(System.getenv());
        Path cwd = spec.directory();
        if (!Files.isDirectory(cwd)) {
            throw spec.location().error("actor '" + spec.function() + "': directory " + cwd + " does not exist");
        }
        List<String> argv = new ArrayList<>();
        argv.add(spec.function());
        argv.addAll(spec.args());
        try {
            ProgramPath.resolve(spec.function(), env, cwd);
            simterpose.tracer.launch.ArgumentLimits.check(argv, env);
        } catch (LaunchException e) {
            throw spec.location().error(e.getMessage());
        }
        String base = host.name() + "-" + simpleName(spec.function()) + "-" + index;
        Path stdout = out.resolve(base + ".stdout");
        Path stderr = out.resolve(base + ".stderr");
        LaunchSpec launch = new LaunchSpec(argv, env, cwd, ActorStdin.of(spec, cwd), stdout, stderr);
        return new DeployedActor(index, spec, host, launch, stdout, stderr);
    }

    static String simpleName(String function) {
        return function.substring(function.lastIndexOf('/') + 1);
    }

}
