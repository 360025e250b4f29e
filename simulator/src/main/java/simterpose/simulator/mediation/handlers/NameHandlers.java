package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EFAULT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * uname answers the simulated host's name as its nodename (gethostname reads it there); the
 * other fields are the real kernel's. The files carrying names are {@code HostFiles}.
 */
final class NameHandlers {
    private NameHandlers() {}

    /** struct utsname: six char[65] fields; nodename is the second. */
    private static final int FIELD = 65, NODENAME_OFFSET = FIELD;

    static HandlerResult uname(Call c) {
        long buf = c.arg(0);
        byte[] name = c.proc().host().name().getBytes(StandardCharsets.UTF_8);
        byte[] field = Arrays.copyOf(name, FIELD); // NUL-padded; a longer name is cut as sethostname's 64-byte limit would
        field[FIELD - 1] = 0;
        return new HandlerResult.NativeThen(r -> {
            if (r == 0 && !c.write(buf + NODENAME_OFFSET, field)) {
                return -EFAULT;
            }
            return r;
        });
    }
}
