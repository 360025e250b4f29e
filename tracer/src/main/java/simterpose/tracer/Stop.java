package simterpose.tracer;

import simterpose.tracer.events.StopEvent;
import simterpose.tracer.memory.ProcessVmMemory;
import simterpose.tracer.memory.TraceeMemory;

/**
 * One stop of one traced thread, handed to the {@link StopHandler}: the event, the thread's
 * registers at syscall stops, its memory, and the changes the handler wants applied before the
 * thread resumes.
 *
 * <p>Thread rule: a Stop belongs to the thread running the handler until the handler returns.
 * Register changes are recorded here and applied by the owner thread (PTRACE_SETREGS, or two
 * PTRACE_POKEUSER for an {@link #emulate emulated} answer alone) when it
 * resumes the tracee, so a deferred verdict given from another thread costs no extra round trip
 * for them. Memory goes straight through process_vm_readv/writev, which any thread may call.
 */
public final class Stop {
    private final PtraceOwner owner;
    private final Tracee tracee;
    private final StopEvent event;
    private final long epochNanos;
    private Regs regs;
    private boolean regsChanged;
    /** {@link #emulate} was the only register change: applied as two words, not a whole SETREGS. */
    private boolean emulatedOnly;
    private long emulatedResult;
    private TraceeMemory memory;
    /** Set by the owner on the event that ends the tracee tree (its last thread is gone). */
    final boolean lastOfTree;
    /** The owner's record of the stopped thread, for a deferred verdict. */
    Tid tid;
    /** True while the handler of this stop runs (owner thread only): a verdict given then is this call's. */
    private boolean inHandler;
    /** The verdict {@link #resume} gave while the handler ran: applied as the handler returns DEFERRED. */
    private Resume givenInHandler;
    /**
     * A seccomp user notification, not a ptrace stop (see {@link Notifications}): the listener
     * it came on and its id, or -1. The thread waits in the kernel; it has no registers to read
     * or change; the verdict is its answer.
     */
    int listenerFd = -1;
    long notificationId;

    Stop(PtraceOwner owner, Tracee tracee, StopEvent event, Regs regs, long epochNanos, boolean lastOfTree) {
        this.owner = owner;
        this.tracee = tracee;
        this.event = event;
        this.regs = regs;
        this.epochNanos = epochNanos;
        this.lastOfTree = lastOfTree;
    }

    public StopEvent event() { return event; }
    public int tid() { return event.tid(); }
    /** The launched or attached process tree this thread belongs to. */
    public Tracee tracee() { return tracee; }
    /** Wall-clock time of the stop, nanoseconds since the epoch. */
    public long epochNanos() { return epochNanos; }

    /**
     * Registers at a syscall entry or exit stop, and at an exec stop (where rsp points at the new
     * image's argc: see {@link Auxv}); at a signal-delivery stop too when asked on the owner
     * thread (INLINE dispatch: e.g. to emulate the instruction that faulted); null at other
     * stops (and after exit). For a handler whose {@link StopHandler#registersOnDemand} is true,
     * a syscall stop's registers too are read when first asked for, on the owner thread only.
     */
    public Regs regs() {
        if (regs == null && !notified() && readOnDemand() && owner.onOwnerThread()) {
            regs = owner.registers(event.tid()); // read on demand: most signal stops need no registers
        }
        if (emulatedOnly && regs != null) {
            // the registers the tracee will see, made only for a caller that asks
            regs = regs.withNr(-1).withRax(emulatedResult);
            regsChanged = true;
            emulatedOnly = false;
        }
        return regs;
    }

    /** Stops whose registers are read when first asked for, on the owner thread. */
    private boolean readOnDemand() {
        return event instanceof StopEvent.SignalDelivery || event instanceof StopEvent.Interrupted
                || tracee.registersOnDemand && (event instanceof StopEvent.SyscallEntry || event instanceof StopEvent.SyscallExit);
    }

    /**
     * At a signal-delivery stop, read on the owner thread (INLINE dispatch): the siginfo the
     * signal carries (who sent it, a child's status, the faulting address); null elsewhere or
     * if the thread is gone.
     */
    public SignalInfo siginfo() {
        if (!(event instanceof StopEvent.SignalDelivery) || !owner.onOwnerThread()) {
            return null;
        }
        try {
            return owner.siginfo(event.tid());
        } catch (simterpose.bindings.ErrnoException gone) {
            return null;
        }
    }

