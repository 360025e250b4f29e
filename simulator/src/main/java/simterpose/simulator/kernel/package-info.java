/**
 * The virtual operating system simulated programs run on: per-host IPv4 addresses, TCP and UDP
 * port tables, TCP sockets with Linux's state machine and errors, byte streams timed by the
 * network model, UDP sockets whose datagrams are model flows, timerfds in simulated time, and per-process fd tables. Pure simulator code: it never touches a real process.
 *
 * <h2>How the mediation layer uses it</h2>
 * <ul>
 * <li>One {@link simterpose.simulator.kernel.Kernel} per simulation; one
 * {@link simterpose.simulator.kernel.VirtualProcess} per traced process
 * ({@code newProcess}, {@code fork}, {@code exit}); threads share their process.</li>
 * <li>Socket syscalls go to {@link simterpose.simulator.kernel.SocketCalls} with the process,
 * the fd and decoded arguments ({@link simterpose.simulator.kernel.SockAddr#decode} for
 * sockaddr bytes); dup/dup2/dup3/F_DUPFD/F_GETFD/F_SETFD/close go to the process's
 * {@link simterpose.simulator.kernel.FdTable}. A new file (socket, accept) comes back as an
 * {@link simterpose.simulator.kernel.OpenFile} to install under the fd number the mediation
 * reserved in the tracee.</li>
 * <li>Every call answers a {@link simterpose.simulator.kernel.SysResult}: Done, Errno (with a
 * SIGPIPE request) or Block (wait on a signal, then call again). Blocking is data: the
 * kernel never waits itself.</li>
 * <li>{@link simterpose.simulator.kernel.VirtualFile#readiness()} and
 * {@link simterpose.simulator.kernel.VirtualFile#changed()} are what poll/epoll need.</li>
 * </ul>
 *
 * <h2>Time</h2>
 * Control packets take the route's one-way latency ({@link simterpose.simulator.kernel.TcpSocket});
 * data moves as continuous model flows ({@code Flow}), so a lone transfer takes exactly the
 * model's time for one flow, after the handshake. A UDP datagram is a flow of its own size,
 * in order behind the earlier datagrams of its socket to the same host ({@code DatagramPath});
 * an ICMP port unreachable is a control packet.
 *
 * <h2>Threading</h2>
 * Everything here belongs to the simulation's single logical thread: the engine thread or the
 * one actor it runs at a time. Nothing is synchronised; nothing may be called from elsewhere.
 */
package simterpose.simulator.kernel;
