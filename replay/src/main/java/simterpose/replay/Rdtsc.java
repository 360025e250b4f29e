package simterpose.replay;

import simterpose.tracer.Regs;
import simterpose.tracer.memory.TraceeMemory;

/**
 * The time-stamp counter instructions a thread traps on under {@code PR_SET_TSC(PR_TSC_SIGSEGV)}:
 * recognised at the faulting rip and emulated (edx:eax = the value, rcx = 0 for rdtscp, rip
 * past the instruction) instead of delivering the SIGSEGV.
 */
final class Rdtsc {
    private Rdtsc() {}

    /** 2 for rdtsc (0f 31), 3 for rdtscp (0f 01 f9), 0 for anything else. */
    static int instructionLength(TraceeMemory mem, long rip) {
        byte[] code = mem.readFully(rip, 3);
        if (code == null) {
            code = mem.readFully(rip, 2);
        }
        if (code == null || code[0] != 0x0f) {
            return 0;
        }
        if (code[1] == 0x31) {
            return 2;
        }
        return code.length == 3 && code[1] == 0x01 && (code[2] & 0xff) == 0xf9 ? 3 : 0;
    }

    static Regs emulate(Regs regs, int length, long value) {
        Regs r = regs.withRax(value & 0xffffffffL).withRdx(value >>> 32).withRip(regs.rip() + length);
        return length == 3 ? r.withRcx(0) : r;
    }
}
