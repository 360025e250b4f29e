/**
 * The tracing engine: launch or attach Linux programs, stop them at chosen syscalls, and read
 * or change their registers and memory from Java (ptrace + seccomp-bpf through FFM).
 *
 * <h2>API</h2>
 * <ul>
 * <li>{@link simterpose.tracer.Tracer#open(TracerOptions)}: starts the ptrace owner thread.
 *     {@link simterpose.tracer.TracerOptions}: the syscall numbers that stop ({@code null} =
 *     all), an optional CPU to pin the owner and launched tracees to (2.5-3× cheaper stops here),
 *     hiding the vDSO, launching with ASLR off (personality ADDR_NO_RANDOMIZE).</li>
 * <li>{@link simterpose.tracer.Tracer#launch(LaunchSpec, StopHandler)} → {@link simterpose.tracer.Tracee}:
 *     argv/env/cwd/redirections; a missing or non-executable program throws
 *     {@link simterpose.tracer.LaunchException} before anything runs. The filter is injected
 *     at the exec of the program, so the first event is {@code Exec}.
 *     {@link simterpose.tracer.Tracer#attach(int, StopHandler)} seizes a running process;
 *     {@link simterpose.tracer.Tracee#detach()} leaves it running.
 *     {@link simterpose.tracer.Tracee#waitFor()} gives the command's {@link simterpose.tracer.ExitStatus}
 *     once every traced thread is gone (like {@code strace -f}).</li>
 * <li>{@link simterpose.tracer.StopHandler#onStop(Stop)} gets each stop; the
 *     {@link simterpose.tracer.Stop} carries the {@link simterpose.tracer.events.StopEvent}
 *     (SyscallEntry, SyscallExit, Exec, NewChild, SignalDelivery, GroupStop, Exited, Killed;
 *     each with tid and {@code System.nanoTime()} of the stop), {@link simterpose.tracer.Stop#epochNanos()},
 *     {@link simterpose.tracer.Stop#regs()} at syscall and exec stops ({@link simterpose.tracer.Auxv}
 *     changes a new image's auxv there) and, asked on the owner thread, at signal-delivery
 *     stops, {@link simterpose.tracer.Stop#memory()}
 *     ({@link simterpose.tracer.memory.TraceeMemory}), {@link simterpose.tracer.Stop#setRegs},
 *     {@link simterpose.tracer.Stop#emulate(long)}, {@link simterpose.tracer.Stop#injectSyscall} and
 *     {@link simterpose.tracer.Stop#writeReadOnly} (POKEDATA, for code/.rodata/vDSO).
 *     It runs on the owner thread and must not block; it returns a {@link simterpose.tracer.Resume}:
 *     CONTINUE (deliver the signal / stop again at the syscall's exit), NO_EXIT_STOP,
 *     SUPPRESS_SIGNAL, or DEFERRED (the verdict comes later, from any thread, through
 *     {@link simterpose.tracer.Stop#resume}).</li>
 * <li>{@link simterpose.tracer.TraceeSignals} signals tracees (kill, tgkill, rt_sigqueueinfo and
 *     rt_tgsigqueueinfo with a {@link simterpose.tracer.Siginfo}) and
 *     {@link simterpose.tracer.RealFdProbe} asks the real kernel about a tracee's real fds
 *     (pidfd_getfd + poll/epoll_wait): a tracer's user never calls the C library about tracees.
 *     {@code simterpose.tracer.abi} has typed views of the structs syscalls pass by pointer
 *     (timespec, timeval, itimerspec, iovec, msghdr, pollfd, epoll_event, sockaddr).</li>
 * <li>{@code simterpose.tracer.addressspace} models a process's mappings by kind (heap, anon,
 *     file by name, shared, reserved) from the syscalls that change them and from
 *     {@code /proc/PID/maps}: memtrace's accounting, comparable with the kernel's at any stop.</li>
 * <li>{@link simterpose.tracer.Tracer#close()} kills launched tracees (their process groups)
 *     and detaches attached ones; a shutdown hook does it on SIGINT/SIGTERM and
 *     PTRACE_O_EXITKILL on SIGKILL of the JVM.</li>
 * </ul>
 *
 * <h2>Example: an strace-like loop</h2>
 * <pre>{@code
 * int write = SyscallTable.number("write"), getppid = SyscallTable.number("getppid");
 * try (Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(write, getppid)))) {
 *     Tracee t = tracer.launch(LaunchSpec.of("ls", "-l"), stop -> {
 *         switch (stop.event()) {
 *             case StopEvent.SyscallEntry e when e.nr() == write -> {
 *                 byte[] data = stop.memory().readFully(e.args()[1], (int) Math.min(e.args()[2], 32));
 *                 System.err.println("[pid " + e.tid() + "] write(" + e.args()[0] + ", ...)");
 *             }
 *             case StopEvent.SyscallExit x -> System.err.println(" = " + x.result()
 *                     + (x.restarting() ? " (to be restarted)" : ""));
 *             case StopEvent.NewChild c -> System.err.println("child " + c.childTid());
 *             default -> { }
 *         }
 *         return Resume.CONTINUE;
 *     });
 *     System.exit(t.waitFor().shellCode());
 * }
 * }</pre>
 *
 * <h2>Limits</h2>
 * A launched program's argv[0] is the resolved path of the program (the launch goes through
 * {@code sh -c 'kill -STOP $$; exec "$0" "$@"'}). Attached processes are traced with
 * PTRACE_SYSCALL and filtered in Java (no filter injection into a running process); a child
 * of the tracing JVM itself cannot be attached (the kernel hands its stops to the JVM's
 * process reaper). Detaching a launched tracee leaves its seccomp filter, whose traced
 * syscalls then fail with ENOSYS.
 */
package simterpose.tracer;
