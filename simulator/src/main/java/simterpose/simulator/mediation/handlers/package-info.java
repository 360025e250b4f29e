/**
 * The syscall handlers, one family per class, and {@code MediationTable}: one row per syscall
 * the simulation stops (family, support level, handler, note), read by the seccomp filter, the
 * dispatch, the spin rule, the {@code --unmediated} diagnostics and docs/syscalls.md. A handler
 * turns a {@code Call} into calls of the virtual kernel and the kernel's answers into a
 * {@code HandlerResult} ({@code Call.answer}). Imports {@code tracee}, never {@code run}.
 */
package simterpose.simulator.mediation.handlers;
