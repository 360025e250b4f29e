package simterpose.cli.memtrace;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

import simterpose.tracer.Stop;
import simterpose.tracer.addressspace.ProcMaps;
import simterpose.tracer.addressspace.Region;
import simterpose.tracer.addressspace.Totals;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * The step console of {@code memtrace -s} and {@code trace --step}: at each stop it shows where
 * the program stands and reads commands from the controlling terminal until one resumes it.
 *
 * <p>Thread rule: {@link #pause} runs inside the stop handler, on the tracer's owner thread,
 * and blocks it while the user reads: every traced thread waits meanwhile (a stopped thread
 * stays stopped; the others block at their next stop). {@code detach} and {@code quit} post
 * their request to the engine, which serves it once the handler returns.
 */
public final class StepConsole {
    private static final String HELP = """
            commands (at each stop, before and after every syscall):
              next, n             run to the next stop (an empty line does the same)
              regs                the stopped thread's registers as a syscall sees them
              maps                the thread's mappings (/proc/TID/maps), summarised
              process, proc, p [ID]  the memory of process or thread ID (default: the first process)
              system, sys, s      the system's memory (/proc/meminfo)
              continue, cont, c   leave step mode; tracing goes on
              detach              stop tracing; the program goes on untraced
              quit                stop tracing and end the program
              help                this list
            """;
    private static final List<String> MEMINFO = List.of("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
            "Shmem", "SwapTotal", "SwapFree", "Committed_AS");

    private final BufferedReader in;
    private final PrintWriter out;
    private final String tool;
    private IntFunction<String> inspector = StepConsole::procStatus;
    private boolean stepping = true;
    private int root = -1;

    /** @param tool the command's name, for the prompt */
    public StepConsole(BufferedReader in, PrintWriter out, String tool) {
        this.in = in;
        this.out = out;
        this.tool = tool;
    }

    /**
     * The console on the controlling terminal ({@code /dev/tty}), whatever the program's stdin is.
     *
     * @throws IOException when there is no controlling terminal
     */
    public static StepConsole onTerminal(String tool) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream("/dev/tty"), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream("/dev/tty"), StandardCharsets.UTF_8), true);
        return new StepConsole(in, out, tool);
    }

    void setInspector(IntFunction<String> processReport) {
        this.inspector = processReport;
    }

    /** True until {@code continue}, {@code detach} or {@code quit}. */
    public boolean stepping() {
        return stepping;
    }

    /**
     * Shows the stop and serves commands until one resumes the thread.
     *
     * @param call   the syscall at an entry or exit stop (null at an exec stop)
     * @param result the return value at an exit stop, null at an entry
     */
    public void pause(Stop stop, PendingCall call, SyscallFormatter formatter, Long result) {
        if (root < 0) {
            root = stop.tracee().pid();
        }
        String where = call == null ? "exec " + (stop.event() instanceof StopEvent.Exec e ? e.path() : "")
                : result == null ? formatter.entryText(call) + " entry"
                : formatter.entryText(call) + " exit = " + formatter.resultText(call, result, stop.memory());
        String prompt = "(" + tool + " pid " + stop.tid() + ") " + (call != null ? call.name() + " " + (result == null ? "entry" : "exit") : "exec") + "> ";
        out.println("[" + stop.tid() + "] " + where);
        while (true) {
            out.print(prompt);
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) { // the terminal went away: go on tracing without it
                stepping = false;
                return;
            }
            String[] words = line.strip().split("\\s+");
            switch (words[0]) {
                case "", "n", "next" -> {
                    return;
                }
                case "c", "cont", "continue" -> {
                    stepping = false;
                    out.println("leaving step mode; tracing goes on");
                    return;
                }
                case "detach" -> {
                    stepping = false;
                    out.println("detaching: the program goes on untraced");
                    stop.tracee().detach();
                    return;
                }
                case "quit", "q" -> {
                    stepping = false;
                    out.println("ending the program");
                    stop.tracee().kill();
                    return;
                }
                case "regs" -> out.print(call == null ? "registers are shown at syscall stops\n"
                        : RegisterView.render(stop.regs(), call, formatter, result, stop.memory()));
                case "maps" -> out.print(maps(stop.tid()));
                case "p", "proc", "process" -> {
                    if (words.length > 1) {
                        try {
                            out.print(inspector.apply(Integer.parseInt(words[1])));
                        } catch (NumberFormatException e) {
                            out.println("process: ID must be a number, got '" + words[1] + "'");
                        }
                    } else {
                        out.print(inspector.apply(root));
                    }
                }
                case "s", "sys", "system" -> out.print(meminfo());
                case "help", "h", "?" -> out.print(HELP);
                default -> out.println("unknown command '" + words[0] + "' (help lists them)");
            }
        }
    }

    /** The kernel's figures for a process ({@code /proc/PID/status}: Vm* lines and Threads). */
    static String procStatus(int pid) {
        StringBuilder sb = new StringBuilder();
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (l.startsWith("Vm") || l.startsWith("Rss") || l.startsWith("Threads") || l.startsWith("Name")
                        || l.startsWith("Tgid")) {
                    sb.append("  ").append(l.replace('\t', ' ')).append('\n');
                }
            }
        } catch (IOException e) {
            return "  process " + pid + ": no such process\n";
        }
        return sb.toString();
    }

    /** {@code /proc/meminfo}'s main lines. */
    static String meminfo() {
        StringBuilder sb = new StringBuilder("system memory (/proc/meminfo)\n");
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                int colon = l.indexOf(':');
                if (colon > 0 && MEMINFO.contains(l.substring(0, colon))) {
                    long kib = Long.parseLong(l.substring(colon + 1).replace("kB", "").strip());
                    sb.append(String.format("  %-13s %s%n", l.substring(0, colon), Units.both(kib * 1024)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            sb.append("  cannot read /proc/meminfo: ").append(e.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** One line per mapping of {@code /proc/TID/maps} (size, kind, access, name), then the totals. */
    static String maps(int tid) {
        List<Region> regions = ProcMaps.read(tid);
        if (regions.isEmpty()) {
            return "  no mappings (thread " + tid + " is gone)\n";
        }
        StringBuilder sb = new StringBuilder("mappings of thread " + tid + " (/proc/" + tid + "/maps)\n");
        for (Region r : regions) {
            sb.append(String.format("  %012x-%012x %10s %-8s %-8s %s%n", r.start(), r.end(), Units.human(r.size()),
                    r.kind().label(), r.accessible() ? "" : "reserved", r.name()));
        }
        Totals t = Totals.of(regions);
        sb.append("  total: ").append(MemoryTracker.totalsText(t)).append('\n');
        return sb.toString();
    }
}