    /**
     * True when the call came by seccomp user notification: the thread is not ptrace-stopped,
     * {@link #regs()} is null, and only {@link #emulate} or letting the call run (without an exit
     * stop) are possible.
     */
    public boolean notified() {
        return listenerFd >= 0;
    }

    /** Replaces the registers; applied with PTRACE_SETREGS before the thread resumes. */
    public void setRegs(Regs newRegs) {
        if (regs() == null) {
            throw new IllegalStateException("registers are only available at syscall and exec stops, not at " + event);
        }
        regs = newRegs;
        regsChanged = true;
        emulatedOnly = false;
    }

    /**
     * At a syscall entry: skip the syscall and make it return {@code result} (a value, or
     * -errno). The kernel skips a syscall whose orig_rax is -1 and leaves rax alone.
     */
    public void emulate(long result) {
        if (!(event instanceof StopEvent.SyscallEntry)) {
            throw new IllegalStateException("emulate() needs a syscall entry stop, not " + event);
        }
        if (regsChanged || emulatedOnly) {
            setRegs(regs().withNr(-1).withRax(result));
        } else {
            emulatedOnly = true;
            emulatedResult = result;
        }
    }

    /** The thread's address space (process_vm_readv/writev). */
    public TraceeMemory memory() {
        if (memory == null) {
            memory = new ProcessVmMemory(event.tid());
        }
        return memory;
    }

    /**
     * At a syscall entry stop: runs syscall {@code nr} with {@code args} in the tracee in place
     * of the stopped one, returns its result, then puts the thread back at the same entry stop
     * (same registers), so the handler can still let the original run, change or emulate it.
     */
    public long injectSyscall(long nr, long... args) {
        if (!(event instanceof StopEvent.SyscallEntry)) {
            throw new IllegalStateException("injectSyscall() needs a syscall entry stop, not " + event);
        }
        if (regsChanged || emulatedOnly) {
            throw new IllegalStateException("inject before changing registers");
        }
        if (notified()) {
            throw new IllegalStateException("injectSyscall() needs a ptrace stop, not a notified call: " + event);
        }
        return owner.inject(this, nr, args);
    }

    /**
     * Writes {@code bytes} at {@code address} with PTRACE_POKEDATA, which also works on
     * read-only mappings (code, .rodata, the vDSO) where {@link #memory()} writes come back
     * short. Word by word on the owner thread: use it for small patches only.
     */
    public void writeReadOnly(long address, byte[] bytes) {
        owner.poke(this, address, bytes.clone());
    }

    /**
     * Gives the verdict of a stop whose handler answers {@link Resume#DEFERRED}; any thread
     * may call it, once. Register changes made before are applied. Called on the owner thread
     * while this stop's own handler still runs (a handler that moved its simulation on until
     * this very thread was due), the verdict is kept here and applied as soon as the handler
     * returns DEFERRED, with no request in between: the handler must then return DEFERRED.
     */
    public void resume(Resume verdict) {
        if (verdict == Resume.DEFERRED || tid == null) {
            throw new IllegalStateException("resume() needs a real verdict for a deferred stop, not " + verdict);
        }
        if (inHandler && owner.onOwnerThread()) {
            if (givenInHandler != null) {
                throw new IllegalStateException("a second verdict for " + this);
            }
            givenInHandler = verdict;
            return;
        }
        owner.post(new PtraceOwner.Request.Decide(tid, this, verdict));
    }

    /**
     * Runs the stop's handler (owner thread): its verdict, which is the one {@link #resume}
     * gave meanwhile when the handler answered DEFERRED after that.
     */
    Resume handleWith(StopHandler handler) {
        inHandler = true;
        Resume r;
        try {
            r = handler.onStop(this);
        } finally {
            inHandler = false;
        }
        if (givenInHandler != null) {
            if (r != Resume.DEFERRED) {
                throw new IllegalStateException("the handler of " + this + " gave a verdict and returned " + r);
            }
            return givenInHandler;
        }
        return r;
    }

    boolean regsChanged() { return regsChanged; }
    boolean emulatedOnly() { return emulatedOnly; }
    long emulatedResult() { return emulatedResult; }

    @Override
    public String toString() {
        return "Stop[" + event + "]";
    }
}
