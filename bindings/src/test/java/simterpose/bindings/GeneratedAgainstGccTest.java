package simterpose.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.iovec;
import simterpose.bindings.linux.posix_spawn_file_actions_t;
import simterpose.bindings.linux.posix_spawnattr_t;
import simterpose.bindings.linux.seccomp_data;
import simterpose.bindings.linux.seccomp_notif;
import simterpose.bindings.linux.seccomp_notif_resp;
import simterpose.bindings.linux.siginfo_t;
import simterpose.bindings.linux.sigset_t;
import simterpose.bindings.linux.sock_filter;
import simterpose.bindings.linux.sock_fprog;
import simterpose.bindings.linux.user_regs_struct;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every constant jextract.sh asks for, and the size of every struct, compared with what gcc
 * computes from the same header: the generated Java and the C compiler must agree exactly.
 */
class GeneratedAgainstGccTest {
    private static final Path MODULE = Path.of(System.getProperty("simterpose.root", "..")).resolve("bindings");

    /** The names listed in jextract.sh's {@code constants="..."} block. */
    private static List<String> constantNames() throws IOException {
        String script = Files.readString(MODULE.resolve("jextract.sh"));
        Matcher block = Pattern.compile("(?s)\\nconstants=\"(.*?)\"").matcher(script);
        assertThat(block.find()).as("constants block in jextract.sh").isTrue();
        return List.of(block.group(1).trim().split("\\s+"));
    }

    /** Compiles and runs a C program printing "name value" lines; returns them in order. */
    private static Map<String, Long> valuesFromGcc(Path dir, List<String> exprNames, List<String> exprs)
            throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder()
                .append("#include \"").append(MODULE.resolve("src/main/native/simterpose_linux.h").toAbsolutePath()).append("\"\n")
                .append("#include <stdio.h>\nint main(void) {\n");
        for (int i = 0; i < exprs.size(); i++) {
            c.append("  printf(\"%s %lld\\n\", \"").append(exprNames.get(i)).append("\", (long long)(")
                    .append(exprs.get(i)).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path source = dir.resolve("values.c");
        Path binary = dir.resolve("values");
        Files.writeString(source, c);
        Process gcc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String gccOutput = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc: %s", gccOutput).isZero();
        Process run = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor()).isZero();
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split(" ");
            values.put(parts[0], Long.parseLong(parts[1]));
        }
        return values;
    }

    @Test
    void everyGeneratedConstantEqualsGccsValue(@TempDir Path dir) throws Throwable {
        List<String> names = constantNames();
        assertThat(names).hasSizeGreaterThan(200).contains("PTRACE_SEIZE", "SECCOMP_RET_TRACE", "AUDIT_ARCH_X86_64");
        Map<String, Long> fromGcc = valuesFromGcc(dir, names, names);

        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        List<String> mismatches = new ArrayList<>();
        for (String name : names) {
            long c = fromGcc.get(name);
            MethodHandle getter;
            boolean isInt;
            try {
                getter = lookup.findStatic(Linux.class, name, MethodType.methodType(int.class));
                isInt = true;
            } catch (NoSuchMethodException e) {
                getter = lookup.findStatic(Linux.class, name, MethodType.methodType(long.class));
                isInt = false;
            }
            // An int constant holds C's unsigned values by their bits (AUDIT_ARCH_X86_64, SECCOMP_RET_KILL_PROCESS).
            long java = isInt ? (int) getter.invoke() : (long) getter.invoke();
            long expected = isInt ? (int) c : c;
            if (java != expected) {
                mismatches.add(name + ": java " + java + ", gcc " + expected);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyGeneratedStructHasGccsSize(@TempDir Path dir) throws Throwable {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("struct user_regs_struct", user_regs_struct.sizeof());
        java.put("struct iovec", iovec.sizeof());
        java.put("struct sock_filter", sock_filter.sizeof());
        java.put("struct sock_fprog", sock_fprog.sizeof());
        java.put("struct seccomp_data", seccomp_data.sizeof());
        java.put("struct seccomp_notif", seccomp_notif.sizeof());
        java.put("struct seccomp_notif_resp", seccomp_notif_resp.sizeof());
        java.put("siginfo_t", siginfo_t.sizeof());
        java.put("sigset_t", sigset_t.sizeof());
        java.put("posix_spawn_file_actions_t", posix_spawn_file_actions_t.sizeof());
        java.put("posix_spawnattr_t", posix_spawnattr_t.sizeof());
        java.put("offsetof(struct user_regs_struct, orig_rax)", user_regs_struct.orig_rax$offset());
        java.put("offsetof(struct seccomp_data, args)", seccomp_data.args$offset());
        java.put("offsetof(siginfo_t, si_code)", siginfo_t.si_code$offset());

        List<String> labels = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        int i = 0;
        for (String type : java.keySet()) {
            labels.add("e" + i++);
            exprs.add(type.startsWith("offsetof") ? "__builtin_" + type : "sizeof(" + type + ")");
        }
        Map<String, Long> fromGcc = valuesFromGcc(dir, labels, exprs);

        i = 0;
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(fromGcc.get("e" + i++));
        }
    }
}
