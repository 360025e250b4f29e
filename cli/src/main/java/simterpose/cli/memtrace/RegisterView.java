package simterpose.cli.memtrace;

import simterpose.tracer.Regs;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * The console's {@code regs}: the registers of a thread stopped at a syscall, laid out as the
 * x86_64 syscall ABI uses them (the 2012 simterpose source's view): orig_rax holds the number,
 * rax the result (at entry the kernel has put -ENOSYS there), rdi, rsi, rdx, r10, r8, r9 the
 * arguments; each with what it means for this call.
 */
final class RegisterView {
    private static final String[] ARG_REGS = {"rdi", "rsi", "rdx", "r10", "r8", "r9"};

    private RegisterView() {}

    static String render(Regs regs, PendingCall call, SyscallFormatter formatter, Long result, TraceeMemory mem) {
        if (regs == null) {
            return "  no registers at this stop\n";
        }
        StringBuilder sb = new StringBuilder();
        row(sb, "orig_rax", regs.nr(), "syscall number: " + call.name());
        if (result == null) {
            row(sb, "rax", regs.rax(), "result: not yet (the kernel sets -ENOSYS at entry)");
        } else {
            row(sb, "rax", regs.rax(), "result: " + formatter.resultText(call, result, mem));
        }
        String[] texts = formatter.argumentTexts(call, result != null, result == null ? 0 : result, mem);
        for (int i = 0; i < ARG_REGS.length; i++) {
            String meaning;
            if (i >= call.syscall().argCount()) {
                meaning = "unused by " + call.name();
            } else if (texts[i] == null) {
                meaning = "argument " + (i + 1) + ": " + (result == null ? "filled in by the kernel (shown at exit)" : "not shown");
            } else {
                meaning = "argument " + (i + 1) + ": " + texts[i];
            }
            row(sb, ARG_REGS[i], regs.arg(i), meaning);
        }
        row(sb, "rip", regs.rip(), "the instruction after the syscall instruction");
        row(sb, "rsp", regs.rsp(), "stack pointer");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, long value, String meaning) {
        sb.append(String.format("  %-8s = 0x%016x  %s%n", name, value, meaning));
    }
}
