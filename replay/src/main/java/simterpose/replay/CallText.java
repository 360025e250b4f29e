package simterpose.replay;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import simterpose.tracer.Stop;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.Arg;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;

/** How a replay's divergence report names what was recorded and what the program did instead. */
final class CallText {
    private CallText() {}

    /** The call a thread actually makes at a syscall-entry stop, described like a recorded one. */
    static String actual(Stop stop, StopEvent.SyscallEntry e) {
        Syscall sc = SyscallTable.byNumber((int) e.nr()).orElse(null);
        long[] args = sc == null ? e.args() : Arrays.copyOf(e.args(), sc.argCount());
        List<String> strings = sc == null ? List.of() : CallInputs.strings(sc, args, stop.memory());
        int crc = sc == null ? 0 : CallInputs.crc(sc, args, stop.memory());
        return of(new Event.Entry(e.tid(), (int) e.nr(), args, strings, crc));
    }

    /** One event as the report shows it: calls strace-like, with their strings in place. */
    static String of(Event ev) {
        return switch (ev) {
            case Event.Entry e -> {
                Syscall sc = SyscallTable.byNumber(e.nr()).orElse(null);
                StringBuilder s = new StringBuilder(SyscallTable.name(e.nr())).append('(');
                int str = 0;
                for (int i = 0; i < e.args().length; i++) {
                    if (i > 0) {
                        s.append(", ");
                    }
                    Arg kind = sc != null && i < sc.args().size() ? sc.args().get(i) : null;
                    if ((kind == Arg.PATH || kind == Arg.STR) && e.args()[i] != 0 && str < e.strings().size()) {
                        s.append('"').append(e.strings().get(str++)).append('"');
                    } else if (kind == Arg.DIRFD && (int) e.args()[i] == -100) {
                        s.append("AT_FDCWD");
                    } else if (kind == Arg.INT || kind == Arg.FD || kind == Arg.DIRFD) {
                        s.append((int) e.args()[i]);
                    } else if (kind == Arg.SIZE || kind == Arg.UINT) {
                        s.append(Long.toUnsignedString(e.args()[i]));
                    } else {
                        s.append("0x").append(Long.toHexString(e.args()[i]));
                    }
                }
                s.append(')');
                if (e.inputCrc() != 0) {
                    s.append(" /* data crc32 ").append(HexFormat.of().toHexDigits(e.inputCrc())).append(" */");
                }
                yield s.toString();
            }
            case Event.Exit x -> "a syscall returning " + x.result();
            case Event.MappedFile m -> "mmap of " + m.path();
            case Event.Signal s -> "signal " + s.signal() + " at 0x" + Long.toHexString(s.rip());
            case Event.Rdtsc r -> "rdtsc";
            case Event.Exec x -> "exec of " + x.path();
            case Event.ThreadGone g -> "the thread ends (status " + g.status() + ")";
        };
    }
}
