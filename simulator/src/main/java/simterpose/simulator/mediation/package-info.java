/**
 * Mediation: real programs, traced, whose network and time syscalls the simulation answers.
 * This package is the API a caller sees ({@link simterpose.simulator.mediation.RunOptions},
 * {@link simterpose.simulator.mediation.RunReport}, {@link simterpose.simulator.mediation.RunListener});
 * its sub-packages are the only code of the simulator that imports {@code simterpose.tracer}:
 * {@code run} (the entry point {@code Runner}, the scheduler loop {@code Run}, the watchdog, the
 * end of a run), {@code tracee} (a traced program: actor, processes, {@code TracedThread}'s state
 * machine, the {@code Call} a handler gets and the {@code HandlerResult} it returns) and
 * {@code handlers} ({@code MediationTable}, one row per mediated syscall, and the handler
 * families). {@code run} imports {@code handlers}, which imports {@code tracee}; never the other
 * way (ARCHITECTURE.md at the repository root).
 *
 * <h2>Threads: none to hand off to</h2>
 * <ul>
 * <li>The tracer's owner thread makes every ptrace call and runs everything else too: each stop
 * goes to its traced thread ({@code TracedThread}, a state machine, not a thread), and when a
 * call must wait in simulated time the same thread moves the
 * {@link simterpose.simulator.engine.Simulation} on ({@code Run.advance}) until a tracee is due.
 * Waits are {@link simterpose.simulator.engine.Wait}s: continuations the engine runs in a fixed
 * order. No virtual thread and no queue sits between a stop and its verdict.</li>
 * <li>One tracee runs at a time, so the run is deterministic. A tracee computing natively holds
 * the engine until its next stop (by design); one blocked natively (state S: pthread_join, a
 * pipe) is parked by the watchdog on the caller's thread, and looked at again before the clock
 * moves.</li>
 * </ul>
 *
 * <h2>How a stop flows</h2>
 * seccomp stop (filter = the rows of {@code handlers.MediationTable}) →
 * [CPU burnt since the previous stop becomes an execution on the host, CpuMode.MEASURED] →
 * handler of its family ({@code SocketHandlers}, {@code IoHandlers}, {@code FdHandlers},
 * {@code TimeHandlers}, {@code TimerFdHandlers}, {@code PollHandlers}, {@code EpollHandlers}, {@code RandomHandlers},
 * {@code FileHandlers}, {@code NameHandlers}, {@code FutexHandlers}, {@code UnmediatedHandlers}) → a
 * {@code HandlerResult}: Done/Errno (emulated: the kernel skips the call), Native (runs on the real kernel, one stop), NativeThen
 * (runs natively with rewritten registers; a hook sees the exit: placeholder sockets, dups) or
 * Block/BlockAny (wait on simulated conditions, then call the handler again).
 *
 * <h2>Placeholder fds</h2>
 * A simulated socket is a real unconnected AF_UNIX socket in the tracee (socket() and accept()
 * are rewritten into socket(AF_UNIX, SOCK_STREAM or SOCK_DGRAM|flags, 0)), so fd numbers, close, dup, fork
 * inheritance and CLOEXEC are the real kernel's; the virtual fd table only mirrors them.
 *
 * <h2>Time</h2>
 * The tracer hides the vDSO at each exec (AT_SYSINFO_EHDR → AT_IGNORE), so libc's clock reads
 * are syscalls, static binaries included; REALTIME = epoch + simulated now, MONOTONIC/BOOTTIME
 * (and times()) = the hosts' uptime at date 0 ({@code TimeHandlers.BOOT_OFFSET_SECONDS}, 1000 s:
 * never 0, as Linux counts them from boot and Go's runtime dies on a zero first read) + simulated
 * now, CPU-time clocks = accounted CPU time; nanosleep/clock_nanosleep sleep in simulated time.
 *
 * <h2>Names and randomness</h2>
 * A program sees its simulated host: uname's nodename is the host's name, and opening
 * /etc/hosts, /etc/hostname, /proc/sys/kernel/hostname, /etc/resolv.conf or
 * /etc/nsswitch.conf opens the platform's generated file ({@code HostFiles}: the path argument
 * is rewritten). getrandom, reads of /dev/urandom and
 * /dev/random (their fds are in the virtual fd table as random devices) and each new image's
 * AT_RANDOM bytes come from the run's seeded generator; tracees run with ASLR off unless
 * {@link simterpose.simulator.mediation.RunOptions#keepAslr()}: the same seed repeats a run
 * byte for byte.
 *
 * <h2>Limits</h2>
 * AF_INET6 stream sockets are dual-stack sockets over the platform's IPv4 addresses
 * (IPv4-mapped) and ::1, the only IPv6 address a host has (other IPv6 addresses are
 * unreachable); IPV6_V6ONLY is enforced as Linux does (net.ipv6.bindv6only = 0: off by default;
 * settable only before the socket has a port, set by binding ::1; a V6ONLY socket gets no IPv4
 * connections, cannot connect to or bind an IPv4-mapped address, and shares its port with
 * AF_INET sockets); raw sockets and IPv6 datagrams are refused (ESOCKTNOSUPPORT/EAFNOSUPPORT). UDP is simulated
 * (one datagram per send; sendmmsg/recvmmsg too, on UDP sockets only). sendfile from a regular
 * file to a virtual socket is the simulated send; splice/tee/copy_file_range to one are not
 * mediated. poll/ppoll/select/
 * pselect6 ({@code PollHandlers}) and epoll ({@code EpollHandlers}: LT, ET, ONESHOT, RDHUP)
 * wait in simulated time over virtual sockets and real fds together: a real fd's readiness is
 * the real kernel's ({@code RealFdProbe} of the tracer), re-probed at each idle point of the engine
 * ({@code IdleProbes}: seen when other tracees made it ready, never waking a wait for nothing);
 * these waits and the sleeps end with EINTR when a signal is pending for them, and a blocked
 * socket call ends with EINTR or is restarted as SA_RESTART and SO_*TIMEO say
 * ({@code PendingSignals}); a readiness call that only spins (the same answer again and again
 * at one date, nothing done in between) waits for a change instead ({@code SpinGuard}).
 * getrandom, /dev/urandom and /dev/random reads and AT_RANDOM come from the run's seeded
 * generator ({@code RandomHandlers}) and ASLR is off, so runs repeat. alarm and
 * setitimer(ITIMER_REAL) run in simulated time ({@code AlarmHandlers}), and so do POSIX timers
 * on the wall-clock and monotonic clocks ({@code PosixTimerHandlers}). Futex waits with a
 * timeout wait in simulated time ({@code FutexHandlers}: a run-wide table of simulated
 * waiters, keyed as Linux keys futexes, private by process and address, shared by mapped object
 * and offset, that futex wakes, requeues and thread exits reach first; a signal ends them with
 * EINTR); futex waits without a timeout run natively (the thread is parked), and so do PI
 * futexes (their timeouts are still real-time), futex_waitv and the futex_wait/futex_wake
 * syscalls.
 * timerfds on CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME run in simulated time
 * ({@code TimerFdHandlers}: the real timerfd stays open, never armed, under the fd, which the
 * virtual fd table records as a {@link simterpose.simulator.kernel.TimerFd}; settime, gettime,
 * read and readv are answered from it, and poll, select and epoll see its readiness). timerfds
 * on the _ALARM clocks stay native: their timeouts are still real-time, and a program waiting for
 * one natively looks blocked to the simulation.
 */
package simterpose.simulator.mediation;
