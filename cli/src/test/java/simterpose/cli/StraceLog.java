package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace written by {@code strace -f -o FILE} (or by {@code simterpose trace -f -o FILE}),
 * reduced to what two runs of the same program must share: per process, the sequence of
 * (syscall name, "ok" or errno name). Processes are named by ancestry, not pid: the root is
 * {@code p}, the k-th child a process created is its name + {@code .k} (taken from the return
 * value of clone/clone3/fork/vfork), so two runs with different pids compare.
 */
record StraceLog(Map<String, List<String>> perProcess) {
    /** One finished syscall: pid, name, outcome ("ok", "?" or an errno name), raw return. */
    private record Call(int pid, String name, String outcome, long value) {}

    private static final Pattern PID = Pattern.compile("^(\\d+)\\s+(.*)$");
    /** A -t/-tt/-ttt/-r stamp before the call and a -T duration after it: not part of the call. */
    private static final Pattern STAMP = Pattern.compile("^(?:\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{6})?|\\s*\\d+\\.\\d{6}) ");
    private static final Pattern SPENT = Pattern.compile(" <\\d+\\.\\d{6}>$");
    private static final Pattern START = Pattern.compile("^([a-z_0-9]+)\\(");
    private static final Pattern PID_CHANGED = Pattern.compile("<pid changed to (\\d+) \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z_0-9]+) resumed>");
    private static final Pattern RESULT = Pattern.compile(
            "\\s=\\s(?:-1 (E[A-Z0-9_]+) \\(.*\\)|\\? (ERESTART[A-Z_]*|EINTR) \\(.*\\)|(\\?)|(-?[0-9]+|0x[0-9a-f]+)(?: \\(.*\\))?)$");

    static StraceLog read(Path file, Predicate<String> keep) throws IOException {
        List<Call> calls = new ArrayList<>();
        Map<Integer, String> unfinished = new HashMap<>();
        for (String raw : Files.readAllLines(file)) {
            Matcher pm = PID.matcher(raw);
            if (!pm.matches()) {
                continue;
            }
            int pid = Integer.parseInt(pm.group(1));
            String line = SPENT.matcher(STAMP.matcher(pm.group(2)).replaceFirst("")).replaceFirst("");
            if (line.startsWith("---") || line.startsWith("+++")) {
                continue;
            }
            String name;
            Matcher rm = RESUMED.matcher(line);
            if (rm.find()) {
                name = rm.group(1);
                unfinished.remove(pid);
            } else {
                Matcher sm = START.matcher(line);
                if (!sm.find()) {
                    continue;
                }
                name = sm.group(1);
                if (line.endsWith("<unfinished ...>")) {
                    unfinished.put(pid, name);
                    continue;
                }
                Matcher moved = PID_CHANGED.matcher(line);
                if (moved.find()) {
                    // a non-leader thread's execve: it returns in the leader, under the leader's pid
                    unfinished.put(Integer.parseInt(moved.group(1)), name);
                    continue;
                }
            }
            Matcher res = RESULT.matcher(line);
            if (!res.find()) {
                throw new IllegalStateException("no result in trace line: " + raw);
            }
            String outcome = res.group(1) != null ? res.group(1) : res.group(2) != null ? res.group(2)
                    : res.group(3) != null ? "?" : "ok";
            long value = res.group(4) == null ? 0 : res.group(4).startsWith("0x")
                    ? Long.parseUnsignedLong(res.group(4).substring(2), 16) : Long.parseLong(res.group(4));
            calls.add(new Call(pid, name, outcome, value));
        }
        // Calls left unfinished because the thread died (exit, exit_group, a call cut by a
        // kill) count as "?". An execve left unfinished in a non-leader thread is the one that
        // returned in the leader ("<... execve resumed>" there): strace sometimes prints it as
        // "<unfinished ...>" instead of "<pid changed to ...>", so it is already counted.
        unfinished.forEach((pid, name) -> {
            if (!name.equals("execve")) {
                calls.add(new Call(pid, name, "?", 0));
            }
        });

        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Integer> childCount = new HashMap<>();
        if (!calls.isEmpty()) {
            names.put(calls.getFirst().pid(), "p");
        }
        // Children may print before their parent's clone returns: name them all first.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Call c : calls) {
                boolean creates = c.name().equals("clone") || c.name().equals("clone3") || c.name().equals("fork")
                        || c.name().equals("vfork");
                if (creates && c.outcome().equals("ok") && c.value() > 0 && names.containsKey(c.pid())
                        && !names.containsKey((int) c.value())) {
                    int k = childCount.merge(c.pid(), 1, Integer::sum);
                    names.put((int) c.value(), names.get(c.pid()) + "." + k);
                    changed = true;
                }
            }
        }
        Map<String, List<String>> per = new LinkedHashMap<>();
        for (Call c : calls) {
            if (!keep.test(c.name() + " " + c.outcome())) {
                continue;
            }
            String who = names.getOrDefault(c.pid(), "unknown-" + c.pid());
            per.computeIfAbsent(who, k -> new ArrayList<>()).add(c.name() + " " + c.outcome());
        }
        return new StraceLog(per);
    }
}
