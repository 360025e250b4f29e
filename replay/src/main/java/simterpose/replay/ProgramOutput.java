package simterpose.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.SyscallTable;

/**
 * The replayed program's stdout and stderr: what it wrote to fds 1 and 2 during the recording
 * (its write calls are annulled and given their recorded results) goes to the replayer's own
 * outputs, taken from the replayed process's memory as the call describes it.
 */
final class ProgramOutput {
    private static final int NR_WRITE = SyscallTable.number("write"), NR_PWRITE64 = SyscallTable.number("pwrite64"),
            NR_WRITEV = SyscallTable.number("writev");

    private final OutputStream stdout, stderr;

    ProgramOutput(OutputStream stdout, OutputStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** write/writev/pwrite64 to fd 1 or 2: the bytes the program wrote go to the replayer's own output. */
    void reemit(Event.Entry call, long result, TraceeMemory mem) {
        long fd = call.args().length > 0 ? call.args()[0] : -1;
        if (result <= 0 || (fd != 1 && fd != 2)) {
            return;
        }
        OutputStream out = fd == 1 ? stdout : stderr;
        try {
            if (call.nr() == NR_WRITE || call.nr() == NR_PWRITE64) {
                byte[] b = mem.readFully(call.args()[1], (int) result);
                if (b != null) {
                    out.write(b);
                }
            } else if (call.nr() == NR_WRITEV) {
                int count = (int) Math.min(call.args()[2], 1024);
                byte[] vec = mem.readFully(call.args()[1], count * 16);
                long left = result;
                for (int v = 0; vec != null && v < count && left > 0; v++) {
                    int len = (int) Math.min(CallInputs.le64(vec, v * 16 + 8), left);
                    byte[] b = mem.readFully(CallInputs.le64(vec, v * 16), len);
                    if (b != null) {
                        out.write(b);
                    }
                    left -= len;
                }
            } else {
                return;
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
