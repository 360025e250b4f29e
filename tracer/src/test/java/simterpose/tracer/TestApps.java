package simterpose.tracer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the C test programs built into testapps/target/bin, and process checks. */
final class TestApps {
    private TestApps() {}

    static String dir() {
        String dir = System.getProperty("simterpose.testapps");
        if (dir == null) {
            dir = Path.of("..", "testapps", "target", "bin").toAbsolutePath().normalize().toString();
        }
        return dir;
    }

    /** Test apps of this build (not another worktree's) that are stopped or traced-stopped. */
    static List<Integer> stoppedTestApps() {
        return stoppedProcessesRunning(dir() + "/");
    }

    static String path(String name) {
        Path p = Path.of(dir(), name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test app missing: " + p + " (build the testapps module)");
        }
        return p.toString();
    }

    static boolean alive(int pid) {
        // A zombie still has /proc/PID; it is dead for our purpose.
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Processes whose command line mentions {@code marker} and that are stopped or traced (state t/T). */
    static List<Integer> stoppedProcessesRunning(String marker) {
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmd.contains(marker) && (state == 't' || state == 'T')) {
                        found.add(Integer.parseInt(name));
                    }
                } catch (IOException e) {
                    // raced with its exit
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }
}
