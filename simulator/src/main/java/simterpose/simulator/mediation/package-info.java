/**
 * Mediation: real programs, traced, whose network and time syscalls the simulation answers.
 * The only package that imports {@code simterpose.tracer}.
 *
 * <h2>Threads and hand-offs</h2>
 * <ul>
 * <li>The caller of {@link simterpose.simulator.mediation.Runner#run} is the engine thread: it
 * steps the {@link simterpose.simulator.engine.Simulation}.</li>
 * <li>Each traced thread has an engine actor ({@code TracedThread}); the engine runs one actor
 * at a time in a fixed order, so one tracee runs at a time and the run is deterministic.</li>
 * <li>The tracer's owner thread makes every ptrace call; its per-tid virtual threads carry each
 * stop into the traced thread's queue and its verdict back. A tracee computing natively holds
 * the engine until its next stop (by design: sequential, deterministic); one blocked natively
 * (state S: pthread_join, a pipe) parks, and the engine's idle hook wakes it when its stop has
 * arrived, before the clock moves.</li>
 * <li>Fast path: while a thread's actor is the running one and only awaits its next stop, the
 * owner thread answers that stop itself (time reads, calls on real fds, socket calls that need
 * no waiting), as the actor would; a call that must wait is handed over with its first answer.</li>
 * </ul>
 *
 * <h2>How a stop flows</h2>
 * seccomp stop (filter = the {@link simterpose.tracer.syscall.SyscallTable} rows not NATIVE) →
 * [CPU burnt since the previous stop becomes an execution on the host, CpuMode.MEASURED] →
 * handler of its family ({@code SocketHandlers}, {@code IoHandlers}, {@code FdHandlers},
 * {@code TimeHandlers}, {@code PollHandlers}, {@code EpollHandlers}, {@code RandomHandlers},
 * {@code UnmediatedHandlers}) → a {@code HandlerResult}: Done/Errno
 * (emulated: the kernel skips the call), Native (runs on the real kernel, one stop), NativeThen
 * (runs natively with rewritten registers; a hook sees the exit: placeholder sockets, dups) or
 * Block/BlockAny (wait on simulated conditions, then call the handler again).
 *
 * <h2>Placeholder fds</h2>
 * A simulated socket is a real unconnected AF_UNIX socket in the tracee (socket() and accept()
 * are rewritten into socket(AF_UNIX, SOCK_STREAM|flags, 0)), so fd numbers, close, dup, fork
 * inheritance and CLOEXEC are the real kernel's; the virtual fd table only mirrors them.
 *
 * <h2>Time</h2>
 * The tracer hides the vDSO at each exec (AT_SYSINFO_EHDR → AT_IGNORE), so libc's clock reads
 * are syscalls, static binaries included; REALTIME = epoch + simulated now, MONOTONIC/BOOTTIME
 * = simulated now, CPU-time clocks = accounted CPU time; nanosleep/clock_nanosleep sleep in
 * simulated time.
 *
 * <h2>Limits</h2>
 * UDP is refused (ESOCKTNOSUPPORT), not simulated. AF_INET6 stream sockets are dual-stack
 * sockets over the platform's IPv4 addresses (IPv4-mapped); IPv6-only addresses are
 * unreachable and IPV6_V6ONLY is kept but not enforced. poll/ppoll/select/
 * pselect6 ({@code PollHandlers}) and epoll ({@code EpollHandlers}, level-triggered) are
 * simulated when every watched fd is virtual; sets mixing real and virtual fds are reported as
 * unmediated; a poll loop that spins at one simulated instant waits for a change
 * ({@code BusyPoll}). sendfile from a regular file to a virtual socket is the simulated send;
 * splice/tee/copy_file_range to one are not mediated. getrandom is seeded ({@code RandomHandlers}); /dev/urandom, AT_RANDOM and ASLR
 * are not yet. Real-time timers (alarm, setitimer, timerfd) are not simulated: a program
 * waiting for one natively looks blocked to the simulation.
 */
package simterpose.simulator.mediation;
