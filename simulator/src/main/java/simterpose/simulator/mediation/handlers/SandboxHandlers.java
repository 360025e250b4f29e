package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOSYS;
import static simterpose.bindings.Errno.EPERM;
import static simterpose.simulator.kernel.LinuxNet.AF_UNIX;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;

import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.HandlerResult;

/**
 * The sandbox: the ways into the kernel that would reach the real network (or another process
 * that could) without passing through the simulated kernel, each refused with the errno a Linux
 * host without that feature gives, so programs take their fallback path. With the seccomp
 * filter's refusal of other ABIs (i386, x32: ENOSYS, see {@code BpfProgram}) and the simulated
 * AF_INET/AF_INET6 sockets, nothing a program does reaches a real network.
 *
 * <ul>
 * <li>io_uring_setup/enter/register: ENOSYS (a kernel without io_uring): its ring runs socket,
 *     connect and send operations the filter never sees. Programs fall back to plain syscalls.
 * <li>socket() of any family but AF_UNIX (real), AF_INET and AF_INET6 (simulated):
 *     EAFNOSUPPORT, what socket() gives for a family the kernel lacks. AF_PACKET would put
 *     frames on the real wire, AF_NETLINK route sockets list this machine's interfaces.
 * <li>seccomp(SECCOMP_SET_MODE_FILTER) with SECCOMP_FILTER_FLAG_NEW_LISTENER: EINVAL (a kernel
 *     before 5.0, which had no such flag); SECCOMP_GET_ACTION_AVAIL of SECCOMP_RET_USER_NOTIF:
 *     EOPNOTSUPP. A program's own filter may otherwise stack freely: seccomp takes the
 *     strictest action of all filters, and only USER_NOTIF both outranks our RET_TRACE and runs
 *     the call afterwards (a supervisor answering SECCOMP_USER_NOTIF_FLAG_CONTINUE); without a
 *     listener it fails the call with ENOSYS. ALLOW, LOG and TRACE rank below our TRACE;
 *     ERRNO, TRAP and KILL only stop the call.
 * <li>clone with CLONE_UNTRACED (in its flags argument, or in clone3's struct clone_args): the
 *     flag is cleared, so every child is followed (PTRACE_O_TRACECLONE/FORK/VFORK) and ends with the run.
 * <li>ptrace: EPERM (as under Yama's ptrace_scope 3): a traced program cannot attach to a process
 *     outside the run and make it do what the sandbox refuses.
 * <li>process_vm_readv/writev on a process that is not part of this run: EPERM, for the same
 *     reason; between the run's own processes (MPI's cross-memory attach) they stay native.
 * <li>pidfd_getfd on a process that is not part of this run: EPERM, as it could copy a real
 *     socket out of a process outside the sandbox.
 * </ul>
 */
final class SandboxHandlers {
    private SandboxHandlers() {}

    static final long CLONE_UNTRACED = 0x00800000L;
    private static final int SECCOMP_SET_MODE_FILTER = 1, SECCOMP_GET_ACTION_AVAIL = 2;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 1L << 3;
    private static final int SECCOMP_RET_USER_NOTIF = 0x7fc00000;
    private static final int EOPNOTSUPP = simterpose.bindings.Errno.EOPNOTSUPP;

    /** io_uring_setup/enter/register: ENOSYS, as a kernel without io_uring. */
    static HandlerResult noIoUring(Call c) {
        return HandlerResult.errno(ENOSYS);
    }

    /** ptrace: EPERM, as under Yama's ptrace_scope 3. */
    static HandlerResult noPtrace(Call c) {
        return HandlerResult.errno(EPERM);
    }

    /** socket() of a family the simulated kernel does not own: AF_UNIX stays real, the rest is refused. */
    static HandlerResult otherFamily(Call c, int domain) {
        return domain == AF_UNIX ? HandlerResult.NATIVE : HandlerResult.errno(EAFNOSUPPORT);
    }

    static HandlerResult seccomp(Call c) {
        int op = c.intArg(0);
        if (op == SECCOMP_SET_MODE_FILTER && (c.arg(1) & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0) {
            return HandlerResult.errno(EINVAL);
        }
        if (op == SECCOMP_GET_ACTION_AVAIL && c.readInt(c.arg(2), 0) == SECCOMP_RET_USER_NOTIF) {
            return HandlerResult.errno(EOPNOTSUPP);
        }
        return HandlerResult.NATIVE;
    }

    static HandlerResult clone(Call c) {
        if ((c.arg(0) & CLONE_UNTRACED) != 0) {
            c.stop.setRegs(c.stop.regs().withArg(0, c.arg(0) & ~CLONE_UNTRACED));
        }
        return HandlerResult.NATIVE;
    }

    /**
     * fork and vfork: native. They stop only so that a process is created in the run's turn order
     * (one tracee runs at a time): the run's PID namespace then gives it the same pid every run.
     */
    static HandlerResult newProcess(Call c) {
        return HandlerResult.NATIVE;
    }

    /** clone3(struct clone_args *args, size_t size): flags is the struct's first u64. */
    static HandlerResult clone3(Call c) {
        byte[] flags = c.read(c.arg(0), 8);
        if (flags == null) {
            return HandlerResult.NATIVE; // the kernel answers EFAULT itself
        }
        ByteBuffer b = ByteBuffer.wrap(flags).order(ByteOrder.LITTLE_ENDIAN);
        long value = b.getLong(0);
        if ((value & CLONE_UNTRACED) != 0) {
            b.putLong(0, value & ~CLONE_UNTRACED);
            if (!c.write(c.arg(0), flags)) {
                return HandlerResult.errno(EPERM); // never run it untraced
            }
        }
        return HandlerResult.NATIVE;
    }

    /** pidfd_getfd(pidfd, targetfd, flags): the pidfd's process, from the "Pid:" line of its fdinfo. */
    static HandlerResult pidfdGetfd(Call c) {
        Path info = Path.of("/proc", Integer.toString(c.thread.process.tgid), "fdinfo", Integer.toString(c.intArg(0)));
        try {
            for (String line : Files.readAllLines(info)) {
                if (line.startsWith("Pid:")) {
                    return c.traces(Integer.parseInt(line.substring(4).strip())) ? HandlerResult.NATIVE
                            : HandlerResult.errno(EPERM);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a pidfd or gone: the kernel answers EBADF itself
        }
        return HandlerResult.NATIVE;
    }

    static HandlerResult otherProcessMemory(Call c) {
        return c.hostTid(c.intArg(0)) > 0 ? HandlerResult.NATIVE : HandlerResult.errno(EPERM); // the pid is the namespace's
    }
}
