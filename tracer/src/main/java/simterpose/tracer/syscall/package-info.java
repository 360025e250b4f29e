/**
 * The x86_64 syscall table and strace-style decoding.
 *
 * <ul>
 *   <li>{@link simterpose.tracer.syscall.SyscallTable}: one row per syscall (number, name,
 *       argument count, strace classes, return format, argument decoders: kernel facts only). Every
 *       other class here reads it; nothing else holds syscall facts.</li>
 *   <li>{@link simterpose.tracer.syscall.TraceExpression#parse}: strace's {@code -e trace=}
 *       syntax to a set of numbers (the seccomp filter's input).</li>
 *   <li>{@link simterpose.tracer.syscall.SyscallFormatter}: {@code onEntry} decodes
 *       in-parameters at the entry stop, {@code onExit} the out-parameters and the return value,
 *       giving the line body {@code name(args) = ret}; callers add {@code [pid N] }.</li>
 *   <li>{@link simterpose.tracer.syscall.SyscallSummary}: strace {@code -c}'s table.</li>
 *   <li>{@link simterpose.tracer.syscall.MemoryEffects}: the regions of tracee memory a
 *       finished syscall may have written, from its row's out-parameter kinds (what
 *       {@code record} saves and {@code replay} writes back).</li>
 * </ul>
 * Decoders read tracee memory only through {@link simterpose.tracer.memory.TraceeMemory}.
 */
package simterpose.tracer.syscall;
