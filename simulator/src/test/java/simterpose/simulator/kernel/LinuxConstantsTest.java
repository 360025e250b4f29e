package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.bindings.Errno;

/** The numbers the kernel speaks (socket API constants, errnos) are those of this system's C headers. */
class LinuxConstantsTest {
    /** Values LinuxNet defines that are not C macros. */
    private static final Set<String> NOT_IN_C = Set.of("SOCK_TYPE_MASK", "EPHEMERAL_FIRST", "EPHEMERAL_LAST",
            "SOMAXCONN");

    private static Map<String, Integer> constants(Class<?> c) throws IllegalAccessException {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !NOT_IN_C.contains(f.getName())
                    && !f.getName().startsWith("ERESTART")) {
                m.put(f.getName(), f.getInt(null));
            }
        }
        return m;
    }

    private static Map<String, Integer> fromGcc(Path dir, List<String> names) throws Exception {
        StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n#include <sys/socket.h>\n#include <netinet/in.h>\n"
                + "#include <netinet/tcp.h>\n#include <netinet/udp.h>\n#include <fcntl.h>\n#include <poll.h>\n#include <sys/ioctl.h>\n"
                + "#include <linux/sockios.h>\n#include <errno.h>\n#include <stdio.h>\nint main(void) {\n");
        for (String n : names) {
            c.append("  printf(\"%s %d\\n\", \"").append(n).append("\", (int)(").append(n).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("c.c");
        Path bin = dir.resolve("c");
        Files.writeString(src, c);
        Process gcc = new ProcessBuilder("gcc", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc: %s", out).isZero();
        Process run = new ProcessBuilder(bin.toString()).redirectErrorStream(true).start();
        String text = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor()).isZero();
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] p = line.split(" ");
            m.put(p[0], Integer.parseInt(p[1]));
        }
        return m;
    }

    @Test
    void socketConstantsAndErrnosEqualTheCHeaders(@TempDir Path dir) throws Exception {
        Map<String, Integer> ours = new LinkedHashMap<>(constants(LinuxNet.class));
        ours.putAll(constants(Errno.class));
        assertThat(ours).containsKeys("SO_SNDBUF", "MSG_NOSIGNAL", "FIONREAD", "EISCONN", "EALREADY");
        assertThat(fromGcc(dir, List.copyOf(ours.keySet()))).isEqualTo(ours);
        for (var e : constants(Errno.class).entrySet()) {
            assertThat(Errno.name(e.getValue())).isEqualTo(e.getKey());
        }
    }
}
