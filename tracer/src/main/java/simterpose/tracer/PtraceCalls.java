package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;

import static simterpose.tracer.Ptrace.*;

/**
 * The ptrace and waitpid calls of the owner thread with their native buffers (status word,
 * registers, event message), allocated once. Only {@link PtraceOwner} creates one and only its
 * thread calls it: the kernel answers ptrace on a tracee only to the thread that attached it
 * (asserted on every call when assertions are on, as in the tests).
 */
final class PtraceCalls {
    private final Thread owner;
    private final MemorySegment status;
    private final MemorySegment regsBuffer;
    private final MemorySegment eventMsg;
    private final MemorySegment siginfo;
    /** struct ptrace_syscall_info (linux/ptrace.h), filled by {@link #syscallInfo}. */
    private final MemorySegment syscallInfo;

    PtraceCalls(Arena arena, Thread owner) {
        this.owner = owner;
        status = arena.allocate(ValueLayout.JAVA_INT);
        regsBuffer = arena.allocate(Regs.WORDS * 8L, 8);
        eventMsg = arena.allocate(ValueLayout.JAVA_LONG);
        siginfo = arena.allocate(SignalInfo.NATIVE_SIZE, 8);
        syscallInfo = arena.allocate(SYSCALL_INFO_SIZE, 8);
    }

    /** waitpid(2); the status word is then {@link #status()}. */
    int waitpid(int pid, int options) {
        assert onOwner();
        return LibC.waitpid(pid, status, options);
    }

    /** The status word of the last {@link #waitpid}. */
    int status() {
        return status.get(ValueLayout.JAVA_INT, 0);
    }

    void ptrace(int request, int tid, long addr, long data) {
        assert onOwner();
        LibC.ptrace(request, tid, addr, data);
    }

    /** A ptrace request whose ESRCH (the thread died meanwhile) is no error: its death report follows. */
    void ptraceQuiet(int request, int tid, int sig) {
        assert onOwner();
        try {
            LibC.ptrace(request, tid, 0, sig);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
    }

    long peekText(int tid, long address) {
        assert onOwner();
        return LibC.ptracePeek(PEEKTEXT, tid, address);
    }

    void pokeText(int tid, long address, long word) {
        assert onOwner();
        LibC.ptrace(POKETEXT, tid, address, word);
    }

    Regs getRegs(int tid) {
        assert onOwner();
        LibC.ptrace(GETREGS, tid, 0, regsBuffer.address());
        return Regs.of(regsBuffer);
    }

    void setRegs(int tid, Regs regs) {
        assert onOwner();
        regs.copyTo(regsBuffer);
        LibC.ptrace(SETREGS, tid, 0, regsBuffer.address());
    }

    /**
     * An emulated syscall's two register writes (orig_rax = -1: the kernel skips the call; rax =
     * its result) as two PTRACE_POKEUSER: cheaper than one PTRACE_SETREGS, which copies and checks
     * all 27 words (C floor of bin/bench-run, 200 000 calls: 7.34 against 7.73 µs of tracer CPU per call).
     */
    /** One word of the thread's user area (PTRACE_PEEKUSER): a register by its index in {@link Regs}. */
    long peekRegister(int tid, int word) {
        assert onOwner();
        return LibC.ptracePeek(PEEKUSER, tid, word * 8L);
    }

    /** One register by its index in {@link Regs} (PTRACE_POKEUSER). */
    void pokeRegister(int tid, int word, long value) {
        assert onOwner();
        LibC.ptrace(POKEUSER, tid, word * 8L, value);
    }

    void pokeEmulated(int tid, long result) {
        assert onOwner();
        LibC.ptrace(POKEUSER, tid, Regs.ORIG_RAX * 8L, -1);
        LibC.ptrace(POKEUSER, tid, Regs.RAX * 8L, result);
    }

    /**
     * struct ptrace_syscall_info's size and offsets (the kernel's ABI, linux/ptrace.h: op u8, arch
     * u32, instruction_pointer, stack_pointer, then a union whose entry and seccomp members are
     * nr and args[6], and whose exit member is rval; LaunchAndSyscallsTest compares what they give
     * with PTRACE_GETREGS at real stops).
     */
    static final int SYSCALL_INFO_SIZE = 88, INFO_OP = 0, INFO_NR = 24, INFO_ARGS = 32, INFO_RVAL = 24;
    /** ptrace_syscall_info's op: what kind of stop the thread is in. */
    static final int INFO_NONE = 0, INFO_ENTRY = 1, INFO_EXIT = 2, INFO_SECCOMP = 3;

    /**
     * PTRACE_GET_SYSCALL_INFO: the stop's kind ({@code INFO_*}); then {@link #infoNr},
     * {@link #infoArgs} (entry and seccomp stops) or {@link #infoResult} (exit stops) read it.
     * At a syscall stop it copies a few words where PTRACE_GETREGS copies all 27 (and reads the
     * segment bases): about a third of GETREGS' kernel time (perf, trace's owner thread).
     */
    int syscallInfo(int tid) {
        assert onOwner();
        LibC.ptrace(GET_SYSCALL_INFO, tid, SYSCALL_INFO_SIZE, syscallInfo.address());
        return syscallInfo.get(ValueLayout.JAVA_BYTE, INFO_OP);
    }

    long infoNr() {
        return syscallInfo.get(ValueLayout.JAVA_LONG, INFO_NR);
    }

    long[] infoArgs() {
        long[] args = new long[6];
        MemorySegment.copy(syscallInfo, ValueLayout.JAVA_LONG, INFO_ARGS, args, 0, 6);
        return args;
    }

    long infoResult() {
        return syscallInfo.get(ValueLayout.JAVA_LONG, INFO_RVAL);
    }

    /** PTRACE_GETSIGINFO: the siginfo of the signal a signal-delivery stop is about to deliver. */
    SignalInfo getSiginfo(int tid) {
        assert onOwner();
        LibC.ptrace(GETSIGINFO, tid, 0, siginfo.address());
        return SignalInfo.of(siginfo);
    }

    /** PTRACE_GETEVENTMSG: the new child's tid at a clone/fork event, the former tid at an exec. */
    long eventMessage(int tid) {
        assert onOwner();
        LibC.ptrace(GETEVENTMSG, tid, 0, eventMsg.address());
        return eventMsg.get(ValueLayout.JAVA_LONG, 0);
    }

    private boolean onOwner() {
        if (Thread.currentThread() != owner) {
            throw new AssertionError("ptrace/waitpid from " + Thread.currentThread() + ", not the owner thread");
        }
        return true;
    }
}
