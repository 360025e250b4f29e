package simterpose.tracer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to launch: {@code argv[0]} is the program (a path, or a name searched in the PATH of
 * {@code env}); {@code env} null means the tool's own environment; {@code cwd} null means the
 * tool's directory; a null redirection inherits the tool's descriptor (stdout/stderr files are
 * truncated).
 */
public record LaunchSpec(List<String> argv, Map<String, String> env, Path cwd,
                         Path stdin, Path stdout, Path stderr) {
    public LaunchSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty: nothing to launch");
        }
        env = env == null ? null : Map.copyOf(env);
    }

    public static LaunchSpec of(String... argv) {
        return new LaunchSpec(List.of(argv), null, null, null, null, null);
    }

    public LaunchSpec withStdout(Path file) { return new LaunchSpec(argv, env, cwd, stdin, file, stderr); }
    public LaunchSpec withStderr(Path file) { return new LaunchSpec(argv, env, cwd, stdin, stdout, file); }
    public LaunchSpec withStdin(Path file) { return new LaunchSpec(argv, env, cwd, file, stdout, stderr); }
    public LaunchSpec withCwd(Path dir) { return new LaunchSpec(argv, env, dir, stdin, stdout, stderr); }
    public LaunchSpec withEnv(Map<String, String> environment) {
        return new LaunchSpec(argv, environment, cwd, stdin, stdout, stderr);
    }
}
