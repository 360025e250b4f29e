package simterpose.tracer.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import simterpose.tracer.LaunchException;

/**
 * Finds the file a command name denotes, the way execvp would, so a missing or
 * non-executable program is reported before anything is spawned.
 */
public final class ProgramPath {
    private ProgramPath() {}

    /**
     * @param program argv[0] as the user gave it
     * @param env the environment the program will get (its PATH is searched)
     * @param cwd the directory relative paths are resolved against
     * @return an absolute path to an executable regular file
     * @throws LaunchException with a message naming the program and what is wrong
     */
    public static Path resolve(String program, Map<String, String> env, Path cwd) {
        if (program.isEmpty()) {
            throw new LaunchException("cannot run '': empty program name");
        }
        if (program.endsWith("/")) {
            throw new LaunchException("cannot run '" + program + "': a program path cannot end with '/' (execve: ENOTDIR)");
        }
        if (program.contains("/")) {
            return check(program, cwd.resolve(program).toAbsolutePath().normalize());
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        Path firstNonExecutable = null;
        for (String dir : path.split(":", -1)) {
            Path candidate = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(program).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    ExecutableFormat.check(program, candidate);
                    return candidate;
                }
                if (firstNonExecutable == null) {
                    firstNonExecutable = candidate;
                }
            }
        }
        if (firstNonExecutable != null) {
            throw new LaunchException("cannot run '" + program + "': " + firstNonExecutable + " is not executable");
        }
        throw new LaunchException("cannot run '" + program + "': not found in PATH (" + path + ")");
    }

    private static Path check(String program, Path file) {
        if (!Files.exists(file)) {
            throw new LaunchException("cannot run '" + program + "': no such file (" + file + ")");
        }
        if (Files.isDirectory(file)) {
            throw new LaunchException("cannot run '" + program + "': " + file + " is a directory");
        }
        if (!Files.isExecutable(file)) {
            throw new LaunchException("cannot run '" + program + "': " + file + " is not executable");
        }
        ExecutableFormat.check(program, file);
        return file;
    }
}
