package simterpose.tracer.syscall;

import java.util.List;
import java.util.Set;

/**
 * One row of the x86_64 syscall table.
 *
 * @param number    the x86_64 syscall number (rax)
 * @param name      the name strace prints
 * @param argCount  how many arguments the kernel reads
 * @param classes   strace's classes ({@code %file}, {@code %network}...)
 * @param ret       how a successful return value is printed
 * @param args      one decoder per argument, or empty when the syscall has no dedicated decoder
 *                  (then every argument is printed in hex, as strace's printargs does)
 */
public record Syscall(int number, String name, int argCount, Set<SyscallClass> classes, Ret ret,
                      List<Arg> args) {

    public Syscall {
        classes = Set.copyOf(classes);
        args = List.copyOf(args);
        if (!args.isEmpty() && args.size() != argCount) {
            throw new IllegalArgumentException(name + ": " + args.size() + " decoders for " + argCount + " args");
        }
    }

    public boolean is(SyscallClass c) {
        return classes.contains(c);
    }

    /** True when the row has argument decoders of its own. */
    public boolean decoded() {
        return !args.isEmpty() || argCount == 0;
    }
}
